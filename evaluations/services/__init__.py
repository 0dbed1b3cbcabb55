"""Every write about evaluations. Import services from here:
`from evaluations.services import evaluation_submit`."""

from .questionnaires import (
    course_template_for,
    questionnaire_current,
    rating_labels_update,
    template_question_create,
    template_question_delete,
    template_question_move,
    template_question_override,
    template_question_update,
)
from .quotes import quote_publish, quote_withdraw, quotes_withdraw_for_person
from .requests import (
    evaluation_post_course_open,
    evaluation_pre_course_open,
    evaluation_reminders_send,
    evaluation_requests_open,
)
from .responses import (
    certificate_issue_if_earned,
    equal_opportunities_submit,
    evaluation_submit,
    line_manager_submit,
)

__all__ = [
    "certificate_issue_if_earned",
    "course_template_for",
    "equal_opportunities_submit",
    "evaluation_post_course_open",
    "evaluation_pre_course_open",
    "evaluation_reminders_send",
    "evaluation_requests_open",
    "evaluation_submit",
    "line_manager_submit",
    "questionnaire_current",
    "quote_publish",
    "quote_withdraw",
    "quotes_withdraw_for_person",
    "rating_labels_update",
    "template_question_create",
    "template_question_delete",
    "template_question_move",
    "template_question_override",
    "template_question_update",
]
