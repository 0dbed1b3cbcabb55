"""Issue 12, item 2: two-factor sign-in could be skipped through Django admin's
own log-in page, and staff could work without it. Every way in is now the
site's sign-in, which asks for the code, and the roles that see other people's
personal data must set two-factor sign-in up before they can do anything else.
Also the low finding: the password reset page told whether an address has an
account."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db

STAFF_PAGES = {
    Role.TRAINING_ADMINISTRATOR: ["core:staff_home", "accounts:agency_list", "courses:calendar", "accounts:profile"],
    Role.FINANCE: ["payments:finance_summary", "payments:invoice_list", "courses:calendar"],
    Role.PPT_REVIEWER: ["reports:dashboard", "bookings:my_bookings"],
}


def _signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- Django admin's log-in page ---------------------------------------------------


def test_the_admin_log_in_page_does_not_sign_in_with_a_password_alone(client):
    """The probe: POST the password of a training administrator who has
    two-factor sign-in on to /admin/login/, then open the staff area."""
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR, is_staff=True)
    assert Authenticator.objects.filter(user=administrator, type=Authenticator.Type.TOTP).exists()

    client.post("/admin/login/?next=/admin/", {"username": administrator.email, "password": PASSWORD})

    assert _signed_in_user_id(client) is None
    staff_home = client.get(reverse("core:staff_home"))
    assert staff_home.status_code == 302
    assert staff_home.url.startswith(reverse("account_login"))


def test_the_admin_log_in_page_sends_people_to_the_site_sign_in_and_back(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/admin/accounts/user/"


def test_the_admin_log_in_page_will_not_send_anyone_to_another_site(client):
    response = client.get("/admin/login/?next=https://evil.example/")

    assert response.url == f"{reverse('account_login')}?next=/admin/"


def test_a_superuser_signs_in_to_the_admin_through_the_site_sign_in_with_a_code(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)

    to_sign_in = client.get("/admin/", follow=True)
    assert to_sign_in.redirect_chain[-1][0] == f"{reverse('account_login')}?next=/admin/"
    after_password = client.post(
        reverse("account_login"), {"login": superuser.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert after_password.url == reverse("mfa_authenticate")
    assert _signed_in_user_id(client) is None
    after_code = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert after_code.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_person_without_admin_access_is_refused_rather_than_sent_round_in_circles(client):
    client.force_login(UserFactory(role=Role.DELEGATE))

    assert client.get("/admin/login/?next=/admin/").status_code == 403


# --- Other ways a session could be made with a password alone -----------------------


def test_resetting_the_password_then_signing_in_still_asks_for_the_code(
    client, settings, django_capture_on_commit_callbacks
):
    """Even with log-in-on-reset turned on, allauth's login stages ask for the code."""
    settings.ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
    finance = UserFactory(role=Role.FINANCE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": finance.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/key/" in line).strip()
    form_page = client.get(link, follow=True)
    new_password = "a-new-and-long-password-2026"

    response = client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})

    assert response.url == reverse("mfa_authenticate")
    assert _signed_in_user_id(client) is None


def test_confirming_an_email_address_then_signing_in_still_asks_for_the_code(
    client, django_capture_on_commit_callbacks
):
    """Signing in with an unconfirmed address sends a confirmation link, and
    confirming it signs in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION): after the code."""
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR)
    administrator.emailaddress_set.update(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": administrator.email, "password": PASSWORD})
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", mail.outbox[-1].body)[1]

    response = client.post(link)

    assert response.url == reverse("mfa_authenticate")
    assert _signed_in_user_id(client) is None
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert _signed_in_user_id(client) == str(administrator.pk)


def test_signing_in_by_an_emailed_code_is_off(client, administrator):
    from allauth.account import app_settings

    assert app_settings.LOGIN_BY_CODE_ENABLED is False
    # Nor is the page there to ask for a code by e-mail, which would skip the second factor.
    response = client.post("/accounts/login/code/", {"email": administrator.email})
    assert response.status_code == 404
    assert _signed_in_user_id(client) is None


# --- Two-factor sign-in is required for the staff roles --------------------------


@pytest.mark.parametrize("role", list(STAFF_PAGES))
def test_staff_without_an_authenticator_are_sent_to_set_one_up_from_every_page(client, role):
    client.force_login(UserFactory(role=role, with_totp=False))

    for name in STAFF_PAGES[role]:
        response = client.get(reverse(name))
        assert (name, response.status_code, response.get("Location")) == (name, 302, reverse("mfa_activate_totp"))
    posted = client.post(reverse("accounts:profile"), {})
    assert posted.url == reverse("mfa_activate_totp")


def test_a_superuser_without_an_authenticator_is_sent_to_set_one_up_from_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, with_totp=False))

    assert client.get("/admin/").url == reverse("mfa_activate_totp")


def test_the_setup_page_says_why_and_sign_out_and_the_health_check_stay_open(client):
    client.force_login(UserFactory(role=Role.FINANCE, with_totp=False))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    setup = client.get(reverse("mfa_activate_totp"))

    assert setup.status_code == 200
    page = setup.content.decode()
    assert "govuk-notification-banner" in page
    assert "personal data, so you must use two-factor sign-in" in page
    assert client.get(reverse("core:health")).status_code in (200, 503)
    client.post(reverse("account_logout"))
    assert _signed_in_user_id(client) is None


def test_setting_it_up_shows_the_recovery_codes_and_opens_the_staff_area(client):
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR, with_totp=False)
    client.force_login(administrator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret

    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert activated.url == reverse("mfa_view_recovery_codes")
    codes = client.get(activated.url)
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) == 10
    assert codes.context["unused_codes"][0] in codes.content.decode()
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200
    assert codes.context["unused_codes"][0] in download.content.decode()
    assert client.get(reverse("core:staff_home")).status_code == 200


def test_staff_cannot_turn_off_their_last_authenticator(client):
    finance = UserFactory(role=Role.FINANCE)
    client.force_login(finance)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    index = client.get(reverse("mfa_index")).content.decode()
    page = client.get(reverse("mfa_deactivate_totp"))
    posted = client.post(reverse("mfa_deactivate_totp"))

    assert "so it cannot be turned off" in index
    assert reverse("mfa_deactivate_totp") not in index

    assert "Your role needs two-factor sign-in, so you cannot turn it off" in page.content.decode()
    assert "govuk-button--warning" not in page.content.decode()
    assert posted.status_code == 200
    assert "Your role needs two-factor sign-in" in posted.content.decode()
    assert Authenticator.objects.filter(user=finance, type=Authenticator.Type.TOTP).exists()


def test_someone_who_chose_two_factor_without_needing_it_may_turn_it_off(client):
    trainer = UserFactory(role=Role.TRAINER, with_totp=True)
    client.force_login(trainer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert reverse("mfa_deactivate_totp") in client.get(reverse("mfa_index")).content.decode()

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.url == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=trainer, type=Authenticator.Type.TOTP).exists()


def test_the_roles_that_must_use_two_factor_are_configurable(client, settings):
    settings.MFA_REQUIRED_ROLES = [Role.FINANCE]
    client.force_login(UserFactory(role=Role.TRAINING_ADMINISTRATOR, with_totp=False))

    assert client.get(reverse("core:staff_home")).status_code == 200


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.AGENCY_COORDINATOR, Role.TRAINER])
def test_other_roles_work_without_two_factor(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("bookings:my_bookings")).status_code == 200


# --- Password reset answers the same for any address --------------------------------


def _ask_for_a_reset(client, capture, email):
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": email}, follow=True)
    return response, list(mail.outbox)


def _page_without_its_nonce(response):
    """The page as a person reads it (each response carries a fresh script nonce)."""
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


def test_password_reset_answers_the_same_for_an_address_with_and_without_an_account(
    client, django_capture_on_commit_callbacks
):
    """The probe: ask for a reset for a known address and for an unknown one
    and compare what the page says. Both now see the same page; the unknown
    address gets allauth's "unknown account" e-mail instead of a reset link."""
    known = UserFactory(role=Role.DELEGATE, email="known@example.org")

    for_known, known_mail = _ask_for_a_reset(client, django_capture_on_commit_callbacks, known.email)
    for_unknown, unknown_mail = _ask_for_a_reset(client, django_capture_on_commit_callbacks, "nobody-here@example.org")

    assert for_known.redirect_chain == for_unknown.redirect_chain == [(reverse("account_reset_password_done"), 302)]
    assert for_known.status_code == for_unknown.status_code == 200
    assert _page_without_its_nonce(for_known) == _page_without_its_nonce(for_unknown)
    assert [m.to for m in known_mail] == [[known.email]]
    assert "/password/reset/key/" in known_mail[0].body
    assert [m.to for m in unknown_mail] == [["nobody-here@example.org"]]
    assert "/password/reset/key/" not in unknown_mail[0].body
    assert reverse("account_signup") in unknown_mail[0].body
