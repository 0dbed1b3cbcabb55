"""Every write of the reports app. Import services from here:
`from reports.services import history_import_apply`."""

from .imports import (
    history_import_apply,
    history_import_apply_confirmed,
    history_import_check,
    history_import_check_rows,
    history_import_confirm,
    history_import_plan,
    history_import_upload,
    history_imports_requeue,
)
from .runs import report_run_generate, report_run_request, report_runs_requeue

__all__ = [
    "history_import_apply",
    "history_import_apply_confirmed",
    "history_import_check",
    "history_import_check_rows",
    "history_import_confirm",
    "history_import_plan",
    "history_import_upload",
    "history_imports_requeue",
    "report_run_generate",
    "report_run_request",
    "report_runs_requeue",
]
