"""Passwords: at least 12 characters, not a common one, and no rules about
their make-up, so long and Unicode pass phrases are welcome, at sign-up and
when changing a password."""

import pytest
from django.urls import reverse

from accounts.models import JobRole, User
from tests.factories import PASSWORD, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

PASS_PHRASE = "córrect hörse bättery stäple ✓"
LONG_PASS_PHRASE = "the quick brown fox jumps over the lazy dog " * 4 + "and then, at last, it rests."  # 204 characters


def _sign_up(client, password):
    return client.post(
        reverse("account_signup"),
        {
            "email": "nadia.khan@example.org",
            "password1": password,
            "password2": password,
            "first_name": "Nadia",
            "last_name": "Khan",
            "job_role": JobRole.NURSE,
            "agency_choice": str(AgencyFactory().pk),
            "line_manager_name": "Lee Lead",
            "line_manager_email": "lee.lead@example.org",
        },
    )


def _change_password(client, new_password):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    user.refresh_from_db()
    return response, user


def _password_errors(response):
    return " ".join(response.context["form"].errors.get("password1", []))


@pytest.mark.parametrize("password", [PASS_PHRASE, LONG_PASS_PHRASE, "twelve chars"])
def test_sign_up_accepts_long_and_unicode_pass_phrases(client, password):
    assert len(LONG_PASS_PHRASE) >= 200

    response = _sign_up(client, password)

    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.get(email="nadia.khan@example.org").check_password(password)


def test_sign_up_refuses_an_11_character_password_saying_why(client):
    response = _sign_up(client, "eleven char")

    assert "This password is too short. It must contain at least 12 characters." in _password_errors(response)
    assert not User.objects.exists()


def test_sign_up_refuses_a_common_password(client):
    response = _sign_up(client, "qwerty123456")

    assert "This password is too common." in _password_errors(response)
    assert not User.objects.exists()


@pytest.mark.parametrize("password", [PASS_PHRASE, LONG_PASS_PHRASE])
def test_changing_to_a_long_or_unicode_pass_phrase_works(client, password):
    response, user = _change_password(client, password)

    assert response.status_code == 302
    assert user.check_password(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [("eleven char", "at least 12 characters"), ("qwerty123456", "This password is too common.")],
)
def test_changing_to_a_short_or_common_password_is_refused(client, password, message):
    response, user = _change_password(client, password)

    assert message in _password_errors(response)
    assert user.check_password(PASSWORD)
