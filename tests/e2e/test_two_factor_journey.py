"""A finance officer, who must use two-factor sign-in, sets it up at their first
sign-in and then signs in with a code from their authenticator app; someone
guessing a password is locked out."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, totp_code

from .conftest import scan, visit


def _submit_sign_in(page, email, password):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_a_finance_officer_sets_up_two_factor_at_first_sign_in_and_then_signs_in_with_a_code(page):
    finance = UserFactory(role=Role.FINANCE, with_totp=False)
    visit(page, reverse("account_login"))
    _submit_sign_in(page, finance.email, PASSWORD)

    # Finance sees other people's personal data: setting up the app comes first,
    # after the password again (as for any change to security settings).
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    expect(page.get_by_role("region", name="Important")).to_contain_text("you must use two-factor sign-in")
    scan(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    scan(page)
    visit(page, reverse("payments:finance_summary"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("region", name="Important")).to_contain_text("you must use two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.get_by_label("Setup key").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_role("button", name="Download the codes")).to_be_visible()
    scan(page)
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    scan(page)

    visit(page, reverse("account_login"))
    _submit_sign_in(page, finance.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    scan(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("courses:calendar")) + "$"))
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="Your account")).to_be_visible()
    scan(page)
    visit(page, reverse("payments:finance_summary"))


def test_guessing_a_password_five_times_shows_when_to_try_again(page):
    person = UserFactory(role=Role.DELEGATE)
    visit(page, reverse("account_login"))

    for _ in range(5):
        _submit_sign_in(page, person.email, "a-wrong-guess-at-it")
        page.wait_for_load_state("load")
        scan(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("You have tried to sign in too many times")
    expect(page.get_by_role("link", name="reset your password")).to_be_visible()
