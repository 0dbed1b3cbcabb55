"""The web tier's security settings as a production install gets them, the
Content-Security-Policy, caching of personal pages, the session's lifetime and
the error pages."""

import json
import os
import re
import secrets
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.template import loader
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from accounts.middleware import RENEWED_AT, SIGNED_IN_AT
from bookings import tokens
from tests.factories import BookingFactory, UserFactory

pytestmark = pytest.mark.django_db


# Set by the browser tests for their own process (tests/e2e/conftest.py); a
# production server never has it, and check --deploy rightly refuses it.
TEST_ONLY_VARIABLES = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def _production_environment(tmp_path, **extra):
    return {
        **{name: value for name, value in os.environ.items() if name not in TEST_ONLY_VARIABLES},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "training.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # Production refuses Stripe's test values (tests/security/test_admin_and_headers.py).
        "STRIPE_SECRET_KEY": "sk_live_" + "x" * 24,
        "STRIPE_PUBLISHABLE_KEY": "pk_live_" + "x" * 24,
        "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(16),
        **extra,
    }


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_SETTINGS = """
import json
from django.conf import settings as s
names = ["SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE"]
print(json.dumps({name: getattr(s, name, None) for name in names}))
"""


def _production_settings(env):
    result = _manage("shell", "-c", PRINT_SETTINGS, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# Production settings


def test_the_deployment_checks_pass_with_production_settings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_environment(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_is_https_only_with_host_only_secure_cookies(tmp_path):
    values = _production_settings(_production_environment(tmp_path))

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert (values["SESSION_COOKIE_NAME"], values["SESSION_COOKIE_SECURE"]) == ("__Host-sessionid", True)
    assert (values["CSRF_COOKIE_NAME"], values["CSRF_COOKIE_SECURE"]) == ("__Host-csrftoken", True)
    # Without a trusted proxy, a client's X-Forwarded-Proto is not believed.
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_a_trusted_proxy_is_believed_about_https_only_when_configured(tmp_path):
    values = _production_settings(_production_environment(tmp_path, TRUSTED_PROXY_SSL_HEADER="true"))

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("courses:calendar"))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


# Content-Security-Policy (the payment page's additions: tests/payments/test_pay_page_security.py)


def _directives(header):
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_an_ordinary_page_has_the_strict_policy_and_no_stripe(client):
    response = client.get(reverse("courses:calendar"))

    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["style-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert "stripe" not in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response


def test_the_inline_script_carries_the_nonce_of_its_own_response(client):
    first = client.get(reverse("courses:calendar"))
    second = client.get(reverse("courses:calendar"))

    nonces = [
        re.fullmatch(r"'nonce-(.+)'", _directives(r["Content-Security-Policy"])["script-src"][1])[1]
        for r in (first, second)
    ]
    assert nonces[0] != nonces[1]
    assert f'<script nonce="{nonces[0]}">' in first.content.decode()


def test_report_only_mode_can_be_switched_on(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    del settings.CONTENT_SECURITY_POLICY

    response = client.get(reverse("courses:calendar"))

    assert "Content-Security-Policy" not in response
    assert "object-src 'none'" in response["Content-Security-Policy-Report-Only"]


# Cache-Control on pages with personal data


def _cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_pages_for_a_signed_in_person_are_never_stored(client):
    client.force_login(UserFactory())

    for url in (reverse("courses:calendar"), reverse("accounts:profile"), reverse("bookings:my_bookings")):
        assert {"no-store", "private"} <= _cache_control(client.get(url)), url


def test_public_pages_for_visitors_are_left_to_the_default(client):
    response = client.get(reverse("courses:calendar"))

    assert "no-store" not in _cache_control(response)


def test_a_token_link_page_is_never_stored_though_nobody_is_signed_in(client):
    token = tokens.make(BookingFactory().pk, tokens.RELEASE_SALT)

    response = client.get(reverse("bookings:release", args=[token]))

    assert {"no-store", "private"} <= _cache_control(response)


@pytest.mark.urls(__name__)
def test_a_view_that_chose_its_own_caching_keeps_it(client):
    client.force_login(UserFactory())

    response = client.get("/public-picture/")

    assert _cache_control(response) == {"public", "max-age=86400"}


# The session's lifetime


def _stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_left_idle_for_30_minutes_is_over(client):
    client.force_login(UserFactory())
    assert _stored_session(client).expire_date <= timezone.now() + timedelta(minutes=30)
    # Thirty minutes without a request later:
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())

    response = client.get(reverse("accounts:profile"))

    assert response.url.startswith(reverse("account_login"))


def test_using_the_site_keeps_the_session_alive_for_another_30_minutes(client):
    client.force_login(UserFactory())
    session = client.session
    session[RENEWED_AT] = time.time() - 25 * 60  # last renewed 25 minutes ago,
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + timedelta(minutes=5))

    client.get(reverse("accounts:profile"))

    assert _stored_session(client).expire_date > timezone.now() + timedelta(minutes=29)


def test_a_session_ends_12_hours_after_sign_in_however_busy(client):
    client.force_login(UserFactory())
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 1
    session.save()

    response = client.get(reverse("accounts:profile"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert not response.context["user"].is_authenticated
    assert "Sign in again" in response.content.decode()


def test_a_session_younger_than_12_hours_carries_on(client):
    client.force_login(UserFactory())
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 11 * 3600
    session.save()

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 200


def test_signing_in_starts_the_lifetime(client):
    client.force_login(UserFactory())

    assert time.time() - client.session[SIGNED_IN_AT] < 60


# Error pages


def _failing_view(request):
    raise RuntimeError("database password is hunter2")


def _public_picture(request):
    response = HttpResponse(b"GIF89a", content_type="image/gif")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# The URLs of the tests marked @pytest.mark.urls(__name__).
urlpatterns = [path("fails/", _failing_view), path("public-picture/", _public_picture)]


@pytest.mark.urls(__name__)
def test_an_error_in_a_view_shows_the_service_problem_page_without_internals(client):
    client.raise_request_exception = False

    response = client.get("/fails/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "hunter2" not in page
    assert "Traceback" not in page
    assert "RuntimeError" not in page


def test_the_500_page_renders_with_no_request_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = loader.get_template("500.html").render()

    assert "Sorry, there is a problem with the service" in page


def test_a_form_without_its_csrf_token_is_refused_with_the_service_page():
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post(reverse("account_login"), {"login": "someone@example.org", "password": "whatever"})

    assert response.status_code == 403
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_missing_page_answers_the_page_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
