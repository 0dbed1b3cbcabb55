"""The evaluation pages: delegates answering, line managers by link, the staff
template pages and the reports."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from certificates.models import Certificate
from evaluations import services, tokens
from evaluations.models import (
    Answer,
    EqualOpportunitiesReturn,
    EvaluationRequest,
    Key,
    Kind,
    Quote,
    Response,
    Section,
    Stage,
    TemplateQuestion,
)
from evaluations.selectors import default_template
from tests.dates import ahead
from tests.factories import BookingFactory, CourseFactory, TrainerFactory, UserFactory

from .builders import answered, answers, attendee, held_session

pytestmark = pytest.mark.django_db


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def _form_data(version, stage, **kwargs):
    """The POST a browser sends for a whole questionnaire."""
    data = {"version": version.pk}
    for question_id, value in answers(version, stage, **kwargs).items():
        name = f"q{question_id}"
        if "number" in value:
            data[name] = str(value["number"])
        elif "choices" in value:
            data[name] = value["choices"]
            if value.get("text"):
                data[f"{name}_other"] = value["text"]
        else:
            data[name] = value["text"]
    return data


def _respond_url(booking, slug):
    return reverse("evaluations:respond", args=[booking.pk, slug])


# --- delegates ---------------------------------------------------------------------


def test_your_evaluations_lists_what_is_open_and_what_is_done(client):
    upcoming = BookingFactory(session__start=ahead(days=4), session__course__title="Neglect Awareness")
    delegate = upcoming.user
    services.evaluation_pre_course_open(booking=upcoming)
    past = attendee(held_session(course__title="Prevent Workshop"), user=delegate)
    services.evaluation_post_course_open(session=past.session)
    done = attendee(held_session(course__title="MARAC Awareness", days_ago=5), user=delegate)
    answered(done, Stage.POST)
    client.force_login(delegate)

    page = _text(client.get(reverse("evaluations:mine")))

    assert "Pre-course evaluation: Neglect Awareness" in page
    assert "Post-course evaluation: Prevent Workshop" in page
    assert _respond_url(upcoming, "pre-course") in page
    certificate = Certificate.objects.get()
    assert reverse("certificates:download", args=[certificate.code]) in page


def test_the_pre_course_form_shows_each_outcome_and_saves_the_answers(client):
    booking = BookingFactory(session__start=ahead(days=4), session__course__learning_outcomes="Spot neglect")
    client.force_login(booking.user)
    url = _respond_url(booking, "pre-course")

    page = _text(client.get(url))
    assert "Spot neglect" in page
    assert page.count('type="radio"') == 3 * 5
    version = services.questionnaire_current(course=booking.session.course)

    response = client.post(url, _form_data(version, Stage.PRE, rating=2))

    assert response.status_code == 302
    assert Response.objects.get().request.booking == booking
    assert "Pre-course evaluation complete" in _text(client.get(url))


def test_missing_answers_are_listed_and_the_answers_given_are_kept(client):
    booking = BookingFactory(session__start=ahead(days=4), session__course__learning_outcomes="Spot neglect")
    client.force_login(booking.user)
    version = services.questionnaire_current(course=booking.session.course)
    data = _form_data(version, Stage.PRE, overrides={"hopes": {"text": "Learn the signs"}})
    skills = version.questions.get(stage=Stage.PRE, dimension="skills")
    del data[f"q{skills.pk}"]

    page = _text(client.post(_respond_url(booking, "pre-course"), data))

    assert "There is a problem" in page
    assert "Select your skills rating (now) for “Spot neglect”" in page
    assert f'href="#id_q{skills.pk}_0"' in page
    assert "Learn the signs" in page
    assert not Response.objects.exists()


def test_submitting_twice_says_it_is_already_done(client):
    booking = attendee(held_session())
    client.force_login(booking.user)
    version = services.questionnaire_current(course=booking.session.course)
    client.post(_respond_url(booking, "post-course"), _form_data(version, Stage.POST))

    response = client.post(_respond_url(booking, "post-course"), _form_data(version, Stage.POST, rating=1), follow=True)

    assert "Post-course evaluation complete" in _text(response)
    assert Response.objects.count() == 1


def test_the_post_course_page_offers_the_certificate_and_equal_opportunities(client):
    booking = attendee(held_session())
    answered(booking, Stage.POST)
    client.force_login(booking.user)

    page = _text(client.get(_respond_url(booking, "post-course")))

    certificate = Certificate.objects.get()
    assert "Download your certificate (PDF)" in page
    assert reverse("certificates:download", args=[certificate.code]) in page
    assert reverse("evaluations:equal_opportunities", args=[booking.pk]) in page


def test_left_early_is_told_why_there_is_no_certificate(client):
    booking = attendee(held_session(), "left_early")
    answered(booking, Stage.POST)
    client.force_login(booking.user)

    page = _text(client.get(_respond_url(booking, "post-course")))

    assert "you left the session early, so there is no certificate" in page
    assert "Download your certificate" not in page


def test_a_no_show_is_told_there_is_no_post_course_evaluation(client):
    booking = attendee(held_session(), "did_not_attend")
    client.force_login(booking.user)

    response = client.get(_respond_url(booking, "post-course"))

    assert response.status_code == 200
    assert "The register does not show you as attending this session" in _text(response)
    assert "<form method=\"post\" novalidate>" not in _text(response)


def test_an_expired_evaluation_says_when_it_closed(client):
    booking = attendee(held_session(days_ago=40))
    client.force_login(booking.user)

    assert "This evaluation closed on" in _text(client.get(_respond_url(booking, "post-course")))


def test_nobody_answers_for_someone_else(client):
    booking = BookingFactory(session__start=ahead(days=4))
    client.force_login(UserFactory(role=Role.TRAINING_ADMINISTRATOR))

    assert client.get(_respond_url(booking, "pre-course")).status_code == 404
    assert client.post(_respond_url(booking, "pre-course"), {}).status_code == 404


def test_an_unknown_stage_is_not_found(client):
    booking = BookingFactory(session__start=ahead(days=4))
    client.force_login(booking.user)

    assert client.get(_respond_url(booking, "mid-course")).status_code == 404


def test_a_form_drawn_before_a_template_change_is_saved_against_what_was_shown(client, administrator):
    booking = BookingFactory(session__start=ahead(days=4))
    client.force_login(booking.user)
    client.get(_respond_url(booking, "pre-course"))
    shown = services.questionnaire_current(course=booking.session.course)
    data = _form_data(shown, Stage.PRE)
    services.template_question_create(
        template=default_template(), section=Section.PRE, kind=Kind.SHORT_TEXT, text="Your team?", by=administrator
    )

    response = client.post(_respond_url(booking, "pre-course"), data)

    assert response.status_code == 302
    assert Response.objects.get().version == shown


def test_the_follow_up_needs_the_line_managers_address_to_copy_them(client, django_capture_on_commit_callbacks):
    booking = attendee(held_session(days_ago=8 * 7 + 1))
    services.evaluation_requests_open()
    client.force_login(booking.user)
    version = services.questionnaire_current(course=booking.session.course)
    data = {**_form_data(version, Stage.FOLLOW_UP), "ask_line_manager": "on", "line_manager_email": ""}

    page = _text(client.post(_respond_url(booking, "follow-up"), data))
    assert "Enter your line manager&#x27;s email address" in page

    data["line_manager_email"] = "boss@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_respond_url(booking, "follow-up"), data).status_code == 302
    assert [message.to for message in mail.outbox if "asks for your view" in message.subject] == [
        ["boss@example.org"]
    ]


def test_a_line_manager_adds_their_view_through_the_link(client):
    booking = attendee(held_session(days_ago=8 * 7 + 1))
    services.evaluation_requests_open()
    answered(booking, Stage.FOLLOW_UP, line_manager_email="boss@example.org",
             overrides={Key.PRACTICE_EXAMPLES: {"text": "I now check attendance patterns"}})
    request = EvaluationRequest.objects.get(stage=Stage.FOLLOW_UP)
    url = reverse("evaluations:line_manager", args=[tokens.make(request.pk)])

    page = _text(client.get(url))
    assert "I now check attendance patterns" in page
    version = services.questionnaire_current(course=booking.session.course)

    response = client.post(url, _form_data(version, "line_manager"), follow=True)

    assert "Thank you: your view has been recorded." in _text(response)
    assert Response.objects.filter(respondent="line_manager").count() == 1
    assert "already been recorded" in _text(client.get(url))


def test_an_altered_line_manager_link_opens_nothing(client):
    token = tokens.make(123)

    assert client.get(reverse("evaluations:line_manager", args=[token[:-1] + "x"])).status_code == 404
    assert client.get(reverse("evaluations:line_manager", args=[token])).status_code == 404


def test_equal_opportunities_are_saved_apart_and_only_once(client):
    booking = attendee(held_session())
    answered(booking, Stage.POST)
    client.force_login(booking.user)
    url = reverse("evaluations:equal_opportunities", args=[booking.pk])

    page = _text(client.get(url))
    assert page.count('value="prefer_not_to_say"') == len(EqualOpportunitiesReturn.MONITORED_FIELDS)
    client.post(url, {"age_band": "25_34", "religion": "prefer_not_to_say"})

    assert EqualOpportunitiesReturn.objects.get().age_band == "25_34"
    assert client.get(url).status_code == 302
    assert EqualOpportunitiesReturn.objects.count() == 1


def test_equal_opportunities_wait_for_the_post_course_evaluation(client):
    booking = attendee(held_session())
    client.force_login(booking.user)

    assert client.get(reverse("evaluations:equal_opportunities", args=[booking.pk])).status_code == 404


# --- staff: templates -----------------------------------------------------------------------


def test_an_administrator_adds_a_question_to_a_course(client, administrator):
    course = CourseFactory()
    client.force_login(administrator)
    url = reverse("evaluations:course_question_create", args=[course.pk, "post"])

    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "single_choice", "text": "Was the venue suitable?", "required": "on",
                                 "options": "Yes\nNo"})

    assert response.status_code == 302
    question = TemplateQuestion.objects.get(text="Was the venue suitable?")
    assert question.template.course == course
    assert question.options == ["Yes", "No"]
    page = _text(client.get(reverse("evaluations:template_course", args=[course.pk])))
    assert "Was the venue suitable?" in page and "This course" in page


def test_an_administrator_writes_a_knowledge_check_question(client, administrator):
    course = CourseFactory()
    client.force_login(administrator)
    url = reverse("evaluations:course_question_create", args=[course.pk, "knowledge"])

    page = _text(client.post(url, {"kind": "knowledge", "text": "Who chairs MARAC?", "options": "Police\nHealth",
                                   "correct_option": "Probation"}))
    assert "Copy the correct answer exactly from the options" in page
    assert "Offer “Other”" not in page

    client.post(url, {"kind": "knowledge", "text": "Who chairs MARAC?", "options": "Police\nHealth",
                      "correct_option": "Police", "required": "on"})
    question = TemplateQuestion.objects.get(text="Who chairs MARAC?")
    assert (question.section, question.correct_option) == ("knowledge", "Police")


def test_the_question_form_explains_what_is_wrong(client, administrator):
    client.force_login(administrator)
    url = reverse("evaluations:default_question_create", args=["post"])

    page = _text(client.post(url, {"kind": "rating", "text": "Pace?", "options": "Slow\nFast"}))

    assert "Give five labels for a rating scale, one a line" in page


def test_an_administrator_changes_a_default_question_for_one_course(client, administrator):
    course = CourseFactory()
    advice = default_template().questions.get(key=Key.ADVICE_SOURCES)
    client.force_login(administrator)

    response = client.post(reverse("evaluations:question_override", args=[course.pk, advice.pk]))

    copy = TemplateQuestion.objects.get(template__course=course)
    assert response.url == reverse("evaluations:question_update", args=[copy.pk])
    client.post(response.url, {"kind": "multiple_choice", "text": advice.text, "required": "on",
                               "options": "CEOP\nSafer London", "allow_other": "on"})
    copy.refresh_from_db()
    assert copy.options == ["CEOP", "Safer London"]


def test_the_reports_questions_cannot_be_removed_from_the_default(client, administrator):
    client.force_login(administrator)
    trainer = default_template().questions.get(key=Key.TRAINER_RATING)

    response = client.post(reverse("evaluations:question_delete", args=[trainer.pk]), follow=True)

    assert "the default template keeps it" in _text(response)
    assert TemplateQuestion.objects.filter(pk=trainer.pk).exists()


def test_the_rating_labels_are_edited_on_their_own_page(client, administrator):
    client.force_login(administrator)

    client.post(reverse("evaluations:rating_labels"), {f"point_{n}": label for n, label in
                                                      enumerate(["None", "Some", "Fair", "Good", "Expert"], 1)})

    assert default_template().rating_labels == ["None", "Some", "Fair", "Good", "Expert"]


# --- reports ----------------------------------------------------------------------------


def _evaluated_session(n=12):
    """A session where n delegates answered pre (rating 2) and post (rating 4, then 1)."""
    session = held_session(course__learning_outcomes="Spot neglect\nRefer to MASH")
    for index in range(n):
        booking = attendee(session)
        answered(booking, Stage.PRE, rating=2)
        answered(booking, Stage.POST, rating=4, then=1, may_quote=True,
                 overrides={Key.COMMENTS: {"text": f"Comment {index}"}})
    return session


def test_a_trainer_sees_the_results_of_their_own_session_only(client):
    session = _evaluated_session()
    trainer = UserFactory(role=Role.TRAINER)
    session.trainers.add(TrainerFactory(user=trainer))
    other = held_session()
    client.force_login(trainer)

    page = _text(client.get(reverse("evaluations:report_session", args=[session.pk])))

    assert "Spot neglect" in page and "Refer to MASH" in page
    assert "100%</span> of 12 delegates rated their knowledge, skills and confidence higher" in page
    assert "Comment 3" in page
    assert "Publish as a quote" not in page
    assert client.get(reverse("evaluations:report_session", args=[other.pk])).status_code == 403
    listing = _text(client.get(reverse("evaluations:result_sessions")))
    assert reverse("evaluations:report_session", args=[session.pk]) in listing
    assert reverse("evaluations:report_session", args=[other.pk]) not in listing


def test_the_session_report_shows_the_test_and_says_when_too_few(client, administrator):
    session = _evaluated_session(n=12)
    small = _evaluated_session(n=3)
    client.force_login(administrator)

    page = _text(client.get(reverse("evaluations:report_session", args=[session.pk])))
    assert "Z = +3." in page and "(large)" in page

    page = _text(client.get(reverse("evaluations:report_session", args=[small.pk])))
    assert "Too few pairs to test (3)" in page


def test_an_administrator_publishes_a_comment_as_a_quote_from_the_report(client, administrator):
    session = _evaluated_session(n=2)
    client.force_login(administrator)
    report = reverse("evaluations:report_session", args=[session.pk])
    answer = Answer.objects.filter(text="Comment 1").get()
    url = reverse("evaluations:quote_publish", args=[answer.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Comment one, trimmed", "next": report})

    assert response.url == report
    assert Quote.objects.get().text == "Comment one, trimmed"
    assert "Comment one, trimmed" in _text(client.get(reverse("evaluations:quotes")))
    client.post(reverse("evaluations:quote_withdraw", args=[answer.pk]), {"next": "https://evil.example.org/"})
    assert not Quote.objects.exists()


def test_the_programme_report_has_every_course_and_points_to_the_yearly_monitoring(client):
    _evaluated_session(n=6)
    reviewer = UserFactory(role=Role.PPT_REVIEWER)
    client.force_login(reviewer)

    page = _text(client.get(reverse("evaluations:report_programme")))

    assert "Programme evaluation" in page
    assert "never for a course or a shorter period" in page  # the figures have a page of their own
    assert "rated the trainer Good or better" in page


def test_a_bad_period_is_explained(client, administrator):
    client.force_login(administrator)

    page = _text(client.get(reverse("evaluations:report_programme"), {"start": "2026-05-01", "end": "2026-04-01"}))

    assert "The last day of the period must be the same as or after the first day" in page
