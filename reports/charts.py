"""Bar charts drawn in HTML on the dashboard. A chart pictures the table that
follows it, which is what assistive technology reads: the chart itself is
hidden from it (templates/reports/_bar_chart.html)."""


def bar_chart(rows: list[dict], *, label: str, series: list[tuple[str, str]]) -> dict:
    """{"series": [names], "rows": [{"label", "bars": [{"value", "percent", "index"}]}]}:
    each bar's length is a percentage of the longest bar in the chart."""
    keys = [key for key, _name in series]
    top = max((row[key] or 0 for row in rows for key in keys), default=0) or 1
    return {
        "series": [name for _key, name in series],
        "rows": [
            {
                "label": row[label],
                "bars": [
                    {"value": row[key] or 0, "percent": round((row[key] or 0) * 100 / top, 1), "index": index}
                    for index, key in enumerate(keys)
                ],
            }
            for row in rows
        ],
    }
