"""`make bench`: every benchmark in one run, at a borough partnership's scale
and at 30 times it (a London-wide consortium), on PostgreSQL.

For each scale: a fresh database (`<name>_x<scale>` on the DATABASE_URL
server), bench/partnership_bench.py (fill, then every page and report beside
its floor) and bench/booking_rush.py (gunicorn, real HTTP) against the same
data; the databases are dropped afterwards. Then prints one table, checks
that every page runs the same number of queries at every scale and that the
rush overbooked nothing, and rewrites the part of docs/performance.md
between its bench markers. Exits non-zero if a check failed.

    .venv/bin/python bench/run_all.py                     # scales 1 and 30
    .venv/bin/python bench/run_all.py --scales 1 --runs 5 --no-write
"""

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _environment import ROOT, database_drop, database_server, database_url_named

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lscp_bench"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,30", help="comma-separated multiples of one borough")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timed requests per page, at most")
    parser.add_argument("--rush-users", type=int, default=1000)
    parser.add_argument("--rush-capacity", type=int, default=100)
    parser.add_argument("--no-rush", action="store_true", help="leave out the booking rush")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    return parser.parse_args()


def run(command: list[str], url: str) -> None:
    env = os.environ | {"DATABASE_URL": url}
    result = subprocess.run([sys.executable, *command], cwd=ROOT, env=env)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit code {result.returncode}")


def one_scale(scale: int, args, base_url: str, workdir: Path) -> dict:
    name, _server_settings = database_server(base_url)
    url = database_url_named(base_url, f"{name}_x{scale}")
    database_drop(url)
    try:
        pages_json = workdir / f"pages_x{scale}.json"
        run(["bench/partnership_bench.py", f"--scale={scale}", f"--runs={args.runs}", f"--budget={args.budget}",
             f"--json={pages_json}"], url)
        figures = json.loads(pages_json.read_text())
        if not args.no_rush:
            figures["rush"] = rush(scale, args, url, workdir)
        return figures
    finally:
        if not args.keep:
            database_drop(url)


def rush(scale: int, args, url: str, workdir: Path) -> dict:
    """The booking rush's figures, or why it failed (tried twice: gunicorn
    fails to start if the static files change under it, as another job's
    collectstatic can make them)."""
    rush_json = workdir / f"rush_x{scale}.json"
    for attempt in (1, 2):
        print(f"scale {scale}x: booking rush (attempt {attempt})", flush=True)
        try:
            run(["bench/booking_rush.py", f"--users={args.rush_users}", f"--capacity={args.rush_capacity}",
                 f"--json={rush_json}"], url)
        except SystemExit as error:
            failure = str(error)
            continue
        return json.loads(rush_json.read_text())
    return {"failed": failure, "ok": False}


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} cores{f' ({model})' if model else ''}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; load average at the start {load}")


def ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def table(results: list[dict]) -> tuple[list[str], list[str]]:
    """The Markdown table of pages, and the problems found (query counts that differ by scale)."""
    lines = [
        "| page | scale | median ms | p95 ms | queries | floor ms | ×floor |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    problems = []
    names = [page["name"] for page in results[0]["pages"]]
    for name in names:
        rows = [(figures["scale"], next(p for p in figures["pages"] if p["name"] == name)) for figures in results]
        counts = {page["queries"] for _scale, page in rows}
        if len(counts) > 1:
            counts_by_scale = ", ".join(f"{page['queries']} queries at {scale}x" for scale, page in rows)
            problems.append(f"{name}: {counts_by_scale}")
        for scale, page in rows:
            floor = page["floor"]
            lines.append(
                f"| {name} | {scale}× | {ms(page['median'])} | {ms(page['p95'])} | {page['queries']} "
                f"| {ms(floor['median'])} | {page['median'] / floor['median']:,.1f}× |"
            )
    return lines, problems


def rush_table(results: list[dict]) -> list[str]:
    lines = [
        "| scale | attempts | confirmed | bookings/s (all) | confirmed/s (until full) | POST p50 ms | POST p95 ms "
        "| CPU ms per attempt (gunicorn + PostgreSQL) | errors | overbookings |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for figures in results:
        rush = figures.get("rush")
        if not rush:
            continue
        if "failed" in rush:
            lines.append(f"| {figures['scale']}× | failed: {rush['failed']} |" + " |" * 8)
            continue
        cpu = rush["cpu_ms_per_attempt"]
        lines.append(
            f"| {figures['scale']}× | {rush['attempts']:,} | {rush['confirmed']:,} | {rush['bookings_per_second']:.1f} "
            f"| {rush['confirmed_per_second']:.1f} | {rush['post_p50_ms']:.0f} | {rush['post_p95_ms']:.0f} "
            f"| {cpu['gunicorn']:.1f} + {cpu['PostgreSQL']:.1f} | {rush['errors']} | **{rush['overbooking']}** |"
        )
    return lines


def data_table(results: list[dict]) -> list[str]:
    names = [name for name in results[0]["made"] if name != "register_session"]
    lines = ["| rows | " + " | ".join(f"{figures['scale']}×" for figures in results) + " |",
             "|---|" + "---:|" * len(results)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{figures['made'][name]:,}" for figures in results) + " |")
    lines.append("| seconds to fill (COPY) | " + " | ".join(f"{figures['fill_seconds']:.0f}" for figures in results)
                 + " |")
    return lines


def generated(results, problems, page_lines, started, seconds, load) -> str:
    first = results[0]
    rushes = [figures["rush"] for figures in results if figures.get("rush")]
    done = [rush for rush in rushes if "failed" not in rush]
    rush_note = ""
    if rushes:
        how = (
            f": gunicorn with {done[0]['workers']} single-threaded workers, {done[0]['clients']} concurrent clients, "
            f"{done[0]['users']:,} people for one session of {done[0]['capacity']:,} places"
            if done
            else ""
        )
        rush_note = (
            f"\n\nBooking rush (`bench/booking_rush.py`, over real HTTP{how}), run against each scale's "
            "database:\n\n" + "\n".join(rush_table(results))
        )
    check = (
        "Every page ran the same number of queries at every scale."
        if not problems
        else "**Query counts that grew with the data:** " + "; ".join(problems)
    )
    return f"""{START}
<!-- Written by `make bench` (bench/run_all.py); edits here are overwritten. -->

Run of {started:%Y-%m-%d %H:%M} UTC by `make bench` ({seconds / 60:.0f} minutes in all), PostgreSQL
{first['postgresql']}, `DEBUG=False`.
Machine: {load}.
Reports read the last whole financial year, {first['period']['start']} to {first['period']['end']}.

{chr(10).join(page_lines)}

{check} Median and p95 are over up to the number of runs asked for (20 by default; at least 3
when a page is slow), after one warm-up request and two counted ones (the count is the fewer of the
two); the floor is measured in the same way, by the same client, just after its page. ×floor is the
median over the floor's median.{rush_note}

The data at each scale:

{chr(10).join(data_table(results))}
{END}"""


def write_doc(text: str) -> None:
    doc = DOC.read_text()
    if START not in doc or END not in doc:
        raise SystemExit(f"{DOC} has no {START} … {END} markers to write between")
    before, rest = doc.split(START, 1)
    _old, after = rest.split(END, 1)
    DOC.write_text(before + text + after)


def main():
    args = arguments()
    base_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    scales = [int(value) for value in args.scales.split(",")]
    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    load = machine()
    with tempfile.TemporaryDirectory() as workdir:
        results = [one_scale(scale, args, base_url, Path(workdir)) for scale in scales]
    page_lines, problems = table(results)
    print()
    print("\n".join(page_lines))
    if any(figures.get("rush") for figures in results):
        print()
        print("\n".join(rush_table(results)))
    failed = list(problems)
    failed += [f"booking rush at {f['scale']}x: not clean" for f in results if f.get("rush") and not f["rush"]["ok"]]
    if not args.no_write:
        write_doc(generated(results, problems, page_lines, started, time.perf_counter() - clock, load))
        print(f"\nwrote {DOC.relative_to(ROOT)}")
    if failed:
        print("\nFAILED: " + "; ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
