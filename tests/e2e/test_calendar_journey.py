"""A practitioner browses the public course calendar: the list, its filters,
the month grid and a mistyped filter."""

import re
from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from playwright.sync_api import expect

from courses.models import CourseFormat
from tests.factories import BookingFactory, CourseFactory, PriorityFactory, SessionFactory

from .conftest import scan, visit


def _cards(page):
    return page.locator(".govuk-summary-card")


def _card(page, title):
    return _cards(page).filter(has=page.get_by_role("heading", name=title))


def _month_field(page):
    return page.get_by_label(re.compile(r"^Month\b"))


def _programme():
    """Three upcoming sessions: two full days on domestic abuse (one of them
    full), and a lunchtime briefing on neglect."""
    domestic_abuse = PriorityFactory(name="Domestic abuse", slug="domestic-abuse")
    neglect = PriorityFactory(name="Neglect", slug="neglect")
    full_day = CourseFactory(title="Domestic abuse and coercive control", format=CourseFormat.FULL_DAY)
    full_day.priorities.add(domestic_abuse)
    popular = CourseFactory(title="Harm outside the home", format=CourseFormat.FULL_DAY)
    popular.priorities.add(domestic_abuse)
    briefing = CourseFactory(title="Neglect: an analytical approach", format=CourseFormat.BRIEFING)
    briefing.priorities.add(neglect)

    full_day_session = SessionFactory(course=full_day)
    full_session = SessionFactory(course=popular, capacity=1, minimum_numbers=1)
    BookingFactory(session=full_session)
    briefing_session = SessionFactory(course=briefing)
    return full_day_session, full_session, briefing_session


def test_the_calendar_lists_filters_and_shows_a_month(page, live_server):
    full_day_session, full_session, briefing_session = _programme()

    visit(page, reverse("courses:calendar"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Course calendar")
    expect(page.get_by_role("heading", name="Upcoming sessions")).to_contain_text("3 sessions")
    expect(_cards(page)).to_have_count(3)
    for title in ("Domestic abuse and coercive control", "Harm outside the home",
                  "Neglect: an analytical approach"):
        expect(_card(page, title)).to_have_count(1)
    expect(_card(page, "Harm outside the home")).to_contain_text("Full – join the waiting list")
    expect(_card(page, "Domestic abuse and coercive control")).to_contain_text("20 places left")
    expect(_card(page, "Neglect: an analytical approach")).to_contain_text("Lunchtime briefing")

    # Full-day courses on domestic abuse, in the month the sessions run.
    month = full_day_session.start.strftime("%Y-%m")
    page.get_by_label("Partnership priority").select_option(label="Domestic abuse")
    page.get_by_label("Format", exact=True).select_option(label="Full day")
    _month_field(page).fill(month)
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"priority=domestic-abuse"))
    scan(page)
    params = parse_qs(urlparse(page.url).query)
    assert params["priority"] == ["domestic-abuse"]
    assert params["format"] == [CourseFormat.FULL_DAY]
    assert params["month"] == [month]
    month_name = full_day_session.start.strftime("%B %Y")
    expect(page.get_by_role("heading", name=f"Sessions in {month_name}")).to_contain_text("2 sessions")
    expect(_cards(page)).to_have_count(2)
    expect(_card(page, "Domestic abuse and coercive control")).to_have_count(1)
    expect(_card(page, "Harm outside the home")).to_have_count(1)
    expect(_card(page, "Neglect: an analytical approach")).to_have_count(0)
    # The form keeps what was chosen, so it can be adjusted.
    expect(page.get_by_label("Format", exact=True)).to_have_value(CourseFormat.FULL_DAY)

    # The month grid keeps the filters and shows the sessions on their day.
    page.get_by_role("link", name="Month view").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("courses:calendar_month"))))
    scan(page)
    params = parse_qs(urlparse(page.url).query)
    assert params["priority"] == ["domestic-abuse"]
    assert params["month"] == [month]
    grid = page.locator("table.app-calendar-month")
    expect(grid.locator("caption")).to_have_text(month_name)
    day_cell = grid.locator("td").filter(
        has_text=re.compile(rf"\b{full_day_session.start.strftime('%A')} {full_day_session.start.day} "
                            rf"{full_day_session.start.strftime('%B')}\b"))
    expect(day_cell.get_by_role("link", name=re.compile("Domestic abuse and coercive control"))).to_be_visible()
    expect(day_cell.get_by_role("link", name=re.compile(r"Harm outside the home \(full\)"))).to_be_visible()
    expect(grid.get_by_role("link", name=re.compile("Neglect"))).to_have_count(0)

    # Back to the list of upcoming sessions, still filtered; clearing the
    # filters shows everything again.
    page.get_by_role("link", name="List", exact=True).click()
    expect(page.get_by_role("heading", name="Upcoming sessions")).to_contain_text("2 sessions")
    scan(page)
    params = parse_qs(urlparse(page.url).query)
    assert params["priority"] == ["domestic-abuse"]
    assert "month" not in params
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("heading", name="Upcoming sessions")).to_contain_text("3 sessions")
    scan(page)
    assert urlparse(page.url).query == ""


def test_a_mistyped_month_shows_the_error_summary(page, live_server):
    SessionFactory(course__title="Domestic abuse and coercive control")

    visit(page, reverse("courses:calendar") + "?month=2026-13")

    expect(page).to_have_title(re.compile(r"^Error: Course calendar"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    error_link = summary.get_by_role("link", name="Enter a month as year and month, like 2026-12")
    expect(error_link).to_have_attribute("href", "#id_month")
    expect(page.locator("#id_month-error")).to_contain_text("Enter a month as year and month")
    expect(_month_field(page)).to_have_value("2026-13")
    # No sessions are listed until the filter is corrected.
    expect(_cards(page)).to_have_count(0)
    expect(page.get_by_text("Correct the filters to see sessions.")).to_be_visible()

    # The error links to the field, ready to be corrected.
    error_link.click()
    expect(_month_field(page)).to_be_focused()
    _month_field(page).fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(_cards(page)).to_have_count(1)
    scan(page)


def test_the_month_view_shows_an_error_for_a_bad_month_too(page, live_server):
    visit(page, reverse("courses:calendar_month") + "?month=13-2026")

    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a month as year and month")
