"""Records of the reports app for other tests (the permission matrix)."""

import datetime as dt

from django.core.files.base import ContentFile

from reports.models import HistoryImport, ReportRun
from tests.reports import history


def reports_records() -> dict:
    """A finished Training Summary run with its file (MEDIA_ROOT must be a
    temporary folder) and a checked history import waiting for confirmation."""
    run = ReportRun.objects.create(
        period_start=dt.date(2024, 4, 1), period_end=dt.date(2025, 3, 31), status=ReportRun.Status.DONE, progress=100
    )
    run.file.save(run.download_name, ContentFile(b"%PDF-1.4 matrix"), save=True)
    return {
        "report_run": run,
        "history_import": HistoryImport.objects.create(filename="past-years.csv", content=history.csv_text()),
    }
