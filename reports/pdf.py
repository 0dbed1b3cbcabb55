"""The annual Training Summary (reportlab, charts drawn with reportlab.graphics):
data in (reports.selectors.AnnualSummary), PDF bytes out.

Pages: headline figures and the programme by format; agency attendance for all
courses (and by sector); e-learning by role; one page per selected course in
the shape partnerships publish; the definitions the figures follow."""

from django.conf import settings
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from core.pdf import BOLD_FONT, FONT, font_for, paragraph, render_pdf, stylesheet
from courses.models import CourseFormat

from .definitions import DEFINITIONS, rate

BLUE = colors.HexColor("#1d70b8")
LIGHT_BLUE = colors.HexColor("#8eb8dc")
GREY = colors.HexColor("#b1b4b6")
PALE = colors.HexColor("#f3f2f1")
WIDTH = 174 * mm  # A4 less the margins of core.pdf.render_pdf
MOST_BARS = 15


def _styles():
    styles = stylesheet()
    return {
        "title": styles["Title"],
        "h1": styles["Heading1"],
        "h2": styles["Heading2"],
        "body": styles["BodyText"],
        "small": ParagraphStyle("small", parent=styles["BodyText"], fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=styles["BodyText"], fontSize=9, leading=11),
        "quote": ParagraphStyle(
            "quote",
            parent=styles["BodyText"],
            leftIndent=8 * mm,
            textColor=colors.HexColor("#505a5f"),
            fontName=FONT,  # no italic is embedded: the indent and grey set quotes apart
        ),
    }


def _number(value) -> str:
    return "–" if value is None else f"{value:,}"


def _percent(value) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _table(header, rows, styles, widths=None) -> Table:
    cells = [[paragraph("<b>{}</b>", styles["cell"], cell) for cell in header]]
    cells += [[paragraph("{}", styles["cell"], cell) for cell in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), PALE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


COLOURS = (BLUE, LIGHT_BLUE, GREY)


def _bar_chart(
    title: str,
    labels: list[str],
    series: list[list[float]],
    names: list[str],
    *,
    horizontal=True,
    value_format="{:,.0f}",
) -> Drawing:
    """A labelled bar chart; every bar carries its value, so the chart reads
    without the table beside it. Horizontal charts list their first row at
    the top and, within a row, their first series first, as a table would."""
    labels = [label if len(label) <= 38 else label[:37] + "…" for label in labels]
    colours = list(COLOURS[: len(series)])
    if horizontal:
        # reportlab draws categories bottom up and a group's series bottom up.
        labels = labels[::-1]
        series = [values[::-1] for values in series[::-1]]
        colours = colours[::-1]
    rows = max(len(labels), 1)
    height = (rows * (9 * len(series) + 6)) if horizontal else 150
    drawing = Drawing(WIDTH, height + 60)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (150, 20) if horizontal else (40, 20)
    chart.width = WIDTH - chart.x - 30
    chart.height = height
    chart.data = series or [[0]]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fontName = FONT
    for index, label in enumerate(labels):
        chart.categoryAxis.labels[index].fontName = font_for(label)  # a Chinese agency name needs the fallback
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    top = max((value for values in series for value in values), default=0)
    chart.valueAxis.valueMax = max(top * 1.15, 1)
    if top < 10 and value_format == "{:,.0f}":
        chart.valueAxis.valueStep = 1  # counts, never half a person
    if horizontal:
        chart.categoryAxis.labels.boxAnchor = "e"
    chart.barLabelFormat = lambda value: value_format.format(value)
    chart.barLabels.fontSize = 7
    chart.barLabels.fontName = FONT
    chart.barLabels.boxAnchor = "w" if horizontal else "s"
    chart.barLabels.nudge = 3
    for index, colour in enumerate(colours):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, height + 48, title, fontName=BOLD_FONT, fontSize=10))
    if len(names) > 1:
        x = 0
        for index, name in enumerate(names):
            drawing.add(Rect(x, height + 32, 9, 7, fillColor=COLOURS[index], strokeColor=None))
            drawing.add(String(x + 12, height + 33, name, fontName=FONT, fontSize=8))
            x += 12 + 5 * len(name) + 16
    return drawing


def _headlines(summary, styles) -> list:
    totals = summary.uptake.totals
    before = summary.uptake.previous
    rows = [
        ("Sessions run", totals["sessions_run"], totals["sessions_run_before"]),
        ("Sessions cancelled", totals["sessions_cancelled"], totals["sessions_cancelled_before"]),
        ("Places", totals["places"], totals["places_before"]),
        ("Booked", totals["booked"], totals["booked_before"]),
        ("Attended", totals["attended"], totals["attended_before"]),
        (
            "Attendance rate (attended ÷ places)",
            _percent(totals["attendance_rate"]),
            _percent(totals["attendance_rate_before"]),
        ),
        ("No-shows", totals["no_shows"], totals["no_shows_before"]),
        ("Individuals trained", totals["individuals_trained"], totals["individuals_trained_before"]),
        ("Agencies that booked", sum(1 for row in summary.uptake.agencies if row["booked"]), ""),
        ("E-learning completions", summary.elearning["completions"], ""),
        ("People who completed e-learning", summary.elearning["individuals"], ""),
    ]
    header = ["", _period_words(summary.period), _period_words(before) if before else ""]
    return [
        paragraph("Headline figures", styles["h1"]),
        _table(
            header,
            [
                (name, _number(now) if isinstance(now, int) else now, _number(then) if isinstance(then, int) else then)
                for name, now, then in rows
            ],
            styles,
            widths=[70 * mm, 52 * mm, 52 * mm],
        ),
    ]


def _programme(summary, styles) -> list:
    rows = summary.by_format
    story = [Spacer(1, 4 * mm), paragraph("The programme delivered, by format", styles["h1"])]
    if not rows:
        return [*story, paragraph("No sessions in this period.", styles["body"])]
    story.append(
        _table(
            [
                "Format",
                "Courses run",
                "Sessions run",
                "Sessions cancelled",
                "Places",
                "Booked",
                "Attended",
                "Attendance rate",
            ],
            [
                (
                    str(row["label"]),
                    row["courses"],
                    row["sessions_run"],
                    row["sessions_cancelled"],
                    _number(row["places"]),
                    _number(row["booked"]),
                    _number(row["attended"]),
                    _percent(row["attendance_rate"]),
                )
                for row in rows
            ],
            styles,
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        _bar_chart(
            "Places and attendees, by format",
            [str(row["label"]) for row in rows],
            [[row["places"] for row in rows], [row["attended"] for row in rows]],
            ["Places", "Attended"],
            horizontal=False,
        )
    )
    return story


def _courses(summary, styles) -> list:
    courses = summary.uptake.courses
    if not courses:
        return []
    return [
        paragraph("Every course", styles["h2"]),
        _table(
            ["Course", "Format", "Sessions run (cancelled)", "Places", "Booked", "Attended", "Attendance rate"],
            [
                (
                    row["course"],
                    str(CourseFormat(row["format"]).label),
                    f"{row['sessions_run']} ({row['sessions_cancelled']})",
                    _number(row["places"]),
                    _number(row["booked"]),
                    _number(row["attended"]),
                    _percent(row["attendance_rate"]),
                )
                for row in courses
            ],
            styles,
            widths=[54 * mm, 22 * mm, 22 * mm, 16 * mm, 16 * mm, 18 * mm, 26 * mm],
        ),
    ]


def _agencies(summary, styles) -> list:
    agencies = sorted(summary.uptake.agencies, key=lambda row: (-row["attended"], row["agency"].casefold()))
    story = [PageBreak(), paragraph("Agency attendance, all courses", styles["h1"])]
    if not agencies:
        return [*story, paragraph("No bookings in this period.", styles["body"])]
    top = agencies[:MOST_BARS]
    story.append(
        _bar_chart(
            "Attended, by agency" + (f" (the {MOST_BARS} with most attendees)" if len(agencies) > MOST_BARS else ""),
            [row["agency"] for row in top],
            [[row["attended"] for row in top], [row["no_shows"] for row in top]],
            ["Attended", "No-shows"],
        )
    )
    story.append(
        _table(
            ["Agency", "Sector", "Contributes", "Booked", "Attended", "No-shows"],
            [
                (
                    row["agency"],
                    row["sector"],
                    "Yes" if row["contributes"] else "No",
                    row["booked"],
                    row["attended"],
                    row["no_shows"],
                )
                for row in agencies
            ],
            styles,
            widths=[54 * mm, 36 * mm, 24 * mm, 19 * mm, 20 * mm, 21 * mm],
        )
    )
    sectors = [row for row in summary.uptake.sectors if row["booked"] or row["booked_before"]]
    story += [
        paragraph("By sector", styles["h2"]),
        _table(
            ["Sector", "Agencies", "Booked", "Attended", "No-shows", "Attended, year before"],
            [
                (
                    row["sector"],
                    row["agencies"],
                    row["booked"],
                    row["attended"],
                    row["no_shows"],
                    row.get("attended_before", ""),
                )
                for row in sectors
            ],
            styles,
        ),
    ]
    return story


def _elearning(summary, styles) -> list:
    roles = summary.elearning_roles
    story = [
        PageBreak(),
        paragraph("E-learning by role", styles["h1"]),
        paragraph(
            f"{summary.elearning['completions']:,} completions by {summary.elearning['individuals']:,} people. "
            "Safeguarding Children Level 1 and Level 2 are counted by the role recorded with each completion.",
            styles["body"],
        ),
    ]
    if not roles:
        return [*story, paragraph("No e-learning completions in this period.", styles["body"])]
    shown = roles[:MOST_BARS]
    story.append(
        _bar_chart(
            "Completions of Level 1 and Level 2, by role",
            [str(row["role"]) for row in shown],
            [[row["level_1"] for row in shown], [row["level_2"] for row in shown]],
            ["Level 1", "Level 2"],
        )
    )
    story.append(
        _table(
            ["Role", "All modules", "Level 1", "Level 2", "People"],
            [(str(row["role"]), row["completions"], row["level_1"], row["level_2"], row["people"]) for row in roles],
            styles,
            widths=[80 * mm, 25 * mm, 22 * mm, 22 * mm, 25 * mm],
        )
    )
    return story


def _share(part, whole) -> str:
    value = rate(part, whole)
    return "no answers" if value is None else f"{value:.1f}% of {whole:,}"


def _course_page(page, styles) -> list:
    row = page.figures
    story = [
        PageBreak(),
        paragraph("{}", styles["h1"], row["course"]),
        paragraph("{}", styles["body"], CourseFormat(row["format"]).label),
    ]
    cancelled = "; ".join(
        f"{item['sessions']} – {item['reason'] or 'no reason recorded'}" for item in page.cancellations
    )
    facts = [
        ("Viewed the course page", f"{row['views']:,} people"),
        (
            "Sessions",
            f"{row['sessions_run']} ran, {row['sessions_cancelled']} cancelled"
            + (f" ({cancelled})" if cancelled else ""),
        ),
        ("Booked", f"{row['booked']:,} people booked, out of {row['places']:,} places"),
        ("Attended", f"{row['attended']:,} ({_percent(row['attendance_rate'])} of places)"),
        (
            "No-shows and late cancellations",
            f"{row['no_shows']:,} did not attend; {row['late_cancellations']:,} cancelled late",
        ),
    ]
    report = page.evaluation
    if report is not None:
        facts.append(("Agreed to share the learning", _share(report.share_learning.yes, report.share_learning.n)))
        facts.append(("Evaluation responses", f"{report.rates.post:,} after the course"))
    requirements = page.requirements or {}
    asked = [
        f"{label}: {requirements[name]}"
        for name, label in (
            ("step_free_access", "step-free access"),
            ("bsl_interpreter", "BSL interpreter"),
            ("hearing_loop", "hearing loop"),
            ("dietary", "dietary"),
            ("other", "other"),
        )
        if requirements.get(name)
    ]
    facts.append(("Additional requirements", "; ".join(asked) if asked else "None asked for"))
    story.append(_table(["", ""], facts, styles, widths=[55 * mm, 119 * mm]))
    if report is not None:
        story += _evaluation(report, styles)
    if page.quotes:
        story.append(paragraph("In delegates' words", styles["h2"]))
        story += [paragraph("“{}”", styles["quote"], quote) for quote in page.quotes]
    return story


def _evaluation(report, styles) -> list:
    story = []
    dimensions = [result for result in report.dimensions if result.pre_post.n]
    if dimensions:
        story.append(Spacer(1, 4 * mm))
        story.append(
            KeepTogether(
                [
                    _bar_chart(
                        "Delegates whose rating rose from before to after the course (%)",
                        [str(result.dimension) for result in dimensions],
                        [[result.pre_post.percent_improved or 0 for result in dimensions]],
                        ["Rose"],
                        value_format="{:.1f}%",
                    ),
                    paragraph(
                        "{}",
                        styles["small"],
                        ", ".join(
                            f"{result.dimension}: {result.pre_post.improved} of {result.pre_post.n} rose"
                            for result in dimensions
                        ),
                    ),
                ]
            )
        )
    advice = report.advice_sources
    if advice and advice.n:
        bars = [bar for bar in advice.bars if bar.count]
        story.append(paragraph("Where delegates would go for further advice", styles["h2"]))
        story.append(
            _table(
                ["Source", "Delegates"], [(bar.label, bar.count) for bar in bars], styles, widths=[120 * mm, 30 * mm]
            )
        )
    return story


def _definitions(styles) -> list:
    story = [PageBreak(), paragraph("How the figures are counted", styles["h1"])]
    story += [
        paragraph("<b>{}.</b> {}", styles["small"], term, text) for term, text in DEFINITIONS
    ]
    return story


def _period_words(period) -> str:
    return f"{period.start:%-d %B %Y} to {period.end:%-d %B %Y}"


def training_summary_pdf(summary) -> bytes:
    styles = _styles()
    story = [
        paragraph("{}", styles["body"], settings.PARTNERSHIP_NAME),
        paragraph("Training Summary", styles["title"]),
        paragraph(f"Multi-agency training from {_period_words(summary.period)}", styles["body"]),
        Spacer(1, 4 * mm),
        *_headlines(summary, styles),
        *_programme(summary, styles),
        *_courses(summary, styles),
        *_agencies(summary, styles),
        *_elearning(summary, styles),
    ]
    for page in summary.course_pages:
        story += _course_page(page, styles)
    story += _definitions(styles)
    return render_pdf(story, title=f"Training Summary {_period_words(summary.period)}")
