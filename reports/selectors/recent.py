"""The staff pages' lists of recent work: Training Summaries asked for and
history files imported, newest first."""

from ..models import HistoryImport, ReportRun


def recent_report_runs(limit: int = 10):
    return ReportRun.objects.select_related("requested_by")[:limit]


def recent_history_imports(limit: int = 20):
    # The files' text (up to 20 MB each) is never needed to list them.
    return HistoryImport.objects.select_related("uploaded_by").defer("content", "summary", "problems")[:limit]
