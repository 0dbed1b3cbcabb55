"""The evaluation services: who is asked what and when, answering once,
certificates, follow-ups with the line manager's view, reminders, equal
opportunities, and templates that change without changing past answers."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from bookings import services as booking_services
from bookings.models import Booking
from certificates.models import Certificate
from evaluations import services, tokens
from evaluations.exceptions import (
    AlreadySubmittedError,
    EvaluationClosedError,
    EvaluationError,
    MissingAnswersError,
    TemplateEditError,
)
from evaluations.models import (
    Answer,
    EqualOpportunitiesReturn,
    EvaluationRequest,
    EvaluationTemplate,
    Key,
    Kind,
    Question,
    Respondent,
    Response,
    Section,
    Stage,
    TemplateQuestion,
)
from evaluations.selectors import default_template
from tests.dates import ago, ahead
from tests.factories import BookingFactory, CourseFactory, SessionFactory, TrainerFactory, UserFactory

from .builders import answered, answers, attendee, held_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evaluation_rules(settings):
    """The partnership's rules as config/settings.py sets them by default."""
    settings.EVALUATION_POST_COURSE_OPEN_DAYS = 28
    settings.EVALUATION_FOLLOW_UP_WEEKS = 8
    settings.EVALUATION_FOLLOW_UP_OPEN_DAYS = 28
    settings.EVALUATION_LINE_MANAGER_OPEN_DAYS = 28
    settings.EVALUATION_REMINDER_LIMIT = 2
    settings.EVALUATION_REMINDER_INTERVAL_DAYS = 4


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """Run the code under test, then deliver its e-mails as the commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _to(address):
    return [message for message in mail.outbox if address in message.to]


def _trainer_of(session):
    from accounts.roles import Role

    user = UserFactory(role=Role.TRAINER)
    session.trainers.add(TrainerFactory(user=user))
    return user


# --- pre-course -------------------------------------------------------------------


def test_a_confirmed_place_opens_the_pre_course_evaluation_linked_from_the_confirmation(delegate, delivered):
    session = SessionFactory(start=ahead(days=10))

    with delivered():
        booking = booking_services.booking_create(session=session, user=delegate)

    request = EvaluationRequest.objects.get(booking=booking)
    assert request.stage == Stage.PRE
    [confirmation] = _to(delegate.email)
    assert f"/evaluations/bookings/{booking.pk}/pre-course/" in confirmation.body


def test_a_waiting_list_place_opens_no_evaluation(delegate):
    session = SessionFactory(start=ahead(days=10), capacity=1, minimum_numbers=0)
    BookingFactory(session=session)

    booking = booking_services.booking_create(session=session, user=delegate)

    assert booking.status == Booking.Status.WAITLISTED
    assert not EvaluationRequest.objects.exists()


def test_the_pre_course_questionnaire_rates_each_outcome_on_three_dimensions():
    course = CourseFactory(learning_outcomes="Recognise the signs\nKnow how to share a concern")

    version = services.questionnaire_current(course=course)

    outcome_ratings = version.questions.filter(stage=Stage.PRE, key=Key.OUTCOME)
    assert [(q.outcome, q.dimension, q.timing) for q in outcome_ratings] == [
        ("Recognise the signs", "knowledge", "now"),
        ("Recognise the signs", "skills", "now"),
        ("Recognise the signs", "confidence", "now"),
        ("Know how to share a concern", "knowledge", "now"),
        ("Know how to share a concern", "skills", "now"),
        ("Know how to share a concern", "confidence", "now"),
    ]
    assert all(q.options == default_template().rating_labels for q in outcome_ratings)


def test_the_post_course_questionnaire_adds_the_then_ratings_and_the_default_questions():
    course = CourseFactory(learning_outcomes="Recognise the signs")

    version = services.questionnaire_current(course=course)

    post = list(version.questions.filter(stage=Stage.POST))
    assert [(q.dimension, q.timing) for q in post if q.key == Key.OUTCOME] == [
        ("knowledge", "now"), ("skills", "now"), ("confidence", "now"),
        ("knowledge", "then"), ("skills", "then"), ("confidence", "then"),
    ]
    keys = [q.key for q in post if q.key != Key.OUTCOME]
    assert keys == [
        Key.TRAINER_RATING, Key.RELEVANCE, Key.SHARE_LEARNING, Key.ADVICE_SOURCES, Key.PRACTICE_CHANGE,
        Key.REQUIREMENTS_MET, Key.COMMENTS,
    ]
    advice = next(q for q in post if q.key == Key.ADVICE_SOURCES)
    assert advice.kind == Kind.MULTIPLE_CHOICE and advice.allow_other
    assert {"MASH (Multi-Agency Safeguarding Hub)", "LADO (Local Authority Designated Officer)", "CEOP"} <= set(
        advice.options
    )


def test_the_same_templates_give_the_same_version():
    course = CourseFactory()

    assert services.questionnaire_current(course=course) == services.questionnaire_current(course=course)


def test_a_delegate_answers_the_pre_course_evaluation_once():
    booking = BookingFactory(session__start=ahead(days=5))

    response = answered(booking, Stage.PRE, rating=2)

    assert response.respondent == Respondent.DELEGATE
    assert response.answers.filter(question__key=Key.OUTCOME).count() == 6
    with pytest.raises(AlreadySubmittedError, match="You completed this evaluation on"):
        answered(booking, Stage.PRE, rating=5)
    assert Response.objects.count() == 1
    assert set(Answer.objects.filter(question__key=Key.OUTCOME).values_list("number", flat=True)) == {2}


def test_the_pre_course_evaluation_closes_when_the_session_starts():
    booking = BookingFactory(session__start=ago(minutes=5))

    with pytest.raises(EvaluationClosedError, match="closed when the session started"):
        answered(booking, Stage.PRE, now=timezone.now())


def test_a_cancelled_booking_cannot_answer_the_pre_course_evaluation():
    booking = BookingFactory(session__start=ahead(days=5), status=Booking.Status.CANCELLED)

    with pytest.raises(EvaluationClosedError, match="confirmed place"):
        answered(booking, Stage.PRE)


def test_missing_required_answers_save_nothing_and_name_the_questions():
    booking = BookingFactory(session__start=ahead(days=5))
    version = services.questionnaire_current(course=booking.session.course)
    given = answers(version, Stage.PRE)
    first_rating = version.questions.filter(stage=Stage.PRE, key=Key.OUTCOME).first()
    del given[first_rating.pk]

    with pytest.raises(MissingAnswersError) as refused:
        services.evaluation_submit(booking=booking, stage=Stage.PRE, version=version, answers=given)

    assert refused.value.question_ids == [first_rating.pk]
    assert "1 question needs an answer" in refused.value.message
    assert not Response.objects.exists()


def test_an_answer_the_question_cannot_take_is_refused():
    booking = BookingFactory(session__start=ahead(days=5))
    version = services.questionnaire_current(course=booking.session.course)
    given = answers(version, Stage.PRE)
    first_rating = version.questions.filter(stage=Stage.PRE, key=Key.OUTCOME).first()
    given[first_rating.pk] = {"number": 9}

    with pytest.raises(MissingAnswersError):
        services.evaluation_submit(booking=booking, stage=Stage.PRE, version=version, answers=given)


def test_answers_to_another_courses_questions_are_refused():
    booking = BookingFactory(session__start=ahead(days=5))
    other = services.questionnaire_current(course=CourseFactory())

    with pytest.raises(EvaluationError, match="another course"):
        services.evaluation_submit(booking=booking, stage=Stage.PRE, version=other, answers={})


# --- templates change, answers do not ---------------------------------------------------


def test_a_template_edited_between_opening_and_answering_keeps_the_answers_with_the_questions_shown(administrator):
    booking = BookingFactory(session__start=ahead(days=5))
    shown = services.questionnaire_current(course=booking.session.course)
    given = answers(shown, Stage.PRE, overrides={"hopes": {"text": "To feel confident about referrals"}})
    hopes = default_template().questions.get(key="hopes")

    services.template_question_update(
        question=hopes, kind=Kind.LONG_TEXT, text="What do you want from the day?", required=False, by=administrator
    )
    response = services.evaluation_submit(booking=booking, stage=Stage.PRE, version=shown, answers=given)

    assert response.version == shown
    answer = response.answers.get(question__key="hopes")
    assert answer.question.text == "What do you most hope to learn from this course?"
    assert answer.text == "To feel confident about referrals"
    newer = services.questionnaire_current(course=booking.session.course)
    assert newer != shown and newer.number == shown.number + 1
    assert newer.questions.get(stage=Stage.PRE, key="hopes").text == "What do you want from the day?"


def test_editing_a_template_never_changes_answers_already_given(administrator):
    booking = BookingFactory(session__start=ahead(days=5))
    answered(booking, Stage.PRE)
    before = list(Answer.objects.values_list("question__text", "number", "text"))

    services.rating_labels_update(labels=["1", "2", "3", "4", "5"], by=administrator)
    services.template_question_update(
        question=default_template().questions.get(key="hopes"), kind=Kind.SHORT_TEXT, text="Hopes?", required=True,
        by=administrator,
    )

    assert list(Answer.objects.values_list("question__text", "number", "text")) == before
    assert Question.objects.filter(version__number=1, options=["1", "2", "3", "4", "5"]).count() == 0


def test_changed_learning_outcomes_make_a_new_version():
    course = CourseFactory(learning_outcomes="One")
    first = services.questionnaire_current(course=course)

    course.learning_outcomes = "One\nTwo"
    course.save()

    second = services.questionnaire_current(course=course)
    assert second.learning_outcomes == ["One", "Two"]
    assert first.learning_outcomes == ["One"]


def test_a_course_can_change_a_default_question_for_itself_only(administrator):
    course, other = CourseFactory(), CourseFactory()
    advice = default_template().questions.get(key=Key.ADVICE_SOURCES)

    copy = services.template_question_override(course=course, question=advice, by=administrator)
    services.template_question_update(
        question=copy, kind=Kind.MULTIPLE_CHOICE, text=advice.text, options=["CEOP", "Safer London"],
        allow_other=True, by=administrator,
    )

    mine = services.questionnaire_current(course=course).questions.get(stage=Stage.POST, key=Key.ADVICE_SOURCES)
    theirs = services.questionnaire_current(course=other).questions.get(stage=Stage.POST, key=Key.ADVICE_SOURCES)
    assert mine.options == ["CEOP", "Safer London"]
    assert theirs.options == advice.options
    # Removing the course's copy brings back the default's.
    services.template_question_delete(question=copy, by=administrator)
    again = services.questionnaire_current(course=course).questions.get(stage=Stage.POST, key=Key.ADVICE_SOURCES)
    assert again.options == advice.options


def test_a_course_question_is_asked_after_the_default_ones(administrator):
    course = CourseFactory()
    services.template_question_create(
        template=services.course_template_for(course=course), section=Section.POST, kind=Kind.SINGLE_CHOICE,
        text="Which session format suits you?", options=["Daytime", "Twilight"], allow_other=True, by=administrator,
    )

    post = list(services.questionnaire_current(course=course).questions.filter(stage=Stage.POST))

    assert post[-1].text == "Which session format suits you?"
    assert post[-1].allow_other


def test_the_reports_questions_keep_their_kind_and_stay_in_the_default(administrator):
    trainer_rating = default_template().questions.get(key=Key.TRAINER_RATING)

    with pytest.raises(TemplateEditError, match="kind stays"):
        services.template_question_update(
            question=trainer_rating, kind=Kind.SHORT_TEXT, text="Trainer?", by=administrator
        )
    with pytest.raises(TemplateEditError, match="default template keeps it"):
        services.template_question_delete(question=trainer_rating, by=administrator)

    services.template_question_update(
        question=trainer_rating, kind=Kind.RATING, text="How good was the trainer?",
        options=["Poor", "Fair", "Good", "Very good", "Excellent"], by=administrator,
    )
    assert TemplateQuestion.objects.get(pk=trainer_rating.pk).text == "How good was the trainer?"


@pytest.mark.parametrize(
    ("kind", "options", "correct", "message"),
    [
        (Kind.RATING, ["Low", "High"], "", "exactly five labels"),
        (Kind.SINGLE_CHOICE, ["Only one"], "", "at least two options"),
        (Kind.MULTIPLE_CHOICE, ["Same", "Same"], "", "different"),
    ],
)
def test_a_question_needs_options_that_fit_its_kind(administrator, kind, options, correct, message):
    with pytest.raises(TemplateEditError, match=message):
        services.template_question_create(
            template=default_template(), section=Section.POST, kind=kind, text="Q", options=options,
            correct_option=correct, by=administrator,
        )


def test_a_knowledge_check_belongs_to_a_course_and_has_a_correct_answer(administrator):
    course = CourseFactory()
    template = services.course_template_for(course=course)

    with pytest.raises(TemplateEditError, match="correct answer must be one of the options"):
        services.template_question_create(
            template=template, section=Section.KNOWLEDGE, kind=Kind.KNOWLEDGE, text="Who chairs MARAC?",
            options=["Police", "Health"], correct_option="Nobody", by=administrator,
        )
    with pytest.raises(TemplateEditError, match="each course"):
        services.template_question_create(
            template=default_template(), section=Section.KNOWLEDGE, kind=Kind.KNOWLEDGE, text="Q",
            options=["A", "B"], correct_option="A", by=administrator,
        )


def test_the_knowledge_check_is_asked_before_and_after_and_marked(administrator):
    booking = BookingFactory(session__start=ahead(days=5))
    services.template_question_create(
        template=services.course_template_for(course=booking.session.course), section=Section.KNOWLEDGE,
        kind=Kind.KNOWLEDGE, text="Within how long must a MASH referral be followed up in writing?",
        options=["24 hours", "48 hours", "A week"], correct_option="48 hours", by=administrator,
    )
    version = services.questionnaire_current(course=booking.session.course)

    assert version.questions.filter(kind=Kind.KNOWLEDGE).values_list("stage", flat=True).count() == 2
    answered(booking, Stage.PRE, knowledge_right=False)
    assert Answer.objects.get(question__kind=Kind.KNOWLEDGE).is_correct is False


def test_moving_a_question_swaps_it_with_its_neighbour(administrator):
    post = list(default_template().questions.filter(section=Section.POST).order_by("position"))

    services.template_question_move(question=post[1], up=True, by=administrator)

    moved = list(default_template().questions.filter(section=Section.POST).order_by("position"))
    assert [q.key for q in moved[:2]] == [post[1].key, post[0].key]


# --- post-course ---------------------------------------------------------------


@pytest.fixture
def running_session():
    session = SessionFactory(start=ago(hours=2), capacity=10, minimum_numbers=0)
    session.end = session.start + dt.timedelta(hours=1)
    session.save()
    return session


def test_submitting_the_register_asks_those_who_came_and_never_no_shows(running_session, delivered):
    trainer = _trainer_of(running_session)
    marks = {}
    people = {}
    for attendance in ("attended", "arrived_late", "left_early", "did_not_attend"):
        booking = BookingFactory(session=running_session)
        marks[booking.pk] = attendance
        people[attendance] = booking
    booking_services.register_mark(session=running_session, marks=marks, by=trainer)

    with delivered():
        booking_services.register_submit(session=running_session, by=trainer)

    asked = set(EvaluationRequest.objects.filter(stage=Stage.POST).values_list("booking__attendance", flat=True))
    assert asked == {"attended", "arrived_late", "left_early"}
    for attendance in ("attended", "arrived_late", "left_early"):
        [invitation] = [m for m in _to(people[attendance].user.email) if m.subject.startswith("How was the course?")]
        assert f"/evaluations/bookings/{people[attendance].pk}/post-course/" in invitation.body
    assert [m.subject for m in _to(people["did_not_attend"].user.email)] == [
        f"You did not attend: {running_session.course.title}"
    ]


@pytest.mark.parametrize("attendance", ["attended", "arrived_late"])
def test_attending_and_answering_the_post_course_evaluation_earns_the_certificate(attendance):
    session = held_session(course__learning_outcomes="Recognise the signs\nShare a concern")
    booking = attendee(session, attendance)

    answered(booking, Stage.POST)

    certificate = Certificate.objects.get(source=f"booking:{booking.pk}")
    assert certificate.user == booking.user
    assert certificate.title == session.course.title
    assert certificate.awarded_on == timezone.localtime(session.start).date()
    assert certificate.duration == "7 hours"
    assert certificate.learning_outcomes == "Recognise the signs\nShare a concern"


def test_leaving_early_earns_no_certificate_though_the_evaluation_is_taken():
    booking = attendee(held_session(), "left_early")

    answered(booking, Stage.POST)

    assert Response.objects.filter(request__booking=booking).exists()
    assert not Certificate.objects.exists()


def test_no_certificate_before_the_post_course_evaluation():
    booking = attendee(held_session())
    answered(booking, Stage.PRE)

    services.evaluation_requests_open()

    assert not Certificate.objects.exists()


def test_a_no_show_cannot_answer_the_post_course_evaluation():
    booking = attendee(held_session(), "did_not_attend")

    with pytest.raises(EvaluationClosedError, match="does not show you as attending"):
        answered(booking, Stage.POST)
    assert not Response.objects.exists()


def test_the_post_course_evaluation_waits_for_the_register():
    session = SessionFactory(start=ago(hours=3))
    booking = attendee(session)

    with pytest.raises(EvaluationClosedError, match="once the trainer has submitted the register"):
        answered(booking, Stage.POST)


def test_the_post_course_evaluation_closes_after_its_days():
    booking = attendee(held_session(days_ago=40))

    with pytest.raises(EvaluationClosedError, match="This evaluation closed on"):
        answered(booking, Stage.POST)


def test_a_post_course_response_submitted_twice_is_kept_once():
    booking = attendee(held_session())
    answered(booking, Stage.POST, rating=4)

    with pytest.raises(AlreadySubmittedError):
        answered(booking, Stage.POST, rating=1)

    assert Response.objects.count() == 1
    assert Certificate.objects.count() == 1


def test_a_certificate_follows_when_leaving_early_is_corrected_to_attended(administrator):
    booking = attendee(held_session(), "left_early")
    answered(booking, Stage.POST)
    Booking.objects.filter(pk=booking.pk).update(attendance="attended")

    made = services.evaluation_requests_open()

    assert made["certificates"] == 1
    assert Certificate.objects.filter(source=f"booking:{booking.pk}").exists()


# --- the hourly sweep ------------------------------------------------------------------


def test_the_sweep_opens_pre_course_requests_for_places_confirmed_elsewhere():
    booking = BookingFactory(session__start=ahead(days=3))  # e.g. confirmed by a card payment
    BookingFactory(session__start=ahead(days=3), status=Booking.Status.WAITLISTED, queue_number=1)

    made = services.evaluation_requests_open()

    assert made["pre"] == 1
    assert EvaluationRequest.objects.get().booking == booking


def test_the_sweep_asks_attendees_added_after_the_register_was_submitted(delivered):
    booking = attendee(held_session())

    with delivered():
        made = services.evaluation_requests_open()

    assert made["post"] == 1
    assert EvaluationRequest.objects.get(stage=Stage.POST).booking == booking
    assert len(_to(booking.user.email)) == 1


def test_the_follow_up_is_sent_after_the_configured_weeks(delivered, settings):
    settings.EVALUATION_FOLLOW_UP_WEEKS = 6
    due = attendee(held_session(days_ago=6 * 7 + 1))
    early = attendee(held_session(days_ago=6 * 7 - 2))
    no_show = attendee(held_session(days_ago=6 * 7 + 1), "did_not_attend")

    with delivered():
        services.evaluation_requests_open()

    follow_ups = EvaluationRequest.objects.filter(stage=Stage.FOLLOW_UP)
    assert [request.booking for request in follow_ups] == [due]
    assert follow_ups.get().closes_at > timezone.now() + dt.timedelta(days=27)
    [invitation] = [m for m in _to(due.user.email) if "changed your practice" in m.subject]
    assert f"/evaluations/bookings/{due.pk}/follow-up/" in invitation.body
    assert not _to(early.user.email) and not _to(no_show.user.email)


def test_running_the_sweep_twice_asks_once(delivered):
    attendee(held_session(days_ago=8 * 7 + 1))

    with delivered():
        services.evaluation_requests_open()
        services.evaluation_requests_open()

    assert EvaluationRequest.objects.filter(stage=Stage.FOLLOW_UP).count() == 1
    assert len([m for m in mail.outbox if "changed your practice" in m.subject]) == 1


# --- follow-up and the line manager -------------------------------------------------------


def _follow_up(booking):
    services.evaluation_requests_open()
    return EvaluationRequest.objects.get(booking=booking, stage=Stage.FOLLOW_UP)


def test_the_follow_up_can_ask_the_line_manager_for_their_view(delivered):
    booking = attendee(held_session(days_ago=8 * 7 + 1))
    request = _follow_up(booking)

    with delivered():
        answered(booking, Stage.FOLLOW_UP, line_manager_email="boss@example.org")

    request.refresh_from_db()
    assert request.line_manager_email == "boss@example.org"
    [invitation] = _to("boss@example.org")
    assert booking.user.get_full_name() in invitation.subject
    assert f"/evaluations/line-manager/{tokens.make(request.pk)}/" in invitation.body

    version = services.questionnaire_current(course=booking.session.course)
    services.line_manager_submit(
        request=request, version=version,
        answers=answers(version, "line_manager", overrides={Key.MANAGER_EXAMPLES: {"text": "Sharper referrals"}}),
    )
    manager = Response.objects.get(respondent=Respondent.LINE_MANAGER)
    assert manager.answers.get(question__key=Key.MANAGER_EXAMPLES).text == "Sharper referrals"
    with pytest.raises(AlreadySubmittedError):
        services.line_manager_submit(request=request, version=version, answers=answers(version, "line_manager"))


def test_the_line_manager_link_expires():
    booking = attendee(held_session(days_ago=8 * 7 + 1))
    request = _follow_up(booking)
    answered(booking, Stage.FOLLOW_UP, line_manager_email="boss@example.org")
    version = services.questionnaire_current(course=booking.session.course)

    with pytest.raises(EvaluationClosedError, match="This link expired"):
        services.line_manager_submit(
            request=request, version=version, answers=answers(version, "line_manager"), now=ahead(days=29)
        )


def test_without_a_copy_the_line_manager_is_not_asked():
    booking = attendee(held_session(days_ago=8 * 7 + 1))
    request = _follow_up(booking)
    answered(booking, Stage.FOLLOW_UP)
    version = services.questionnaire_current(course=booking.session.course)

    with pytest.raises(EvaluationClosedError, match="not valid"):
        services.line_manager_submit(request=request, version=version, answers=answers(version, "line_manager"))
    assert not _to("boss@example.org")


def test_the_follow_up_cannot_be_answered_before_it_is_sent():
    booking = attendee(held_session())

    with pytest.raises(EvaluationClosedError, match="weeks after the course"):
        answered(booking, Stage.FOLLOW_UP)


# --- reminders -------------------------------------------------------------------------


def _age(request, days):
    EvaluationRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_reminders_stop_at_the_limit_and_keep_their_interval(delivered):
    booking = attendee(held_session())
    services.evaluation_post_course_open(session=booking.session)
    request = EvaluationRequest.objects.get()
    _age(request, 5)
    mail.outbox.clear()

    with delivered():
        first = services.evaluation_reminders_send()
        too_soon = services.evaluation_reminders_send(now=ahead(days=1))
        second = services.evaluation_reminders_send(now=ahead(days=5))
        over_limit = services.evaluation_reminders_send(now=ahead(days=10))

    assert (first, too_soon, second, over_limit) == (1, 0, 1, 0)
    reminders = _to(booking.user.email)
    assert len(reminders) == 2
    assert reminders[0].subject == f"Reminder: your post-course evaluation of {booking.session.course.title}"
    assert "Your certificate is" in reminders[0].body


def test_no_reminder_once_answered_or_closed():
    answered_booking = attendee(held_session())
    closed_booking = attendee(held_session(days_ago=40))
    for booking in (answered_booking, closed_booking):
        EvaluationRequest.objects.create(booking=booking, stage=Stage.POST,
                                         closes_at=booking.session.register_submitted_at + dt.timedelta(days=28))
    answered(answered_booking, Stage.POST)
    EvaluationRequest.objects.update(created_at=ago(days=10))

    assert services.evaluation_reminders_send() == 0


def test_pre_course_reminders_wait_for_the_week_before_the_session():
    booking = BookingFactory(session__start=ahead(days=30))
    services.evaluation_pre_course_open(booking=booking)
    _age(EvaluationRequest.objects.get(), 10)

    assert services.evaluation_reminders_send() == 0
    assert services.evaluation_reminders_send(now=ahead(days=27)) == 1


# --- equal opportunities ---------------------------------------------------------------


def test_an_equal_opportunities_return_is_stored_apart_from_the_delegate():
    booking = attendee(held_session())
    answered(booking, Stage.POST)
    request = EvaluationRequest.objects.get(stage=Stage.POST)

    record = services.equal_opportunities_submit(
        request=request, answers={"age_band": "35_44", "ethnicity": "prefer_not_to_say"}
    )

    assert (record.age_band, record.ethnicity, record.sex) == ("35_44", "prefer_not_to_say", "")
    assert record.course == booking.session.course
    assert record.session_month.day == 1
    fields = {field.name for field in EqualOpportunitiesReturn._meta.get_fields()}
    assert not fields & {"user", "booking", "request", "response", "created_at"}
    request.refresh_from_db()
    assert request.equal_opportunities_given
    with pytest.raises(AlreadySubmittedError):
        services.equal_opportunities_submit(request=request, answers={})
    assert EqualOpportunitiesReturn.objects.count() == 1


def test_an_equal_opportunities_answer_must_be_one_offered():
    booking = attendee(held_session())
    answered(booking, Stage.POST)

    with pytest.raises(EvaluationError):
        services.equal_opportunities_submit(
            request=EvaluationRequest.objects.get(stage=Stage.POST), answers={"age_band": "ancient"}
        )


# --- quotes ------------------------------------------------------------------------------


def test_an_administrator_publishes_a_trimmed_comment_and_withdraws_it(administrator):
    booking = attendee(held_session())
    answered(booking, Stage.POST, may_quote=True,
             overrides={Key.COMMENTS: {"text": "Jo from Northgate was brilliant."}})
    answer = Answer.objects.get(question__key=Key.COMMENTS)

    quote = services.quote_publish(answer=answer, text="The trainer was brilliant.", by=administrator)

    assert quote.text == "The trainer was brilliant."
    answer.refresh_from_db()
    assert answer.text == "Jo from Northgate was brilliant."
    services.quote_withdraw(answer=answer, by=administrator)
    assert not answer.__class__.objects.filter(quote__isnull=False).exists()


def test_only_written_answers_become_quotes(administrator):
    booking = attendee(held_session())
    answered(booking, Stage.POST)

    with pytest.raises(EvaluationError):
        services.quote_publish(
            answer=Answer.objects.filter(question__key=Key.TRAINER_RATING).get(), text="4", by=administrator
        )


def test_the_default_template_exists_after_migrating():
    template = EvaluationTemplate.objects.get(is_default=True)

    assert set(Key.RESERVED) <= set(template.questions.values_list("key", flat=True))
    assert len(template.rating_labels) == 5
