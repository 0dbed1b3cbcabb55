"""A PPT reviewer answers, from the uptake dashboard: which agencies booked but
did not come this year, and did voluntary-sector uptake rise?"""

import datetime as dt

from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Sector
from accounts.roles import Role
from tests.dates import ago
from tests.factories import AgencyFactory, BookingFactory, SessionFactory, UserFactory
from tests.reports import history

from .conftest import scan, sign_in


def _attendance(session, agency, **counts):
    for attendance, number in counts.items():
        for _n in range(number):
            BookingFactory(session=session, user=UserFactory(agency=agency), attendance=attendance)


def test_a_ppt_reviewer_finds_the_no_shows_and_the_voluntary_sectors_rise(page, live_server):
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    nursery = AgencyFactory(name="Little Acorns Nursery", sector=sectors["early_years"])
    youth_club = AgencyFactory(name="St Mark's Youth Club", sector=sectors["voluntary_community"])
    police = AgencyFactory(name="Riverside Police", sector=sectors["police"], contributes=True)
    # This financial year: a session that started two hours ago and its register.
    start = ago(hours=2)
    this_year = SessionFactory(
        course__title="Neglect – An Analytical Approach", start=start, end=start + dt.timedelta(hours=7), capacity=20
    )
    _attendance(this_year, nursery, attended=3, did_not_attend=2)
    _attendance(this_year, youth_club, attended=4)
    _attendance(this_year, police, attended=2, did_not_attend=1)
    # The same day a year before: the youth club sent one person.
    earlier = start.replace(year=start.year - 1)
    year_before = SessionFactory(
        course=this_year.course, start=earlier, end=earlier + dt.timedelta(hours=7), capacity=20
    )
    _attendance(year_before, youth_club, attended=1)
    reviewer = UserFactory(role=Role.PPT_REVIEWER, first_name="Priya", last_name="Reviewer")

    sign_in(page, reviewer)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uptake of the training programme")
    scan(page)
    expect(page.locator("#total-attended")).to_have_text("9")

    # Which agencies booked but did not come?
    no_shows = page.get_by_role("region", name="Agencies whose delegates booked but did not come")
    rows = no_shows.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("cell")).to_have_text(
        ["Little Acorns Nursery", "Early years and childcare", "5", "2", "40.0%"]
    )
    expect(rows.nth(1).get_by_role("cell")).to_have_text(["Riverside Police", "Police", "3", "1", "33.3%"])

    # The agency table sorts by no-shows too.
    agencies = page.get_by_role("region", name="Attendance by agency")
    agencies.get_by_role("link", name="No-shows", exact=True).click()
    scan(page)
    agencies = page.get_by_role("region", name="Attendance by agency")
    expect(agencies.get_by_role("columnheader", name="No-shows", exact=True)).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(agencies.locator("tbody tr").first.get_by_role("cell").first).to_have_text("St Mark's Youth Club")

    # Did voluntary-sector uptake rise? The sector table sets it beside the year before ...
    voluntary = (
        page.get_by_role("region", name="Attendance by sector")
        .get_by_role("row")
        .filter(has_text="Voluntary and community")
    )
    expect(voluntary.get_by_role("cell")).to_have_text(
        ["Voluntary and community", "1", "4", "4", "0", "0", "0.0%", "1", "1", "+3"]
    )

    # ... and narrowing the whole dashboard to the sector says the same.
    page.get_by_text("Only some courses or agencies").click()
    page.get_by_label("Sector", exact=True).select_option(label="Voluntary and community")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("main")).to_contain_text("Showing only sector: Voluntary and community.")
    scan(page)
    attended = (
        page.get_by_role("region", name="Year on year")
        .get_by_role("row")
        .filter(has=page.get_by_role("cell", name="Attended", exact=True))
    )
    expect(attended.get_by_role("cell")).to_have_text(["Attended", "4", "1", "+3"])
    expect(page.locator("#total-no-shows")).to_have_text("0")

    # The sector table downloads for the subgroup's papers.
    with page.expect_download() as download:
        page.get_by_role("region", name="Attendance by sector").locator("xpath=following-sibling::p[1]").get_by_role(
            "link", name="CSV"
        ).click()
    assert download.value.suggested_filename.startswith("uptake-sectors-")
    assert reverse("reports:dashboard") in page.url


def test_a_ppt_reviewer_makes_the_annual_training_summary(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    start = ago(hours=3)
    session = SessionFactory(
        course__title="MARAC Awareness", start=start, end=start + dt.timedelta(hours=1), capacity=30
    )
    _attendance(session, AgencyFactory(name="Little Acorns Nursery"), attended=2)
    sign_in(page, UserFactory(role=Role.PPT_REVIEWER))
    page.goto(reverse("reports:dashboard"))
    scan(page)

    page.get_by_role("link", name="Make the annual Training Summary (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make the annual Training Summary")
    scan(page)
    expect(page.get_by_label("MARAC Awareness")).to_be_checked()
    page.get_by_role("button", name="Make the PDF").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Training Summary")
    scan(page)
    expect(page.locator("#run-status")).to_have_text("Ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Training Summary (PDF)").click()
    assert download.value.suggested_filename.startswith("training-summary-")


def test_an_administrator_imports_a_past_year(page, live_server, tmp_path):
    history.contributing_police()
    spreadsheet = tmp_path / "2023-24 registers.csv"
    spreadsheet.write_bytes(history.csv_bytes())
    sign_in(page, UserFactory(role=Role.TRAINING_ADMINISTRATOR))
    page.goto(reverse("core:staff_home"))
    scan(page)

    page.get_by_role("link", name="Import past years of sessions and bookings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import past years")
    scan(page)
    page.get_by_label("Spreadsheet of past sessions and bookings (CSV)").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    scan(page)
    expect(page.locator("#bookings-new")).to_have_text("83")
    page.get_by_role("button", name="Import these bookings").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Past years imported")
    scan(page)
    page.get_by_role("link", name="See the uptake figures").click()
    scan(page)
    page.get_by_label("From").fill("2023-04-01")
    page.get_by_label("To", exact=True).fill("2024-03-31")
    page.get_by_role("button", name="Show the figures").click()
    scan(page)
    expect(page.locator("#total-attendance-rate")).to_have_text("59.1%")
