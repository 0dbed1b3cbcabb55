"""A delegate taking a hosted module: reading pages, the knowledge check, and
the completion and certificate that passing it earns."""

import datetime as dt
import random

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.services import certificate_issue

from ..exceptions import ElearningError
from ..models import Attempt, Completion, Module, ModuleProgress

_shuffle = random.SystemRandom().shuffle


def module_page_read(*, user, module: Module, position: int) -> ModuleProgress:
    """The delegate has read up to page `position`. Progress only moves on, so
    going back to re-read a page loses nothing."""
    with transaction.atomic():
        progress, _created = ModuleProgress.objects.get_or_create(user=user, module=module)
        ModuleProgress.objects.filter(pk=progress.pk, pages_read__lt=position).update(
            pages_read=position, updated_at=timezone.now()
        )
    progress.refresh_from_db()
    return progress


def _all_pages_read(user, module: Module) -> bool:
    last = module.pages.order_by("-position").values_list("position", flat=True).first() or 0
    return last == 0 or ModuleProgress.objects.filter(user=user, module=module, pages_read__gte=last).exists()


def attempt_start(*, user, module: Module) -> Attempt:
    """The delegate's open knowledge check for the module, or a new one with the
    questions (and each question's answers) in a fresh random order."""
    open_attempt = Attempt.objects.filter(user=user, module=module, submitted_at__isnull=True).first()
    if open_attempt is not None:
        return open_attempt
    if not _all_pages_read(user, module):
        raise ElearningError(_("Read every page of the module before the knowledge check."))
    questions = list(module.questions.prefetch_related("choices"))
    if not questions:
        raise ElearningError(_("This module has no knowledge check yet."))
    _shuffle(questions)
    layout = []
    for question in questions:
        choice_ids = [choice.pk for choice in question.choices.all()]
        _shuffle(choice_ids)
        layout.append([question.pk, choice_ids])
    try:
        with transaction.atomic():
            return Attempt.objects.create(user=user, module=module, layout=layout)
    except IntegrityError:  # started in another tab at the same moment
        return Attempt.objects.get(user=user, module=module, submitted_at__isnull=True)


def attempt_submit(*, attempt: Attempt, answers: dict[int, int]) -> Attempt:
    """Mark the check. Every question must be answered; passing (the module's
    pass mark or better) records the completion and issues a certificate.
    Submitting the same attempt twice (a double click) changes nothing."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("module", "user").get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            return attempt
        correct_ids = set(
            attempt.module.questions.filter(choices__is_correct=True).values_list("choices__pk", flat=True)
        )
        chosen = {}
        for question_id, choice_ids in attempt.layout:
            answer = answers.get(question_id)
            if answer not in choice_ids:
                raise ElearningError(_("Answer every question."))
            chosen[str(question_id)] = answer
        right = sum(1 for answer in chosen.values() if answer in correct_ids)
        total = len(attempt.layout)
        attempt.answers = chosen
        attempt.score_percent = right * 100 // total
        attempt.passed = right * 100 >= attempt.module.pass_mark_percent * total
        attempt.submitted_at = timezone.now()
        attempt.save(update_fields=["answers", "score_percent", "passed", "submitted_at"])
        if attempt.passed:
            completion_record(
                user=attempt.user, module=attempt.module, completed_on=timezone.localdate(attempt.submitted_at),
                score_percent=attempt.score_percent,
            )
    return attempt


def module_finish_without_check(*, user, module: Module) -> Completion:
    """A hosted module with no questions is complete once every page is read."""
    if module.questions.exists() or not _all_pages_read(user, module):
        raise ElearningError(_("Read every page and pass the knowledge check to complete the module."))
    return completion_record(user=user, module=module, completed_on=timezone.localdate())


def completion_record(*, user, module: Module, completed_on: dt.date, score_percent: int | None = None) -> Completion:
    """Record a module completed on this website, with the delegate's role and
    agency as they are today, and issue its certificate. One completion a day:
    passing twice on one day keeps the first."""
    with transaction.atomic():
        completion, created = Completion.objects.get_or_create(
            user=user, module=module, completed_on=completed_on,
            defaults={
                "source": Completion.Source.HOSTED,
                "job_role": user.job_role,
                "agency_id": user.agency_id,
                "score_percent": score_percent,
            },
        )
        if not created and completion.score_percent is None and score_percent is not None:
            # An imported completion for the same day gains the score earned here.
            Completion.objects.filter(pk=completion.pk).update(score_percent=score_percent)
        minutes = module.estimated_minutes
        certificate_issue(
            source=f"completion:{completion.pk}",
            kind="elearning",
            user=user,
            title=module.title,
            awarded_on=completed_on,
            duration=_("%(minutes)s minutes of e-learning") % {"minutes": minutes} if minutes else _("E-learning"),
            learning_outcomes=module.learning_outcomes,
        )
    return completion
