"""A finance officer turns on two-factor sign-in and then signs in with a code
from their authenticator app; someone guessing a password is locked out."""

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

from .conftest import scan, sign_in, visit


def _authenticator_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _submit_sign_in(page, email, password):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_a_finance_officer_turns_on_two_factor_and_signs_in_with_a_code(page):
    finance = UserFactory(role=Role.FINANCE)
    sign_in(page, finance)

    visit(page, reverse("accounts:profile"))
    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    scan(page)
    page.get_by_role("button", name="Set up an authenticator app").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    scan(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    scan(page)
    secret = page.get_by_label("Setup key").input_value()
    page.get_by_label("Authenticator code").fill(_authenticator_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    scan(page)
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    scan(page)

    visit(page, reverse("account_login"))
    _submit_sign_in(page, finance.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    scan(page)
    page.get_by_label("Code").fill(_authenticator_code(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("courses:calendar")) + "$"))
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="Your account")).to_be_visible()
    scan(page)


def test_guessing_a_password_five_times_shows_when_to_try_again(page):
    person = UserFactory(role=Role.DELEGATE)
    visit(page, reverse("account_login"))

    for _ in range(5):
        _submit_sign_in(page, person.email, "a-wrong-guess-at-it")
        page.wait_for_load_state("load")
        scan(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("You have tried to sign in too many times")
    expect(page.get_by_role("link", name="reset your password")).to_be_visible()
