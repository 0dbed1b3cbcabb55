"""A delegate evaluates a course before it, after it (and downloads the
certificate it unlocks) and some weeks on, when their line manager adds their
view; the trainer reads the results and an administrator adds a question."""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from bookings import services as booking_services
from bookings.models import Booking
from evaluations import services
from evaluations.models import EqualOpportunitiesReturn, Response, Stage, TemplateQuestion
from tests.dates import ahead
from tests.evaluations.builders import answered, attendee, held_session
from tests.factories import SessionFactory, TrainerFactory, UserFactory

from .conftest import scan, sign_in, visit

COURSE = "Neglect: an analytical approach"
OUTCOMES = "Recognise the signs of neglect\nUse the graded care profile"


def _banner(page):
    return page.locator(".govuk-notification-banner")


def _open_your_evaluations(page):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your evaluations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evaluations")
    scan(page)


def _rate_every_outcome(page, now, then=None):
    """Tick a rating for each learning outcome (and looking back, when asked)."""
    for outcome in page.locator(".app-outcome").all():
        groups = outcome.locator(".app-rating").all()
        for index, group in enumerate(groups):
            point = then if then and index >= len(groups) // 2 else now
            group.get_by_label(re.compile(rf"^{point} – ")).check()


def test_a_delegate_answers_the_pre_course_evaluation_after_one_mistake(page, live_server):
    delegate = UserFactory(role=Role.DELEGATE, first_name="Priya", last_name="Shah")
    session = SessionFactory(start=ahead(days=9), course__title=COURSE, course__learning_outcomes=OUTCOMES)
    booking_services.booking_create(session=session, user=delegate)

    sign_in(page, delegate)
    _open_your_evaluations(page)
    page.get_by_role("link", name=f"Pre-course evaluation: {COURSE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    scan(page)
    expect(page.get_by_role("group", name="Knowledge – Recognise the signs of neglect, now")).to_be_visible()

    # Only the first outcome rated: the page says what is missing and keeps what was given.
    first = page.locator(".app-outcome").first
    for group in first.locator(".app-rating").all():
        group.get_by_label(re.compile(r"^2 – ")).check()
    page.get_by_label("What do you most hope to learn from this course? (optional)").fill("How to use the GCP2")
    page.get_by_role("button", name="Submit your answers").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(summary).to_contain_text("Select your knowledge rating (now) for “Use the graded care profile”")
    scan(page)
    expect(page.get_by_label("What do you most hope to learn from this course? (optional)")).to_have_value(
        "How to use the GCP2"
    )
    expect(first.locator(".app-rating").first.get_by_label(re.compile(r"^2 – "))).to_be_checked()

    _rate_every_outcome(page, now=2)
    page.get_by_role("button", name="Submit your answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pre-course evaluation complete")
    expect(_banner(page)).to_contain_text("Thank you: your answers are saved.")
    scan(page)
    response = Response.objects.get()
    assert response.request.stage == Stage.PRE
    assert sorted(set(response.answers.filter(question__key="outcome").values_list("number", flat=True))) == [2]


def test_a_delegate_answers_the_post_course_evaluation_and_downloads_the_certificate(page, live_server):
    session = held_session(course__title=COURSE, course__learning_outcomes=OUTCOMES)
    booking = attendee(session, user=UserFactory(role=Role.DELEGATE, first_name="Tom", last_name="Okafor"))
    services.evaluation_post_course_open(session=session)

    sign_in(page, booking.user)
    _open_your_evaluations(page)
    page.get_by_role("link", name=f"Post-course evaluation: {COURSE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    scan(page)

    _rate_every_outcome(page, now=4, then=2)
    page.get_by_role("group", name="How would you rate the trainer?").get_by_label("5 – Excellent").check()
    page.get_by_role("group", name="How relevant was the course content to your work?").get_by_label(
        "4 – Very relevant"
    ).check()
    page.get_by_role("group", name="I will share this learning with colleagues and my line manager").get_by_label(
        "Yes"
    ).check()
    advice = page.get_by_role("group", name="Where would you go for further advice and support?")
    advice.get_by_label("MASH (Multi-Agency Safeguarding Hub)").check()
    advice.get_by_label("Other").check()
    page.get_by_label("If you chose “Other”, say what").fill("The school nurse")
    page.get_by_label("How will this course change your practice?").fill("I will use the graded care profile.")
    page.get_by_role("group", name="Were your additional requirements met?").get_by_label(
        "I had no additional requirements"
    ).check()
    page.get_by_role("button", name="Submit your answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Post-course evaluation complete")
    scan(page)
    download = page.get_by_role("link", name="Download your certificate (PDF)")
    expect(download).to_be_visible()
    pdf = page.request.get(download.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Anyone can check the certificate by its code.
    code = booking.user.certificates.get().code
    verify = visit(page, reverse("certificates:verify", args=[code]))
    assert verify.ok
    expect(page.locator(".govuk-panel")).to_contain_text("This certificate is genuine")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Tom Okafor")

    # The optional equal opportunities questions, stored apart from the delegate.
    visit(page, reverse("evaluations:respond", args=[booking.pk, "post-course"]))
    page.get_by_role("link", name="Answer the equal opportunities questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equal opportunities monitoring")
    scan(page)
    page.get_by_role("group", name="What is your age?").get_by_label("35 to 44").check()
    page.get_by_role("group", name="What is your ethnic group?").get_by_label("Prefer not to say").check()
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your evaluations")
    expect(_banner(page)).to_contain_text("with nothing that identifies you")
    scan(page)
    record = EqualOpportunitiesReturn.objects.get()
    assert (record.age_band, record.ethnicity, record.sex) == ("35_44", "prefer_not_to_say", "")


def test_the_follow_up_brings_in_the_line_managers_view(page, another_browser, live_server):
    session = held_session(days_ago=8 * 7 + 2, course__title=COURSE, course__learning_outcomes=OUTCOMES)
    booking = attendee(session, user=UserFactory(role=Role.DELEGATE, first_name="Ama", last_name="Boateng",
                                                 line_manager_email="kim.lead@example.org"))
    services.evaluation_requests_open()

    sign_in(page, booking.user)
    _open_your_evaluations(page)
    page.get_by_role("link", name=f"Follow-up evaluation: {COURSE}").click()
    scan(page)
    page.get_by_role("group", name="Has the course changed your practice?").get_by_label("Yes").check()
    page.get_by_label("Give an example of what you now do differently").fill("I refer earlier, with evidence.")
    page.get_by_label("Ask my line manager to add their view").check()
    expect(page.get_by_label("Your line manager's email address")).to_have_value("kim.lead@example.org")
    page.get_by_role("button", name="Submit your answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up evaluation complete")
    scan(page)
    [invitation] = [message for message in mail.outbox if message.to == ["kim.lead@example.org"]]
    link = re.search(r"http://\S+/evaluations/line-manager/\S+/", invitation.body).group(0)

    manager = another_browser()
    visit(manager, link.replace("http://127.0.0.1:8000", live_server.url))
    expect(manager.get_by_role("heading", level=1)).to_have_text("Your view of Ama Boateng's practice")
    expect(manager.locator(".govuk-summary-list")).to_contain_text("I refer earlier, with evidence.")
    manager.get_by_role("group", name="Have you seen a change in their practice since the course?").get_by_label(
        "Yes"
    ).check()
    manager.get_by_label("What difference has it made?").fill("Sharper referrals to the MASH.")
    manager.get_by_role("button", name="Send your view").click()

    expect(manager.locator(".govuk-notification-banner")).to_contain_text("Thank you: your view has been recorded.")
    scan(manager)
    assert Response.objects.filter(respondent="line_manager").count() == 1


def test_a_trainer_reads_their_sessions_results(page, live_server):
    session = held_session(course__title=COURSE, course__learning_outcomes=OUTCOMES)
    for rating in (2, 3, 2):
        booking = attendee(session)
        answered(booking, Stage.PRE, rating=rating)
        answered(booking, Stage.POST, rating=4, then=1, overrides={"comments": {"text": "Best course this year"}})
    trainer = UserFactory(role=Role.TRAINER, first_name="Tess", last_name="Trainer")
    session.trainers.add(TrainerFactory(user=trainer, name="Tess Trainer"))

    sign_in(page, trainer)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Evaluation results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation results")
    scan(page)
    page.get_by_role("link", name=re.compile(re.escape(COURSE))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    scan(page)

    expect(page.locator(".app-headline").first).to_contain_text("100%")
    outcome = page.get_by_role("table", name="Recognise the signs of neglect")
    expect(outcome).to_contain_text("Too few pairs to test (3)")
    expect(page.get_by_role("table", name="Knowledge, every learning outcome")).to_be_visible()
    expect(page.locator(".app-comments")).to_contain_text("Best course this year")
    assert Booking.objects.filter(session=session).count() == 3


def test_an_administrator_adds_a_question_to_a_course(page, live_server):
    session = SessionFactory(start=ahead(days=9), course__title=COURSE)
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR)

    sign_in(page, administrator)
    visit(page, reverse("evaluations:template_list"))
    page.get_by_role("link", name=COURSE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    scan(page)
    page.get_by_role("link", name="Add a question – Post-course").click()
    scan(page)
    page.get_by_label("Single choice").check()
    page.get_by_label("Question", exact=True).fill("Was the venue easy to reach?")
    page.get_by_label("Options").fill("Yes\nNo")
    page.get_by_role("button", name="Save").click()

    expect(_banner(page)).to_contain_text("Question added")
    scan(page)
    expect(page.get_by_role("table", name="Post-course")).to_contain_text("Was the venue easy to reach?")
    question = TemplateQuestion.objects.get(text="Was the venue easy to reach?")
    assert question.template.course == session.course
