"""A practitioner with an account signs in, looks at their account and signs out."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import JobRole
from accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory

from .conftest import scan, visit

PASSWORD = "correct-horse-battery"  # what UserFactory sets


def _account_links(page):
    """The header's account links (sign in, create an account, your account, sign out)."""
    return page.get_by_role("navigation", name="Account")


def _sign_in_form(page, *, email, password):
    visit(page, reverse("courses:calendar"))
    _account_links(page).get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login"))))
    scan(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_a_practitioner_signs_in_sees_their_account_and_signs_out(page, live_server):
    user = UserFactory(
        role=Role.DELEGATE, email="alex.morgan@riverside.example.org", first_name="Alex",
        last_name="Morgan", job_role=JobRole.TEACHER, agency=AgencyFactory(name="Riverside Academy"),
        line_manager_name="Chris Head", line_manager_email="head@riverside.example.org",
    )

    _sign_in_form(page, email="Alex.Morgan@riverside.example.org", password=PASSWORD)

    expect(_account_links(page).get_by_role("link", name="Your account")).to_be_visible()
    scan(page)
    expect(page).to_have_url(live_server.url + reverse("courses:calendar"))
    expect(_account_links(page).get_by_role("link", name="Sign in")).to_have_count(0)

    _account_links(page).get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    scan(page)
    expect(page).to_have_url(live_server.url + reverse("accounts:profile"))
    details = page.locator(".govuk-summary-list")
    expect(details.locator(".govuk-summary-list__row", has_text="Email address")).to_contain_text(user.email)
    expect(details.locator(".govuk-summary-list__row", has_text="Roles")).to_contain_text("Delegate")
    expect(page.get_by_label("First name")).to_have_value("Alex")
    expect(page.get_by_label("Last name")).to_have_value("Morgan")
    expect(page.get_by_label("Job role")).to_have_value(JobRole.TEACHER)
    expect(page.get_by_label("Your organisation").locator("option:checked")).to_have_text("Riverside Academy")
    expect(page.get_by_label("Line manager's name")).to_have_value("Chris Head")
    expect(page.get_by_label("Line manager's email address")).to_have_value("head@riverside.example.org")

    _account_links(page).get_by_role("button", name="Sign out").click()
    expect(_account_links(page).get_by_role("link", name="Sign in")).to_be_visible()
    scan(page)
    expect(_account_links(page).get_by_role("link", name="Your account")).to_have_count(0)

    # Signed out means the account page asks to sign in again.
    visit(page, reverse("accounts:profile"))
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login"))))


def test_a_wrong_password_is_refused_with_an_error(page, live_server):
    UserFactory(role=Role.DELEGATE, email="alex.morgan@riverside.example.org")

    _sign_in_form(page, email="alex.morgan@riverside.example.org", password="not the password at all")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    scan(page)
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text(re.compile("email address and/or password you specified are not correct",
                                               re.I))
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login"))))
    expect(_account_links(page).get_by_role("link", name="Your account")).to_have_count(0)
    # The email address is kept; the password is not.
    expect(page.get_by_label("Email")).to_have_value("alex.morgan@riverside.example.org")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
