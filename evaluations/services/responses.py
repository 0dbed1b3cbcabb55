"""Answers: a delegate's questionnaire, a line manager's view, the equal
opportunities return, and the certificate the post-course answers unlock."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookings.models import Booking
from certificates.models import Certificate
from certificates.services import certificate_issue

from .. import emails
from ..exceptions import AlreadySubmittedError, EvaluationClosedError, EvaluationError, MissingAnswersError
from ..models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    EqualOpportunitiesReturn,
    EvaluationRequest,
    Kind,
    Question,
    QuestionnaireVersion,
    Respondent,
    Response,
    Stage,
)
from ..permissions import answer_refusal, closes_at, earns_certificate, line_manager_refusal

OTHER = "Other"


def _answer_row(question: Question, value: dict) -> Answer | None:
    """The Answer for one question from {"number", "choices", "text"}, or None
    when it was left blank. Raises ValueError for a value the question cannot take."""
    number, text = value.get("number"), (value.get("text") or "").strip()
    choices = [choice for choice in value.get("choices") or [] if choice]
    if question.kind == Kind.RATING:
        if number is None:
            return None
        if number not in range(1, 6):
            raise ValueError
        return Answer(question=question, number=number)
    if question.kind == Kind.YES_NO:
        if number is None:
            return None
        if number not in (0, 1):
            raise ValueError
        return Answer(question=question, number=number)
    if question.kind in CHOICE_KINDS:
        allowed = set(question.options) | ({OTHER} if question.allow_other else set())
        if not choices:
            return None
        if not set(choices) <= allowed or (question.kind != Kind.MULTIPLE_CHOICE and len(choices) > 1):
            raise ValueError
        if OTHER in choices and question.allow_other and not text:
            raise ValueError
        return Answer(
            question=question,
            choices=[option for option in [*question.options, OTHER] if option in choices],
            text=text if OTHER in choices else "",
            is_correct=(choices == [question.correct_option]) if question.kind == Kind.KNOWLEDGE else None,
        )
    if question.kind in TEXT_KINDS:
        return Answer(question=question, text=text) if text else None
    raise ValueError


def _answers(questions: list[Question], values: dict[int, dict]) -> list[Answer]:
    """Every answer given, checked against its frozen question; a required
    question left blank, or an answer it cannot take, refuses the lot."""
    rows, missing = [], []
    for question in questions:
        try:
            row = _answer_row(question, values.get(question.pk) or {})
        except ValueError:
            missing.append(question.pk)
            continue
        if row is None and question.required:
            missing.append(question.pk)
        elif row is not None:
            rows.append(row)
    if missing:
        raise MissingAnswersError(
            ngettext(
                "%(n)s question needs an answer.",
                "%(n)s questions need an answer.",
                len(missing),
            )
            % {"n": len(missing)},
            missing,
        )
    return rows


def _check_version(version: QuestionnaireVersion, course_id: int) -> None:
    if version.course_id != course_id:
        raise EvaluationError(_("These questions belong to another course. Open the evaluation again from its link."))


def _already(response: Response) -> AlreadySubmittedError:
    day = timezone.localtime(response.submitted_at)
    return AlreadySubmittedError(
        _("You completed this evaluation on %(day)s. Thank you: nothing more is needed.") % {"day": f"{day:%-d %B %Y}"}
    )


@transaction.atomic
def evaluation_submit(
    *,
    booking: Booking,
    stage: str,
    version: QuestionnaireVersion,
    answers: dict[int, dict],
    line_manager_email: str = "",
    may_quote: bool = False,
    now: dt.datetime | None = None,
) -> Response:
    """Record a delegate's answers to one stage: once only, while it is open,
    and only for their own place (the post-course stage only if the register
    shows them there). The answers are to the questions of `version`, the
    frozen questionnaire the form showed, even if the template changed since.
    A post-course response unlocks the certificate of those who attended; a
    follow-up may invite the line manager to add their view. Comments may be
    published as quotes only if the delegate said so (`may_quote`)."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__course", "session__venue", "user__agency")
        .get(pk=booking.pk)
    )
    _check_version(version, booking.session.course_id)
    request = EvaluationRequest.objects.filter(booking=booking, stage=stage).first()
    if request is not None:
        done = request.responses.filter(respondent=Respondent.DELEGATE).first()
        if done is not None:
            raise _already(done)
    refusal = answer_refusal(booking=booking, stage=stage, request=request, now=now)
    if refusal:
        raise EvaluationClosedError(refusal)
    rows = _answers(list(version.questions.filter(stage=stage)), answers)
    if request is None:
        # Opened by the link before the sweep or the register made the request.
        request, _created = EvaluationRequest.objects.get_or_create(
            booking=booking,
            stage=stage,
            defaults={"closes_at": None if stage == Stage.PRE else closes_at(booking, stage, None)},
        )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                request=request, respondent=Respondent.DELEGATE, version=version, may_quote=may_quote
            )
    except IntegrityError:  # a double submission that raced the check above
        raise _already(request.responses.get(respondent=Respondent.DELEGATE)) from None
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    if stage == Stage.POST:
        certificate_issue_if_earned(booking=booking, version=version)
    if stage == Stage.FOLLOW_UP and line_manager_email.strip():
        request.line_manager_email = line_manager_email.strip()
        request.line_manager_invited_at = now
        request.line_manager_closes_at = now + dt.timedelta(days=settings.EVALUATION_LINE_MANAGER_OPEN_DAYS)
        request.save(update_fields=["line_manager_email", "line_manager_invited_at", "line_manager_closes_at"])
        request.booking = booking
        emails.line_manager_invitation(request)
    return response


@transaction.atomic
def line_manager_submit(
    *, request: EvaluationRequest, version: QuestionnaireVersion, answers: dict[int, dict], now=None
) -> Response:
    """A line manager's view of the delegate's follow-up: once, while the link lasts."""
    now = now or timezone.now()
    request = (
        EvaluationRequest.objects.select_for_update(of=("self",))
        .select_related("booking__session__course")
        .get(pk=request.pk)
    )
    _check_version(version, request.booking.session.course_id)
    respondents = set(request.responses.values_list("respondent", flat=True))
    refusal = line_manager_refusal(
        request=request,
        has_delegate_response=Respondent.DELEGATE in respondents,
        has_manager_response=Respondent.LINE_MANAGER in respondents,
        now=now,
    )
    if refusal:
        if Respondent.LINE_MANAGER in respondents:
            raise AlreadySubmittedError(refusal)
        raise EvaluationClosedError(refusal)
    rows = _answers(list(version.questions.filter(stage="line_manager")), answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(request=request, respondent=Respondent.LINE_MANAGER, version=version)
    except IntegrityError:
        raise AlreadySubmittedError(_("Thank you: your view has already been recorded.")) from None
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


@transaction.atomic
def equal_opportunities_submit(*, request: EvaluationRequest, answers: dict[str, str]) -> EqualOpportunitiesReturn:
    """Store an anonymous equal opportunities return. Only the fact that it was
    given is kept on the request; the return itself names no one (see the model)."""
    request = (
        EvaluationRequest.objects.select_for_update(of=("self",)).select_related("booking__session").get(pk=request.pk)
    )
    if request.equal_opportunities_given:
        raise AlreadySubmittedError(_("You have already answered the equal opportunities questions. Thank you."))
    fields = {}
    for name in EqualOpportunitiesReturn.MONITORED_FIELDS:
        value = answers.get(name) or ""
        if value and value not in dict(EqualOpportunitiesReturn._meta.get_field(name).choices):
            raise EvaluationError(_("Choose one of the answers offered."))
        fields[name] = value
    session = request.booking.session
    month = timezone.localtime(session.start).date().replace(day=1)
    record = EqualOpportunitiesReturn.objects.create(course_id=session.course_id, session_month=month, **fields)
    request.equal_opportunities_given = True
    request.save(update_fields=["equal_opportunities_given"])
    return record


def _duration(session) -> str:
    minutes = int((session.end - session.start).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def certificate_issue_if_earned(*, booking: Booking, version: QuestionnaireVersion | None = None) -> Certificate | None:
    """Issue the certificate of attendance once the delegate was there (attended
    or arrived late: leaving early earns none) and has submitted the post-course
    evaluation. Idempotent: a certificate once issued never changes."""
    if not earns_certificate(booking):
        return None
    response = (
        Response.objects.filter(request__booking=booking, request__stage=Stage.POST, respondent=Respondent.DELEGATE)
        .select_related("version")
        .first()
    )
    if response is None:
        return None
    session = booking.session
    outcomes = (version or response.version).learning_outcomes or session.course.learning_outcome_list
    return certificate_issue(
        source=f"booking:{booking.pk}",
        kind=Certificate.Kind.COURSE,
        user=booking.user,
        title=session.course.title,
        awarded_on=timezone.localtime(session.start).date(),
        duration=_duration(session),
        learning_outcomes="\n".join(outcomes),
    )
