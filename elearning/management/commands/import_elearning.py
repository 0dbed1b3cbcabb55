from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from elearning.exceptions import ImportRejected
from elearning.services import completion_import_apply, completion_import_check, completion_import_plan
from elearning.services.imports import decode


class Command(BaseCommand):
    help = (
        "Import e-learning completions from a provider's CSV file (columns: email, name, agency, sector, role, "
        "module, completed_at). All or nothing: a file with any bad row imports nothing and every bad row is listed."
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
                summary = completion_import_plan(decode(data)).summary()
            else:
                record, plan = completion_import_check(filename=file.name, data=data)
                summary = plan.summary()
            self.stdout.write(
                f"{file.name}: {summary['completions_new']} completions to add, "
                f"{summary['completions_existing']} already recorded, {summary['duplicate_rows']} repeated rows, "
                f"{summary['delegates_new']} new delegates."
            )
            for name, sector in summary["agencies_new"]:
                self.stdout.write(f"  new agency: {name} ({sector})")
            for title in summary["modules_new"]:
                self.stdout.write(f"  new external module: {title}")
            for text, count in summary["roles_unmatched"]:
                self.stdout.write(f"  role not one of ours, kept as written: {text} ({count})")
            if dry_run:
                self.stdout.write("Dry run: nothing imported.")
                return
            record = completion_import_apply(completion_import=record)
        except ImportRejected as error:
            for line, reasons in error.problems:
                self.stderr.write(f"line {line}: {'; '.join(reasons)}")
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"Imported {record.completions_created} completions ({record.delegates_created} new delegates, "
            f"{record.agencies_created} new agencies, {record.modules_created} new modules)."
        ))
