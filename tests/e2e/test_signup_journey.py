"""A practitioner creates an account, verifies their email address and is
signed in; and what happens when the form is not filled in right."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import AgencyRequest, JobRole, Sector, User
from accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory

from .conftest import scan, visit

PASSWORD = "long enough pass phrase 42"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")


def _open_signup(page):
    visit(page, reverse("courses:calendar"))
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    scan(page)


def _fill_signup(page, *, email, organisation=None):
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Job role").select_option(label="Designated safeguarding lead")
    if organisation:
        page.get_by_label("Your organisation").select_option(label=organisation)
    page.get_by_label("Line manager's name").fill("Jo Bloggs")
    page.get_by_label("Line manager's email address").fill("jo.bloggs@riverside.example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)


def _submit(page):
    page.get_by_role("button", name="Create account").click()


def _expect_verification_sent(page):
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("verify your email", re.I))
    scan(page)


def _confirmation_link(to):
    messages = [message for message in mail.outbox if to in message.to]
    assert messages, f"no email to {to}; outbox has {[m.to for m in mail.outbox]}"
    match = CONFIRM_LINK.search(messages[-1].body)
    assert match, f"no confirmation link in:\n{messages[-1].body}"
    return match.group(0)


def test_a_practitioner_signs_up_verifies_their_email_and_is_signed_in(page, live_server):
    school = AgencyFactory(name="Riverside Primary School")

    _open_signup(page)
    _fill_signup(page, email="priya.shah@riverside.example.org", organisation="Riverside Primary School")
    _submit(page)
    _expect_verification_sent(page)

    # Not signed in until the address is confirmed.
    expect(page.get_by_role("link", name="Your account")).to_have_count(0)
    user = User.objects.get(email="priya.shah@riverside.example.org")
    assert not EmailAddress.objects.get(user=user).verified

    visit(page, _confirmation_link("priya.shah@riverside.example.org"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("confirm email address", re.I))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    scan(page)
    expect(page).to_have_url(live_server.url + reverse("courses:calendar"))

    user.refresh_from_db()
    assert EmailAddress.objects.get(user=user).verified
    assert user.first_name == "Priya"
    assert user.last_name == "Shah"
    assert user.agency == school
    assert user.job_role == JobRole.DSL
    assert user.line_manager_name == "Jo Bloggs"
    assert user.line_manager_email == "jo.bloggs@riverside.example.org"
    assert list(user.groups.values_list("name", flat=True)) == [Role.DELEGATE]
    assert user.check_password(PASSWORD)


def test_mistakes_are_listed_for_fixing_and_no_account_is_made(page, live_server):
    AgencyFactory(name="Riverside Primary School")
    existing = UserFactory(email="priya.shah@riverside.example.org")
    users_before = User.objects.count()

    _open_signup(page)
    _fill_signup(page, email="priya.shah@riverside.example.org", organisation=None)
    _submit(page)

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    scan(page)
    expect(page).to_have_title(re.compile(r"^Error: Create an account"))
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link", name="Select your organisation")).to_have_attribute(
        "href", "#id_agency_choice")
    expect(page.locator("#id_agency_choice-error")).to_contain_text("Select your organisation")
    # What was typed is kept (apart from the passwords), so only the mistake needs fixing.
    expect(page.get_by_label("First name")).to_have_value("Priya")
    expect(page.get_by_label("Job role")).to_have_value(JobRole.DSL)
    assert User.objects.count() == users_before

    # The address is already registered: the summary says so, and fixing the
    # organisation alone still makes no second account.
    expect(summary).to_contain_text("A user is already registered with this email address")
    page.get_by_label("Your organisation").select_option(label="Riverside Primary School")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    _submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("already registered")
    scan(page)

    assert User.objects.count() == users_before
    assert User.objects.filter(email__iexact="priya.shah@riverside.example.org").get() == existing
    assert mail.outbox == []


def test_a_practitioner_whose_organisation_is_not_listed_asks_for_it(page, live_server):
    AgencyFactory(name="Riverside Primary School")

    _open_signup(page)
    _fill_signup(page, email="sam.okafor@example.org", organisation="My organisation is not listed")
    page.get_by_label("Organisation name, if not listed").fill("Riverside Youth Boxing Club")
    page.get_by_label("Organisation sector, if not listed").select_option(label="Voluntary and community")
    _submit(page)
    _expect_verification_sent(page)

    user = User.objects.get(email="sam.okafor@example.org")
    assert user.agency is None
    request = AgencyRequest.objects.get(user=user)
    assert request.status == AgencyRequest.Status.PENDING
    assert request.name == "Riverside Youth Boxing Club"
    assert request.sector == Sector.objects.get(name="Voluntary and community")

    # Once signed in, their account page says the request is with the training team.
    visit(page, _confirmation_link("sam.okafor@example.org"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    scan(page)
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    scan(page)
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "You asked us to add “Riverside Youth Boxing Club” to the list of organisations")
