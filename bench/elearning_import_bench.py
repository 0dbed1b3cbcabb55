"""E-learning import and report benchmark.

Writes a provider file of 100,000 completion rows spread over ten financial
years (30,000 people, 120 agencies of which 20 are new, 8 modules of which 2
are new, roles as providers write them), then times:

- checking it (`completion_import_check`: read, validate, match against the
  database) and applying it (`completion_import_apply`: bulk writes in one
  transaction), with the number of SQL queries each ran;
- importing the same file again (nothing new: every row already recorded);
- the e-learning report over the ten years of completions: its query count
  and median time, for one financial year and for all ten, and the report
  page through Django's whole request stack.

    .venv/bin/python bench/elearning_import_bench.py          # SQLite file bench/elearning_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lscp_bench .venv/bin/python bench/elearning_import_bench.py
"""

import csv
import datetime as dt
import io
import os
import random
import statistics
import time
from pathlib import Path

from _environment import benchmark_environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SQLITE = ROOT / "bench" / "elearning_bench.sqlite3"
if "DATABASE_URL" not in os.environ:
    SQLITE.unlink(missing_ok=True)  # every run imports into an empty database
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE}"
benchmark_environment()

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Agency, JobRole, Sector, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from elearning.models import Completion, CompletionImport, Module  # noqa: E402
from elearning.selectors import Period, elearning_report, financial_year  # noqa: E402
from elearning.services import completion_import_apply, completion_import_check  # noqa: E402

ROWS = 100_000
PEOPLE = 30_000
YEARS = 10
REPEATS = 20
MODULES = [
    ("Safeguarding Children Level 1", "level_1"),
    ("Safeguarding Children Level 2", "level_2"),
    ("Prevent awareness", ""),
    ("Domestic abuse awareness", ""),
    ("Child sexual exploitation", ""),
    ("Female genital mutilation", ""),
    ("Safeguarding Children Level 3 (new)", None),  # not yet in the catalogue: created by the import
    ("Online safety (new)", None),
]
ROLE_TEXTS = [str(label) for _value, label in JobRole.choices] + ["Dinner supervisor", "Receptionist", "HCA"]


def clear():
    """Start from no e-learning data (PostgreSQL keeps its database between runs)."""
    Completion.objects.all().delete()
    CompletionImport.objects.all().delete()
    Module.objects.all().delete()
    User.objects.filter(email__endswith="@bench.example").delete()
    Agency.objects.filter(name__startswith="Bench agency").delete()


def provider_file() -> bytes:
    rng = random.Random(6)
    sectors = list(Sector.objects.values_list("slug", flat=True))
    for title, level in MODULES:
        if level is not None:
            Module.objects.get_or_create(title=title, defaults={"slug": title.lower().replace(" ", "-"),
                                                                "level": level, "delivery": "external"})
    agencies = [(f"Bench agency {n}", sectors[n % len(sectors)]) for n in range(120)]
    sector = Sector.objects.get(slug="other")
    Agency.objects.bulk_create([Agency(name=name, sector=sector) for name, _slug in agencies[:100]])
    people = [(f"person{n}@bench.example", f"First{n} Last{n}", agencies[n % len(agencies)], rng.choice(ROLE_TEXTS))
              for n in range(PEOPLE)]
    first_day = financial_year(timezone.localdate()).start.replace(year=financial_year(timezone.localdate())
                                                                    .start.year - YEARS + 1)
    days = (timezone.localdate() - first_day).days
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "name", "agency", "sector", "role", "module", "completed_at"])
    for n in range(ROWS):
        email, name, (agency, slug), role = people[rng.randrange(PEOPLE)]
        module = MODULES[rng.randrange(len(MODULES))][0]
        day = first_day + dt.timedelta(days=rng.randrange(days))
        when = day.isoformat() if n % 2 else f"{day.isoformat()}T{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:00"
        writer.writerow([email, name, agency, slug, role, module, when])
    return out.getvalue().encode()


def timed(function):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries)


def median_ms(function, repeats=REPEATS):
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    call_command("migrate", verbosity=0)
    clear()
    data = provider_file()
    print(f"database: {connection.vendor}; file: {ROWS:,} rows, {len(data) / 1024 / 1024:.1f} MB")

    (record, plan), check_s, check_q = timed(lambda: completion_import_check(filename="bench.csv", data=data))
    record, apply_s, apply_q = timed(lambda: completion_import_apply(completion_import=record))
    print(f"{'step':<34} {'seconds':>8} {'queries':>8}")
    print(f"{'check (read, validate, match)':<34} {check_s:>8.1f} {check_q:>8}")
    print(f"{'apply (bulk writes, one transaction)':<34} {apply_s:>8.1f} {apply_q:>8}")
    print(f"  added {record.completions_created:,} completions ({plan.duplicate_rows:,} repeated rows), "
          f"{record.delegates_created:,} delegates, {record.agencies_created} agencies, "
          f"{record.modules_created} modules")

    def again():
        second, _plan = completion_import_check(filename="bench-again.csv", data=data)
        return completion_import_apply(completion_import=second)

    second, again_s, again_q = timed(again)
    print(f"{'same file again (check + apply)':<34} {again_s:>8.1f} {again_q:>8}")
    print(f"  added {second.completions_created} completions; {second.completions_existing:,} already recorded")

    today = timezone.localdate()
    year = financial_year(today)
    ten_years = Period(year.start.replace(year=year.start.year - YEARS + 1), year.end)
    print(f"completions in the database: {Completion.objects.count():,}")
    print(f"{'report':<34} {'queries':>8} {'median ms':>10}")
    for name, period in (("report, this financial year", year), ("report, ten financial years", ten_years)):
        _report, _s, queries = timed(lambda period=period: elearning_report(period=period))
        print(f"{name:<34} {queries:>8} {median_ms(lambda period=period: elearning_report(period=period)):>10.1f}")

    settings.ALLOWED_HOSTS.append("testserver")
    reviewer, _created = User.objects.get_or_create(email="ppt@bench.example", defaults={"first_name": "P",
                                                                                          "last_name": "R"})
    from django.contrib.auth.models import Group

    reviewer.groups.add(Group.objects.get(name=Role.PPT_REVIEWER))
    if not Authenticator.objects.filter(user=reviewer).exists():  # (PPT reviewers must use two-factor sign-in)
        TOTP.activate(reviewer, generate_totp_secret())
    client = Client()
    client.force_login(reviewer)
    url = f"/e-learning/report/?start={ten_years.start}&end={ten_years.end}"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    page_queries = len(queries)
    print(f"{'report page, ten years (HTTP stack)':<34} {page_queries:>8} "
          f"{median_ms(lambda: client.get(url), repeats=10):>10.1f}")


if __name__ == "__main__":
    main()
