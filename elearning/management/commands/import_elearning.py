from core.management.csv_import import CsvImportCommand
from elearning.exceptions import ImportRejected
from elearning.services import completion_import_apply, completion_import_check, completion_import_plan
from elearning.services.imports import read_upload


class Command(CsvImportCommand):
    help = (
        "Import e-learning completions from a provider's CSV file (columns: email, name, agency, sector, role, "
        "module, completed_at). All or nothing: a file with any bad row imports nothing and every bad row is listed."
    )
    rejected = ImportRejected

    def plan(self, data):
        text, _rows = read_upload(data)
        return completion_import_plan(text)

    def check_file(self, filename, data):
        return completion_import_check(filename=filename, data=data)

    def apply(self, record):
        return completion_import_apply(completion_import=record)

    def describe(self, filename, summary):
        return [
            f"{filename}: {summary['completions_new']} completions to add, "
            f"{summary['completions_existing']} already recorded, {summary['duplicate_rows']} repeated rows, "
            f"{summary['delegates_new']} new delegates.",
            *(f"  new agency: {name} ({sector})" for name, sector in summary["agencies_new"]),
            *(f"  new external module: {title}" for title in summary["modules_new"]),
            *(
                f"  role not one of ours, kept as written: {text} ({count})"
                for text, count in summary["roles_unmatched"]
            ),
        ]

    def done(self, record):
        return (
            f"Imported {record.completions_created} completions ({record.delegates_created} new delegates, "
            f"{record.agencies_created} new agencies, {record.modules_created} new modules)."
        )
