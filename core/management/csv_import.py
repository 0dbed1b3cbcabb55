"""What the CSV import commands share (import_elearning, import_history): read
the file, check it all or nothing, say what it would do, and apply it unless
--dry-run; every bad row is listed and nothing is imported."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected


class CsvImportCommand(BaseCommand):
    # The app's "file cannot be imported" error: it carries `message` and `problems`.
    rejected: type[Exception] = ImportRejected

    def plan(self, data: bytes):
        """The import's plan for the file (no writes), for --dry-run."""
        raise NotImplementedError

    def check_file(self, filename: str, data: bytes):
        """(record, plan): the file checked and kept for applying. (Not
        `check`: that is BaseCommand's system checks, which manage.py runs.)"""
        raise NotImplementedError

    def apply(self, record):
        """Apply a checked file; returns the record with its counts."""
        raise NotImplementedError

    def describe(self, filename: str, summary: dict) -> list[str]:
        """Lines saying what the import would do."""
        raise NotImplementedError

    def done(self, record) -> str:
        """The line saying what was imported."""
        raise NotImplementedError

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
                summary = self.plan(data).summary()
            else:
                record, plan = self.check_file(file.name, data)
                summary = plan.summary()
            for line in self.describe(file.name, summary):
                self.stdout.write(line)
            if dry_run:
                self.stdout.write("Dry run: nothing imported.")
                return
            record = self.apply(record)
        except self.rejected as error:
            for line, reasons in error.problems:
                self.stderr.write(f"line {line}: {'; '.join(reasons)}")
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(self.done(record)))
