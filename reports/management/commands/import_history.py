from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected, decode
from reports.services import history_import_apply, history_import_check, history_import_plan


class Command(BaseCommand):
    help = (
        "Import past years' sessions and bookings from a CSV file, one row per booking (columns: course, format, "
        "session_start, session_end, venue, capacity, session_status, cancellation_reason, delegate_email, "
        "delegate_name, agency, sector, role, booked_at, booking_status, attendance). All or nothing: a file with "
        "any bad row imports nothing and every bad row is listed. No e-mail is sent and no booking rule runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what it would do.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            if dry_run:
                summary = history_import_plan(decode(data, limit=settings.HISTORY_IMPORT_MAX_BYTES)).summary()
            else:
                record, plan = history_import_check(filename=file.name, data=data)
                summary = plan.summary()
            self.stdout.write(
                f"{file.name}: {summary['rows']} rows; {summary['bookings_new']} bookings to add, "
                f"{summary['bookings_existing']} already recorded, {summary['repeated_rows']} repeated rows; "
                f"{summary['sessions_new']} new sessions ({summary['sessions_existing']} already listed); "
                f"{summary['delegates_new']} new delegates."
            )
            for kind in ("courses", "venues", "agencies"):
                for name in summary[f"{kind}_new"]:
                    self.stdout.write(f"  new {kind[:-1] if kind != 'agencies' else 'agency'}: {name}")
            if dry_run:
                self.stdout.write("Dry run: nothing imported.")
                return
            record = history_import_apply(history_import=record)
        except ImportRejected as error:
            for line, reasons in error.problems:
                self.stderr.write(f"line {line}: {'; '.join(reasons)}")
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {record.bookings_created} bookings on {record.sessions_created} new sessions "
                f"({record.courses_created} new courses, {record.venues_created} new venues, "
                f"{record.agencies_created} new agencies, {record.delegates_created} new delegates)."
            )
        )
