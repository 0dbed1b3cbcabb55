import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.periods import Period, financial_year
from courses.models import Course
from reports import pdf, selectors
from reports.training_report import as_csv, as_json, training_report


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Every uptake figure of a period: JSON (a stable interface, see docs/reports.md), CSV, or the annual "
        "Training Summary PDF. The period defaults to the current financial year (1 April to 31 March)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="First day, YYYY-MM-DD (included).")
        parser.add_argument("--to", dest="end", help="Last day, YYYY-MM-DD (included).")
        parser.add_argument("--format", choices=["json", "csv", "pdf"], default="json")
        parser.add_argument("--output", type=Path, help="Write to this file instead of the standard output.")
        parser.add_argument(
            "--course",
            action="append",
            default=[],
            metavar="SLUG",
            help="PDF only: give this course a page of its own (repeat for more; default: every course).",
        )

    def handle(self, *args, start, end, format, output, course, **options):
        default = financial_year(timezone.localdate())
        period = Period(_day(start) if start else default.start, _day(end) if end else default.end)
        if period.end < period.start:
            raise CommandError("--to must be the same as or after --from")
        if format == "pdf":
            if output is None:
                raise CommandError("A PDF needs --output FILE")
            courses = selectors.uptake_report(period).courses
            wanted = [row["course_id"] for row in courses]
            if course:
                found = dict(Course.objects.filter(slug__in=course).values_list("slug", "pk"))
                missing = sorted(set(course) - set(found))
                if missing:
                    raise CommandError(f"No course with the slug {', '.join(missing)}")
                wanted = list(found.values())
            output.write_bytes(pdf.training_summary_pdf(selectors.annual_summary(period, wanted)))
            self.stderr.write(f"Wrote {output}")
            return
        data = training_report(period)
        text = as_json(data) if format == "json" else as_csv(data)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
