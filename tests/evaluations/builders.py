"""Building evaluations for tests: sessions with submitted registers and
answers to whole questionnaires, through the services."""

from django.utils import timezone

from bookings.models import Booking
from evaluations import services
from evaluations.models import CHOICE_KINDS, Kind, Stage, Timing
from tests.dates import ago
from tests.factories import BookingFactory, SessionFactory


def held_session(*, days_ago=3, **kwargs):
    """A session held `days_ago` days ago whose register was submitted at its end."""
    session = SessionFactory(start=ago(days=days_ago, hours=7), **kwargs)
    session.end = session.start + timezone.timedelta(hours=7)
    session.register_submitted_at = session.end
    session.save()
    return session


def attendee(session, attendance=Booking.Attendance.ATTENDED, **kwargs):
    return BookingFactory(session=session, attendance=attendance, **kwargs)


def answers(version, stage, *, rating=3, then=None, overrides=None, knowledge_right=True):
    """A full set of answers to a stage: every outcome rated `rating` (and
    `then` looking back), every other question answered plausibly.
    `overrides` maps question keys to answer dicts."""
    overrides = overrides or {}
    values = {}
    for question in version.questions.filter(stage=stage):
        if question.key in overrides:
            values[question.pk] = overrides[question.key]
        elif question.is_outcome_rating:
            values[question.pk] = {"number": then if question.timing == Timing.THEN and then else rating}
        elif question.kind == Kind.RATING:
            values[question.pk] = {"number": 4}
        elif question.kind == Kind.YES_NO:
            values[question.pk] = {"number": 1}
        elif question.kind == Kind.KNOWLEDGE:
            wrong = next(option for option in question.options if option != question.correct_option)
            values[question.pk] = {"choices": [question.correct_option if knowledge_right else wrong]}
        elif question.kind in CHOICE_KINDS:
            values[question.pk] = {"choices": [question.options[0]]}
        else:
            values[question.pk] = {"text": f"My answer to {question.text}"}
    return values


def answered(booking, stage, *, line_manager_email="", now=None, may_quote=False, **kwargs):
    """Submit a whole questionnaire for the booking's delegate. A pre-course
    questionnaire of a past session is answered the day before it. Comments
    may be quoted only if `may_quote`."""
    if stage == Stage.PRE and now is None and booking.session.start <= timezone.now():
        now = booking.session.start - timezone.timedelta(days=1)
    version = services.questionnaire_current(course=booking.session.course)
    return services.evaluation_submit(
        booking=booking,
        stage=stage,
        version=version,
        answers=answers(version, stage, **kwargs),
        line_manager_email=line_manager_email,
        may_quote=may_quote,
        now=now,
    )


def evaluation_records():
    """For the permission matrix: a delegate's published-quotable comment, a
    line manager's link and a template question."""
    from evaluations import tokens
    from evaluations.models import Answer, EvaluationRequest, Key
    from evaluations.selectors import default_template

    recent = attendee(held_session())
    answered(recent, Stage.POST, may_quote=True, overrides={Key.COMMENTS: {"text": "Very useful day"}})
    earlier = attendee(held_session(days_ago=8 * 7 + 1))
    services.evaluation_requests_open()
    answered(earlier, Stage.FOLLOW_UP, line_manager_email="manager.of.earlier@example.org")
    follow_up = EvaluationRequest.objects.get(booking=earlier, stage=Stage.FOLLOW_UP)
    return {
        "evaluation_comment": Answer.objects.get(response__request__booking=recent, question__key=Key.COMMENTS),
        "line_manager_token": tokens.make(follow_up.pk),
        "template_question": default_template().questions.get(key="hopes"),
    }
