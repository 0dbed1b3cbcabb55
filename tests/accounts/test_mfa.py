"""Two-factor sign-in (allauth's MFA: an authenticator app and recovery
codes), offered to the staff roles only (and required of them: see
tests/security/test_two_factor.py). The staff here start without an
authenticator (with_totp=False) and set one up."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _code(secret, *, wrong=False):
    """What an authenticator app shows now (RFC 6238, allauth's own arithmetic)."""
    value = hotp_value(secret, int(time.time()) // 30)
    return format_hotp_value((value + 1) % 10**6 if wrong else value)


def _sign_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def _signed_in_and_password_confirmed(client, user):
    """Changing security settings asks for the password again (allauth's
    reauthentication), even just after signing in."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def _turn_on_two_factor(client, user):
    """Set up the authenticator app; returns the app's secret."""
    _signed_in_and_password_confirmed(client, user)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302
    return secret


@pytest.mark.parametrize("role", [Role.FINANCE, Role.TRAINING_ADMINISTRATOR, Role.PPT_REVIEWER])
def test_staff_are_offered_two_factor_from_their_account_page(client, role):
    client.force_login(UserFactory(role=role))

    profile = client.get(reverse("accounts:profile")).content.decode()

    assert "Two-factor sign-in" in profile
    assert reverse("mfa_index") in profile
    assert client.get(reverse("mfa_index")).status_code == 200


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.AGENCY_COORDINATOR, Role.TRAINER])
def test_other_roles_are_not_offered_two_factor(client, role):
    client.force_login(UserFactory(role=role))

    profile = client.get(reverse("accounts:profile")).content.decode()

    assert "Two-factor" not in profile
    assert client.get(reverse("mfa_index")).status_code == 404
    assert client.get(reverse("mfa_activate_totp")).status_code == 404


def test_setting_up_the_app_shows_a_qr_code_and_a_setup_key(client):
    _signed_in_and_password_confirmed(client, UserFactory(role=Role.FINANCE, with_totp=False))

    response = client.get(reverse("mfa_activate_totp"))

    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert response.context["form"].secret in page


def test_a_wrong_code_does_not_turn_two_factor_on(client):
    finance = UserFactory(role=Role.FINANCE, with_totp=False)
    _signed_in_and_password_confirmed(client, finance)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret, wrong=True)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=finance).exists()


def test_once_on_signing_in_needs_the_code_and_refuses_a_wrong_one(client):
    finance = UserFactory(role=Role.FINANCE, with_totp=False)
    secret = _turn_on_two_factor(client, finance)
    assert Authenticator.objects.filter(user=finance, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))

    after_password = _sign_in(client, finance)
    assert after_password.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("mfa_authenticate"), {"code": _code(secret, wrong=True)})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert right.url == reverse("courses:calendar")
    assert client.session["_auth_user_id"] == str(finance.pk)


def test_a_recovery_code_signs_in_once_without_the_phone(client):
    finance = UserFactory(role=Role.FINANCE, with_totp=False)
    _turn_on_two_factor(client, finance)
    recovery_code = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"][0]
    client.post(reverse("account_logout"))

    _sign_in(client, finance)
    response = client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert client.session["_auth_user_id"] == str(finance.pk)
    client.post(reverse("account_logout"))

    _sign_in(client, finance)
    again = client.post(reverse("mfa_authenticate"), {"code": recovery_code})

    assert response.status_code == 302
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_delegate_signs_in_with_the_password_alone(client):
    delegate = UserFactory(role=Role.DELEGATE)

    response = _sign_in(client, delegate)

    assert response.url == reverse("courses:calendar")
    assert client.session["_auth_user_id"] == str(delegate.pk)
