"""A practitioner opens a course from the calendar to decide whether to book."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import CourseFormat, CourseLevel, CourseView
from tests.factories import BookingFactory, CourseFactory, PriorityFactory, SessionFactory

from .conftest import scan, visit


def _course_with_history():
    course = CourseFactory(
        title="Neglect: an analytical approach",
        slug="neglect-an-analytical-approach",
        format=CourseFormat.FULL_DAY,
        level=CourseLevel.LEVEL_3,
        provider="Riverside Children's Services",
        summary="How to recognise, assess and act on neglect.",
        learning_outcomes="Recognise the signs of neglect\nUse the graded care profile",
        audience="Social workers and early help practitioners.",
    )
    course.priorities.add(PriorityFactory(name="Neglect", slug="neglect"),
                          PriorityFactory(name="Early help", slug="early-help"))
    next_week = SessionFactory(course=course, capacity=20)
    for _ in range(3):
        BookingFactory(session=next_week)
    SessionFactory(course=course, capacity=12, start=next_week.start + dt.timedelta(days=14))
    last_month = timezone.localtime() - dt.timedelta(days=30)
    SessionFactory(course=course, start=last_month, end=last_month + dt.timedelta(hours=3))
    return course


def test_the_course_page_tells_a_practitioner_what_they_need_to_decide(page, live_server):
    course = _course_with_history()

    visit(page, reverse("courses:calendar"))
    page.get_by_role("link", name="Neglect: an analytical approach").first.click()

    expect(page).to_have_url(live_server.url + reverse("courses:course_detail", args=[course.slug]))
    scan(page)
    expect(page).to_have_title(re.compile(r"^Neglect: an analytical approach – "))
    expect(page.get_by_role("heading", level=1)).to_have_text("Neglect: an analytical approach")
    main = page.get_by_role("main")
    expect(main).to_contain_text("How to recognise, assess and act on neglect.")

    outcomes = main.locator("h2:has-text('Learning outcomes') ~ ul").first
    expect(outcomes.get_by_role("listitem")).to_have_text(
        ["Recognise the signs of neglect", "Use the graded care profile"])
    expect(main.get_by_role("heading", name="Who it is for")).to_be_visible()
    expect(main).to_contain_text("Social workers and early help practitioners.")

    facts = main.locator(".govuk-summary-list")
    expect(facts.locator(".govuk-summary-list__row", has_text="Level")).to_contain_text(
        "Level 3 – specialist and multi-agency practice")
    expect(facts.locator(".govuk-summary-list__row", has_text="Provider")).to_contain_text(
        "Riverside Children's Services")
    priorities = facts.locator(".govuk-summary-list__row", has_text="Priorities")
    expect(priorities.get_by_role("link", name="Neglect")).to_have_attribute(
        "href", reverse("courses:calendar") + "?priority=neglect")
    expect(priorities.get_by_role("link", name="Early help")).to_be_visible()

    sessions = main.get_by_role("table", name="Upcoming sessions")
    rows = sessions.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("17 places left")
    expect(rows.nth(1)).to_contain_text("12 places left")
    expect(main).to_contain_text("This course has run 1 time before.")


def test_a_course_page_counts_each_viewer_once_a_day(page, live_server, new_context):
    course = _course_with_history()
    course_url = reverse("courses:course_detail", args=[course.slug])

    visit(page, course_url)
    assert CourseView.objects.filter(course=course).count() == 1

    # The same browser coming back the same day is the same viewer.
    visit(page, course_url)
    page.reload()
    scan(page)
    assert CourseView.objects.filter(course=course).count() == 1

    # Someone else, in another browser, is a second viewer.
    other_browser = new_context().new_page()
    visit(other_browser, course_url)
    assert CourseView.objects.filter(course=course).count() == 2
    assert CourseView.objects.filter(course=course).values("viewer_key").distinct().count() == 2
