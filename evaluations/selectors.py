"""Every read about evaluations that is more than a get: a delegate's
questionnaires, the templates as administrators see them, and the reports,
each in a fixed number of queries."""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bookings.models import Booking
from certificates.models import Certificate
from core.http import not_found_for
from core.periods import Period
from core.periods import financial_year as financial_year  # re-exported: reports and tests use it from here
from courses.models import Course, Session

from .models import (
    CHOICE_KINDS,
    Answer,
    EqualOpportunitiesReturn,
    EvaluationRequest,
    EvaluationTemplate,
    Key,
    Question,
    QuestionnaireVersion,
    QuestionStage,
    Quote,
    Respondent,
    Response,
    Section,
    Stage,
    TemplateQuestion,
    Timing,
)
from .permissions import answer_refusal, can_view_evaluation_reports, can_view_session_results, closes_at
from .report import GOOD_OR_BETTER, CourseHeadline, EvaluationReport, Overall, Rates, YesShare, build_report
from .statistics import ROUND_TO, round_to_nearest, suppress_small_counts

# --- a delegate's questionnaires -------------------------------------------------


def booking_of_delegate(user, pk: int) -> Booking:
    """The signed-in person's own booking: evaluations are answered by the
    delegate alone, so anyone else's (or none) is 404."""
    booking = get_object_or_404(
        Booking.objects.select_related("session__course", "session__venue", "user__agency"), pk=pk
    )
    if booking.user_id != user.pk:
        raise not_found_for(user, "booking", booking.pk)
    return booking


@dataclass(frozen=True)
class StageState:
    """Where a delegate is with one stage of one booking's evaluation."""

    booking: Booking
    stage: str
    request: EvaluationRequest | None
    response: Response | None
    refusal: str | None
    closes_at: dt.datetime | None
    certificate: Certificate | None = None


def stage_state(booking: Booking, stage: str, *, now: dt.datetime | None = None) -> StageState:
    now = now or timezone.now()
    request = EvaluationRequest.objects.filter(booking=booking, stage=stage).first()
    response = (
        request.responses.filter(respondent=Respondent.DELEGATE).select_related("version").first() if request else None
    )
    certificate = None
    if stage == Stage.POST and response is not None:
        certificate = Certificate.objects.filter(source=f"booking:{booking.pk}").first()
    return StageState(
        booking=booking,
        stage=stage,
        request=request,
        response=response,
        refusal=None if response else answer_refusal(booking=booking, stage=stage, request=request, now=now),
        closes_at=closes_at(booking, stage, request),
        certificate=certificate,
    )


def evaluations_for_user(user, *, now: dt.datetime | None = None) -> dict[str, list[StageState]]:
    """ "Your evaluations": what is open to answer now (soonest closing first),
    and what has been answered, with any certificate it earned."""
    now = now or timezone.now()
    answered = Response.objects.filter(request=OuterRef("pk"), respondent=Respondent.DELEGATE)
    requests = (
        EvaluationRequest.objects.filter(booking__user=user)
        .select_related("booking__session__course", "booking__session__venue")
        .annotate(submitted_at=Subquery(answered.values("submitted_at")[:1]))
        .order_by("-booking__session__start", "stage")
    )
    certificates = {
        certificate.source: certificate
        for certificate in Certificate.objects.filter(user=user, source__startswith="booking:")
    }
    open_, done = [], []
    for request in requests:
        booking, stage = request.booking, request.stage
        if request.submitted_at:
            certificate = certificates.get(f"booking:{booking.pk}") if stage == Stage.POST else None
            done.append(
                StageState(
                    booking, stage, request, response=None, refusal=None, closes_at=None, certificate=certificate
                )
            )
        elif not answer_refusal(booking=booking, stage=stage, request=request, now=now):
            deadline = closes_at(booking, stage, request)
            open_.append(StageState(booking, stage, request, response=None, refusal=None, closes_at=deadline))
    open_.sort(key=lambda state: state.closes_at or dt.datetime.max.replace(tzinfo=dt.UTC))
    return {"open": open_, "done": done}


def questionnaire_questions(version: QuestionnaireVersion, stage: str) -> list:
    return list(version.questions.filter(stage=stage).order_by("position"))


def version_for_course(course_id: int, pk) -> QuestionnaireVersion | None:
    """The frozen questionnaire a submitted form was drawn from, if it is this course's."""
    try:
        return QuestionnaireVersion.objects.filter(course_id=course_id, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def delegate_answers(response: Response) -> list[Answer]:
    return list(response.answers.select_related("question").order_by("question__position"))


def line_manager_request(request_id: int) -> EvaluationRequest:
    try:
        return EvaluationRequest.objects.select_related(
            "booking__session__course", "booking__session__venue", "booking__user__agency"
        ).get(pk=request_id, stage=Stage.FOLLOW_UP)
    except EvaluationRequest.DoesNotExist:
        raise Http404("No such evaluation") from None


def respondents_of(request: EvaluationRequest) -> set[str]:
    return set(request.responses.values_list("respondent", flat=True))


# --- templates (staff) ----------------------------------------------------------------


def compose_sections(default_questions: list[TemplateQuestion], own: list[TemplateQuestion]):
    """What a course asks in each template section: the default's questions,
    each replaced by the course's copy where it has one (same key), then the
    course's own. Returns {section: [(question, origin)]}, origin being
    "default", "changed" (the course's copy) or "course"."""
    default_keys = {question.key for question in default_questions}
    overrides = {question.key: question for question in own if question.key in default_keys}
    sections = {}
    for section in Section:
        asked = [
            (overrides[q.key], "changed") if q.key in overrides else (q, "default")
            for q in default_questions
            if q.section == section
        ]
        added = sorted(
            (q for q in own if q.section == section and q.key not in default_keys), key=lambda q: (q.position, q.pk)
        )
        sections[section] = asked + [(q, "course") for q in added]
    return sections


def default_template() -> EvaluationTemplate:
    return EvaluationTemplate.objects.prefetch_related("questions").get(is_default=True)


def template_for_course(course: Course) -> tuple[EvaluationTemplate, dict]:
    """The default template and the course's composed sections, for its staff page."""
    default = default_template()
    own = list(TemplateQuestion.objects.filter(template__course=course))
    return default, compose_sections(list(default.questions.all()), own)


def template_courses() -> QuerySet[Course]:
    """Every course, with how much of its questionnaire is its own."""
    own = TemplateQuestion.objects.filter(template__course=OuterRef("pk")).order_by().values("template")
    versions = QuestionnaireVersion.objects.filter(course=OuterRef("pk")).order_by().values("course")
    return Course.objects.annotate(
        own_questions=Subquery(own.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        knowledge_questions=Subquery(
            own.filter(section=Section.KNOWLEDGE).annotate(n=Count("pk")).values("n"), output_field=IntegerField()
        ),
        version_count=Subquery(versions.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
    ).order_by("title")


def course_versions(course: Course) -> QuerySet[QuestionnaireVersion]:
    return course.questionnaire_versions.annotate(response_count=Count("responses")).order_by("-number")


# --- reports -------------------------------------------------------------------


ANSWER_FIELDS = {
    "answer_id": F("pk"),
    "booking_id": F("response__request__booking_id"),
    "course_id": F("response__request__booking__session__course_id"),
    "respondent": F("response__respondent"),
    "version_number": F("question__version__number"),
    "question_stage": F("question__stage"),
    "position": F("question__position"),
    "key": F("question__key"),
    "kind": F("question__kind"),
    "question_text": F("question__text"),
    "outcome": F("question__outcome"),
    "dimension": F("question__dimension"),
    "timing": F("question__timing"),
    "quote_text": F("quote__text"),
    "may_quote": F("response__may_quote"),
    "choices_json": Cast("choices", TextField()),
}
HEADLINE_FIELDS = ("booking_id", "course_id", "respondent", "question_stage", "timing", "outcome", "dimension", "key")
# Choices come as their JSON text, decoded only for choice questions: most
# answers are ratings, and decoding an empty list for each was most of the
# programme report's time.
ANSWER_VALUES = ("question_id", "number", "text", "is_correct")


def _prefixed(lookups: dict, prefix: str) -> dict:
    return {f"{prefix}{name}": value for name, value in lookups.items()}


def _attendee_filter(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Booking.Status.CONFIRMED, f"{prefix}attendance__in": Booking.ATTENDED_VALUES})


def _response_counts(prefix: str) -> dict:
    """Count annotations of attendees and their responses at each stage, for
    aggregating bookings (prefix "") or annotating sessions ("bookings__")."""
    attendee = _attendee_filter(prefix)

    def responses(stage, respondent=Respondent.DELEGATE):
        return Count(
            f"{prefix}evaluation_requests__responses",
            filter=attendee
            & Q(
                **{
                    f"{prefix}evaluation_requests__stage": stage,
                    f"{prefix}evaluation_requests__responses__respondent": respondent,
                }
            ),
            distinct=True,
        )

    return {
        "attendees": Count(f"{prefix}pk" if prefix else "pk", filter=attendee, distinct=True),
        "pre": responses(Stage.PRE),
        "post": responses(Stage.POST),
        "follow_up": responses(Stage.FOLLOW_UP),
        "line_manager": responses(Stage.FOLLOW_UP, Respondent.LINE_MANAGER),
    }


def _report(booking_lookups: dict, *, by_outcome: bool, by_course: bool = False) -> EvaluationReport:
    """Two queries, whatever the number of responses: the response rates and
    every answer in scope (plain rows, assembled by report.build_report)."""
    rates = Booking.objects.filter(**booking_lookups).aggregate(**_response_counts(""))
    # Only attendees' answers: a no-show's pre-course answers describe no one who was taught.
    rows = list(
        Answer.objects.filter(
            _attendee_filter("response__request__booking__"),
            **_prefixed(booking_lookups, "response__request__booking__"),
        )
        .order_by()
        .values(*ANSWER_VALUES, **ANSWER_FIELDS)
    )
    newest = {}
    for row in rows:
        row["choices"] = json.loads(row.pop("choices_json")) if row["kind"] in CHOICE_KINDS else []
        if row["key"] != Key.OUTCOME:
            current = newest.get(row["key"])
            if current is None or (row["version_number"], row["position"]) > current[0]:
                newest[row["key"]] = ((row["version_number"], row["position"]), row["question_id"])
    # The options of the newest version of each question: a handful of rows.
    options = dict(
        Question.objects.filter(pk__in=[question_id for _order, question_id in newest.values()]).values_list(
            "pk", "options"
        )
    )
    labels = EvaluationTemplate.objects.values_list("rating_labels", flat=True).get(is_default=True)
    return build_report(
        rates=Rates(**rates),
        rows=rows,
        options=options,
        rating_labels=labels,
        by_outcome=by_outcome,
        by_course=by_course,
    )


def session_for_results(user, pk: int) -> Session:
    """A session whose results the user may see (403 otherwise, 404 if none)."""
    session = get_object_or_404(Session.objects.select_related("course", "venue").prefetch_related("trainers"), pk=pk)
    if not can_view_session_results(user, session):
        raise PermissionDenied
    return session


def session_report(session: Session) -> EvaluationReport:
    return _report({"session": session}, by_outcome=True)


def course_report(course: Course, period: Period) -> EvaluationReport:
    return _report({"session__course": course, **period.session_lookups("session__")}, by_outcome=True)


def programme_report(period: Period) -> EvaluationReport:
    return _report(period.session_lookups("session__"), by_outcome=False, by_course=True)


# Each course's headline figures, from its answers to the three questions
# they read: per delegate, the change in their ratings summed over the outcomes
# and dimensions they rated both before and after, then per course how many
# went up, stayed level or went down; and the trainer and share-the-learning
# answers. The first part lists every course with such answers, as the
# programme report does even when none can be paired. Two levels of grouping
# (per rated item, then per delegate) that the ORM cannot nest, so this is SQL
# around the ORM's own query for the answers.
_HEADLINES_SQL = """
WITH answers AS ({answers}),
items AS (
    SELECT course_id, booking_id,
           MAX(number) FILTER (WHERE question_stage = %s) AS before,
           MAX(number) FILTER (WHERE question_stage = %s AND timing <> %s) AS after
    FROM answers WHERE key = %s AND respondent = %s
    GROUP BY course_id, booking_id, outcome, dimension
),
changes AS (
    SELECT course_id, SUM(after - before) AS change FROM items
    WHERE before IS NOT NULL AND after IS NOT NULL
    GROUP BY course_id, booking_id
)
SELECT course_id, '', 0, 0, 0 FROM answers GROUP BY course_id
UNION ALL
SELECT course_id, %s, COUNT(*) FILTER (WHERE change > 0), COUNT(*) FILTER (WHERE change = 0),
       COUNT(*) FILTER (WHERE change < 0)
FROM changes GROUP BY course_id
UNION ALL
SELECT course_id, key, COUNT(*) FILTER (WHERE number <> 0), COUNT(*) FILTER (WHERE number >= %s), 0
FROM answers WHERE key = %s GROUP BY course_id, key
UNION ALL
SELECT course_id, key, COUNT(number), COUNT(*) FILTER (WHERE number = 1), 0
FROM answers WHERE key = %s GROUP BY course_id, key
"""

def programme_course_headlines(period: Period) -> dict[int, CourseHeadline]:
    """The programme report's `course_headlines` alone, counted by the
    database in one query (the uptake dashboard and training_report show
    these and nothing else of the report, which reads every answer)."""
    answers = (
        Answer.objects.filter(
            _attendee_filter("response__request__booking__"),
            **_prefixed(period.session_lookups("session__"), "response__request__booking__"),
            question__key__in=[Key.OUTCOME, Key.TRAINER_RATING, Key.SHARE_LEARNING],
        )
        .order_by()
        .values("number", **{name: ANSWER_FIELDS[name] for name in HEADLINE_FIELDS})
    )
    answers_sql, answers_params = answers.query.sql_with_params()
    params = [
        *answers_params,
        QuestionStage.PRE, QuestionStage.POST, Timing.THEN, Key.OUTCOME, Respondent.DELEGATE,
        Key.OUTCOME,
        GOOD_OR_BETTER, Key.TRAINER_RATING,
        Key.SHARE_LEARNING,
    ]
    figures = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(_HEADLINES_SQL.format(answers=answers_sql), params)
        for course_id, key, *counts in cursor.fetchall():
            found = figures[course_id]
            if key == Key.OUTCOME:
                increased, same, decreased = counts
                found[key] = Overall(increased + same + decreased, increased, same, decreased)
            elif key:
                n, yes, _none = counts
                found[key] = YesShare(n, yes)
    return {
        course_id: CourseHeadline(
            found.get(Key.OUTCOME, Overall(0, 0, 0, 0)),
            found.get(Key.TRAINER_RATING, YesShare(0, 0)),
            found.get(Key.SHARE_LEARNING, YesShare(0, 0)),
        )
        for course_id, found in figures.items()
    }


def result_sessions(user, period: Period, *, course: Course | None = None) -> QuerySet[Session]:
    """Sessions held in the period with their attendees and responses: all of
    them for report readers, a trainer's own otherwise."""
    sessions = Session.objects.filter(**period.session_lookups(), start__lte=timezone.now())
    if course is not None:
        sessions = sessions.filter(course=course)
    if not can_view_evaluation_reports(user):
        sessions = sessions.filter(trainers__user=user)
    return (
        sessions.exclude(status=Session.Status.CANCELLED)
        .select_related("course", "venue")
        .annotate(**_response_counts("bookings__"))
        .order_by("-start")
    )


def result_courses(period: Period, headlines: dict[int, CourseHeadline]) -> list[dict]:
    """Each course with sessions in the period: sessions, attendees,
    responses and its headline figures (a programme report's `course_headlines`)."""
    counts = (
        Booking.objects.filter(**period.session_lookups("session__"), session__start__lte=timezone.now())
        .exclude(session__status=Session.Status.CANCELLED)
        .values("session__course_id", "session__course__title")
        .annotate(sessions=Count("session", distinct=True), **_response_counts(""))
        .order_by("session__course__title")
    )
    return [{**row, "headline": headlines.get(row["session__course_id"])} for row in counts]


@dataclass(frozen=True)
class MonitoringTable:
    field: str
    title: str
    rows: list[tuple[str, int | None]]


def equality_years(today: dt.date) -> list[int]:
    """The financial years (by the year each starts) that equality figures are
    given for, latest first: whole years that have ended, back to the first
    with a return. Never a year still running: read a month apart, its
    figures would differ by that month's returns alone."""
    first = EqualOpportunitiesReturn.objects.aggregate(first=Min("session_month"))["first"]
    if first is None:
        return []
    last_ended = financial_year(today).start.year - 1
    return list(range(last_ended, financial_year(first).start.year - 1, -1))


def equal_opportunities(year: int) -> dict:
    """The equal opportunities returns of sessions in the financial year that
    starts in April of `year`, across the whole programme, counted for each
    question. Safe against differencing: whole financial years only (they
    never overlap), never per course or session, every count below
    settings.EQUALITY_SUPPRESS_BELOW hidden (with secondary suppression, see
    statistics) and the rest rounded to the nearest 5. Only counts leave here."""
    threshold = settings.EQUALITY_SUPPRESS_BELOW
    period = financial_year(dt.date(year, 4, 1))
    returns = EqualOpportunitiesReturn.objects.filter(session_month__gte=period.start, session_month__lte=period.end)
    rows = list(returns.values(*EqualOpportunitiesReturn.MONITORED_FIELDS))
    tables = []
    for name in EqualOpportunitiesReturn.MONITORED_FIELDS:
        model_field = EqualOpportunitiesReturn._meta.get_field(name)
        counts = {value: 0 for value, _label in model_field.choices}
        for row in rows:
            if row[name]:
                counts[row[name]] += 1
        shown = suppress_small_counts(counts, threshold)
        tables.append(
            MonitoringTable(
                name,
                str(model_field.verbose_name).capitalize(),
                [(label, round_to_nearest(shown[value])) for value, label in model_field.choices],
            )
        )
    return {
        "period": period,
        "enough": len(rows) >= threshold,
        "returns": round_to_nearest(len(rows)),
        "tables": tables,
        "suppress_below": threshold,
        "rounded_to": ROUND_TO,
    }


def quotes_published(period: Period) -> QuerySet[Quote]:
    """Quotes from sessions in the period, of delegates who agreed to be
    quoted (one published before the question was asked stays out)."""
    return (
        Quote.objects.filter(**period.session_lookups("answer__response__request__booking__session__"))
        .filter(answer__response__may_quote=True)
        .select_related("answer__response__request__booking__session__course", "answer__question")
        .order_by("answer__response__request__booking__session__course__title", "-published_at")
    )


def answer_for_quote(pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("question", "response__request__booking__session__course", "quote"), pk=pk
    )
