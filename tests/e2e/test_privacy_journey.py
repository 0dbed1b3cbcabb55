"""A practitioner reads the privacy notice and the accessibility statement and
downloads their data; a training administrator sets the retention period and
erases that practitioner's details on request."""

import json
import re

from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from privacy.models import ErasureRecord
from privacy.selectors import retention_policy
from tests.evaluations.builders import attendee, held_session
from tests.factories import UserFactory

from .conftest import scan, sign_in, visit


def _footer(page):
    return page.locator(".govuk-footer")


def test_a_practitioner_reads_the_notices_and_downloads_their_data(page):
    booking = attendee(held_session(), user=UserFactory(role=Role.DELEGATE, first_name="Noor", last_name="Khan"))

    visit(page, reverse("courses:calendar"))
    _footer(page).get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    scan(page)
    expect(page.get_by_text("for 6 years after your last training")).to_be_visible()
    _footer(page).get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    scan(page)

    sign_in(page, booking.user)
    visit(page, reverse("accounts:profile"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all your data").click()

    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["last_name"] == "Khan"
    assert data["bookings"][0]["course"] == booking.session.course.title


def test_an_administrator_sets_the_retention_period_and_erases_a_person(page):
    person = attendee(held_session(), user=UserFactory(first_name="Ezra", last_name="Quill")).user
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR)
    sign_in(page, administrator)

    visit(page, reverse("core:staff_home"))
    page.get_by_role("link", name="How long records are kept").click()
    scan(page)
    page.get_by_label("Years kept after a person's last training").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Keep records for at least 1 year")
    scan(page)
    page.get_by_label("Years kept after a person's last training").fill("7")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("kept 7 years")
    scan(page)
    assert retention_policy().years == 7

    page.get_by_role("link", name="Erase one person's details on request").click()
    scan(page)
    page.get_by_label("Name or e-mail address").fill("Ezra Quill")
    page.get_by_role("button", name="Find").click()
    scan(page)
    page.get_by_role("link", name=re.compile(r"^Erase")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase this person's details?")
    scan(page)
    page.get_by_role("button", name="Erase their details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm you have checked")
    scan(page)
    page.get_by_label("I have checked this is the person who asked").check()
    page.get_by_role("button", name="Erase their details").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Erased: account {person.pk}")
    scan(page)
    assert ErasureRecord.objects.get().erased_by == administrator
