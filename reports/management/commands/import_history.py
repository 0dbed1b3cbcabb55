from core.management.csv_import import CsvImportCommand
from reports.services import history_import_apply, history_import_check, history_import_plan
from reports.services.imports import read_upload


class Command(CsvImportCommand):
    help = (
        "Import past years' sessions and bookings from a CSV file, one row per booking (columns: course, format, "
        "session_start, session_end, venue, capacity, session_status, cancellation_reason, delegate_email, "
        "delegate_name, agency, sector, role, booked_at, booking_status, attendance). All or nothing: a file with "
        "any bad row imports nothing and every bad row is listed. No e-mail is sent and no booking rule runs."
    )

    def plan(self, data):
        text, _rows = read_upload(data)
        return history_import_plan(text)

    def check_file(self, filename, data):
        return history_import_check(filename=filename, data=data)

    def apply(self, record):
        return history_import_apply(history_import=record)

    def describe(self, filename, summary):
        lines = [
            f"{filename}: {summary['rows']} rows; {summary['bookings_new']} bookings to add, "
            f"{summary['bookings_existing']} already recorded, {summary['repeated_rows']} repeated rows; "
            f"{summary['sessions_new']} new sessions ({summary['sessions_existing']} already listed); "
            f"{summary['delegates_new']} new delegates."
        ]
        for kind, label in (("courses", "course"), ("venues", "venue"), ("agencies", "agency")):
            lines += [f"  new {label}: {name}" for name in summary[f"{kind}_new"]]
        return lines

    def done(self, record):
        return (
            f"Imported {record.bookings_created} bookings on {record.sessions_created} new sessions "
            f"({record.courses_created} new courses, {record.venues_created} new venues, "
            f"{record.agencies_created} new agencies, {record.delegates_created} new delegates)."
        )
