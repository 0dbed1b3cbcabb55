"""Every write about e-learning. Import services from here:
`from elearning.services import attempt_submit`."""

from .content import (
    module_image_add,
    module_image_delete,
    module_page_delete,
    module_page_save,
    question_delete,
    question_save,
)
from .imports import (
    completion_import_apply,
    completion_import_apply_confirmed,
    completion_import_check,
    completion_import_check_rows,
    completion_import_confirm,
    completion_import_plan,
    completion_import_upload,
    completion_imports_requeue,
)
from .learning import (
    attempt_start,
    attempt_submit,
    completion_record,
    module_finish_without_check,
    module_page_read,
)
from .reminders import renewal_reminders_send

__all__ = [
    "attempt_start",
    "attempt_submit",
    "completion_import_apply",
    "completion_import_apply_confirmed",
    "completion_import_check",
    "completion_import_check_rows",
    "completion_import_confirm",
    "completion_import_plan",
    "completion_import_upload",
    "completion_imports_requeue",
    "completion_record",
    "module_finish_without_check",
    "module_image_add",
    "module_image_delete",
    "module_page_delete",
    "module_page_read",
    "module_page_save",
    "question_delete",
    "question_save",
    "renewal_reminders_send",
]
