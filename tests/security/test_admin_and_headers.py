"""Issue 12, item 6 and five of the low findings.

Item 6: the Django admin changed what the services and the audit log own. A
training administrator cancelled a session there (no e-mails, no audit entry,
the bookings stayed confirmed), set a course's price and flipped an agency's
"contributes" flag unaudited. Now the admin is for superusers only, and
read-only for money and lifecycles; every change that moves money is audited
wherever the site lets it be made.

The low findings: no Permissions-Policy header; a bad Host header answered
500; /certificates/%00/ answered 500; gunicorn believed X-Forwarded-Proto with
TRUSTED_PROXY_SSL_HEADER off; production started with Stripe's public test
values."""

import os
import runpy
import secrets
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, AgencyRequest, Sector, User
from accounts.roles import Role
from audit.models import AuditEntry
from bookings.models import Booking, NonAttendanceReason
from courses.models import Course, Session
from tests.factories import AgencyFactory, BookingFactory, CourseFactory, SessionFactory, UserFactory
from tests.stripe_server import free_port

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


def _superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_flagged_administrator():
    """A training administrator with Django's staff flag, as the demo's has and the probe used."""
    return UserFactory(role=Role.TRAINING_ADMINISTRATOR, is_staff=True)


def _split(value):
    """A datetime as the admin's date and time boxes take it."""
    if value is None:
        return {"0": "", "1": ""}
    local = timezone.localtime(value)
    return {"0": local.strftime("%Y-%m-%d"), "1": local.strftime("%H:%M:%S")}


def _session_cancelled_in_the_admin(session):
    """The admin's change form for a session, saying it is cancelled."""
    data = {
        "course": session.course_id,
        "venue": session.venue_id,
        "online_url": "",
        "capacity": session.capacity,
        "minimum_numbers": session.minimum_numbers,
        "status": Session.Status.CANCELLED,
        "cancellation_reason": "Cancelled in the admin",
        "register_submitted_by": "",
    }
    for name in ("start", "end", "cancelled_at", "booking_closes_at", "register_submitted_at"):
        value = timezone.now() if name == "cancelled_at" else getattr(session, name)
        data.update({f"{name}_{part}": text for part, text in _split(value).items()})
    return data


def _course_priced_in_the_admin(course):
    return {
        "title": course.title,
        "slug": course.slug,
        "format": course.format,
        "level": course.level,
        "summary": course.summary,
        "learning_outcomes": course.learning_outcomes,
        "audience": course.audience,
        "provider": "",
        "is_published": "on",
        "charging": Course.Charging.FIXED,
        "fixed_price_pence": 7500,
        "agency_cap": "",
    }


# Item 6: who gets the admin at all


def test_a_training_administrator_gets_no_admin_pages(client, staff_flagged_administrator):
    session = SessionFactory()
    client.force_login(staff_flagged_administrator)

    for url in (
        reverse("admin:index"),
        reverse("admin:courses_session_changelist"),
        reverse("admin:courses_session_change", args=[session.pk]),
        reverse("admin:accounts_agency_changelist"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "login" in response.url, url


def test_a_training_administrator_cannot_cancel_a_session_in_the_admin(client, staff_flagged_administrator):
    session = SessionFactory()
    BookingFactory.create_batch(3, session=session)
    client.force_login(staff_flagged_administrator)

    response = client.post(
        reverse("admin:courses_session_change", args=[session.pk]), _session_cancelled_in_the_admin(session)
    )

    assert response.status_code in (302, 403)
    session.refresh_from_db()
    assert (session.status, session.cancellation_reason) == (Session.Status.SCHEDULED, "")
    assert set(session.bookings.values_list("status", flat=True)) == {Booking.Status.CONFIRMED}


def test_a_training_administrator_cannot_price_a_course_in_the_admin(client, staff_flagged_administrator):
    course = CourseFactory()
    client.force_login(staff_flagged_administrator)

    client.post(reverse("admin:courses_course_change", args=[course.pk]), _course_priced_in_the_admin(course))

    course.refresh_from_db()
    assert (course.charging, course.fixed_price_pence) == (Course.Charging.BAND, None)


# Item 6: what a superuser may do there


def test_a_superuser_sees_a_session_in_the_admin_but_cannot_cancel_it(client):
    session = SessionFactory()
    BookingFactory.create_batch(3, session=session)
    client.force_login(_superuser())

    page = client.get(reverse("admin:courses_session_change", args=[session.pk]))
    response = client.post(
        reverse("admin:courses_session_change", args=[session.pk]), _session_cancelled_in_the_admin(session)
    )

    assert page.status_code == 200
    assert response.status_code == 403
    session.refresh_from_db()
    assert (session.status, session.cancelled_at) == (Session.Status.SCHEDULED, None)
    assert set(session.bookings.values_list("status", flat=True)) == {Booking.Status.CONFIRMED}


def test_a_superuser_cannot_set_a_course_price_in_the_admin(client):
    course = CourseFactory()
    client.force_login(_superuser())

    response = client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        {**_course_priced_in_the_admin(course), "title": "Renamed in the admin"},
    )

    assert response.status_code == 302  # the rest of the course saves
    course.refresh_from_db()
    assert course.title == "Renamed in the admin"
    assert (course.charging, course.fixed_price_pence) == (Course.Charging.BAND, None)
    assert not AuditEntry.objects.exists()


def test_a_superuser_cannot_flip_an_agencys_contributes_flag_in_the_admin(client):
    agency = AgencyFactory(contributes=False)
    client.force_login(_superuser())

    response = client.post(
        reverse("admin:accounts_agency_change", args=[agency.pk]),
        {"name": agency.name, "sector": agency.sector_id, "contributes": "on", "is_active": "on"},
    )

    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.contributes is False


def test_a_superuser_cannot_move_a_person_to_another_agency_in_the_admin(client):
    """What a person pays follows their agency, which changes only by a decided request."""
    person = UserFactory()
    contributing = AgencyFactory(contributes=True)
    client.force_login(_superuser())
    fields = ["email", "first_name", "last_name", "job_role", "line_manager_name", "line_manager_email"]

    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            **{name: getattr(person, name) for name in fields},
            "agency": contributing.pk,
            "is_active": "on",
            "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": "09:00:00",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.agency != contributing


# Fields that decide what people pay: services and the audit log own them.
OWNED_FIELDS = {
    Course: {"charging", "fixed_price_pence"},
    Agency: {"contributes", "charging_band"},
    Sector: {"default_band"},
    User: {"agency"},
}
# Lifecycles and ledgers: the staff area's pages change them through services.
WHOLLY_READ_ONLY = {Session, Booking, NonAttendanceReason, AgencyRequest, AuditEntry}


def test_no_admin_page_edits_what_a_service_or_the_audit_log_owns(rf):
    request = rf.get("/admin/")
    request.user = _superuser()
    ledgers = set(apps.get_app_config("payments").get_models())

    for model, model_admin in admin.site._registry.items():
        if model in WHOLLY_READ_ONLY | ledgers:
            can = (
                model_admin.has_add_permission(request),
                model_admin.has_change_permission(request),
                model_admin.has_delete_permission(request),
            )
            assert can == (False, False, False), model._meta.label
        elif model in OWNED_FIELDS:
            assert OWNED_FIELDS[model] <= set(model_admin.get_readonly_fields(request)), model._meta.label


# Item 6: money changes on the staff pages are audited


def test_changing_an_agencys_contributes_flag_on_the_staff_page_is_audited(client, administrator):
    agency = AgencyFactory(contributes=False)
    client.force_login(administrator)

    response = client.post(
        reverse("accounts:agency_update", args=[agency.pk]),
        {"name": agency.name, "sector": agency.sector_id, "contributes": "on", "is_active": "on", "charging_band": ""},
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.CONTRIBUTES_CHANGED)
    assert (entry.actor, entry.object_id) == (administrator, str(agency.pk))
    assert entry.before == {"Contributes to the partnership budget": False}
    assert entry.after == {"Contributes to the partnership budget": True}
    assert not AuditEntry.objects.filter(action=Action.BAND_ASSIGNED).exists()


def test_adding_a_contributing_agency_on_the_staff_page_is_audited(client, administrator):
    client.force_login(administrator)
    sector = Sector.objects.get(slug="early_years")

    client.post(
        reverse("accounts:agency_create"),
        {"name": "Riverside Academy", "sector": sector.pk, "contributes": "on", "is_active": "on"},
    )

    entry = AuditEntry.objects.get(action=Action.CONTRIBUTES_CHANGED)
    assert entry.object_label == "Riverside Academy"
    assert (entry.before, entry.after) == (
        {"Contributes to the partnership budget": False},
        {"Contributes to the partnership budget": True},
    )


def test_adding_a_course_with_a_price_of_its_own_on_the_staff_page_is_audited(client, administrator):
    client.force_login(administrator)
    course = CourseFactory.build()

    response = client.post(reverse("courses:staff_course_create"), _course_priced_in_the_admin(course))

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.PRICE_CHANGED)
    assert entry.after == {
        "Charging": "A price of its own for chargeable agencies",
        "Own price per place (pence)": "£75.00",
    }


# Permissions-Policy


def test_every_page_denies_the_browser_features_the_site_never_uses(client):
    for response in (client.get(reverse("courses:calendar")), client.get("/no-such-page/")):
        policy = dict(
            directive.strip().split("=", 1) for directive in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "usb", "display-capture"):
            assert policy[feature] == "()", feature
        # Stripe's payment form may offer wallets (the Payment Request API) from its own frames.
        assert policy["payment"] == '(self "https://js.stripe.com")'


# A bad Host header


@pytest.mark.parametrize("host", ["evil.example", "bad host", "training.example.org:99999"])
def test_a_host_the_site_does_not_serve_is_a_bad_request_not_a_server_error(host):
    client = Client(raise_request_exception=False)

    response = client.get(reverse("courses:calendar"), HTTP_HOST=host)

    assert response.status_code == 400
    assert b"We could not understand the request" in response.content


# Certificate codes with odd bytes


@pytest.mark.parametrize("address", ["/certificates/%00/", "/certificates/AB%00CD/", "/certificates/%00/download/",
                                     "/certificates/%C3%A9%FF/"])
def test_a_certificate_address_with_odd_bytes_is_not_found(client, address):
    client.force_login(UserFactory())

    response = client.get(address)

    assert response.status_code == 404


@pytest.mark.parametrize("typed", ["AB\x00CD", "\x00"])
def test_a_code_with_a_nul_typed_in_the_check_form_is_answered_not_failed(client, typed):
    response = client.get(reverse("certificates:check"), {"code": typed})

    assert response.status_code == 404
    assert response.templates[0].name == "certificates/certificate_verify.html"


# gunicorn and X-Forwarded-Proto

GUNICORN_CONFIG = settings.BASE_DIR / "deploy" / "gunicorn.conf.py"


def _gunicorn_settings(monkeypatch, **env):
    monkeypatch.delenv("TRUSTED_PROXY_SSL_HEADER", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_gunicorn_trusts_no_forwarded_headers_while_the_proxy_header_is_off(monkeypatch):
    config = _gunicorn_settings(monkeypatch, FORWARDED_ALLOW_IPS="127.0.0.1")

    assert config["forwarded_allow_ips"] in ("", [])
    assert config["secure_scheme_headers"] == {}


def test_gunicorn_trusts_the_proxys_address_when_the_proxy_header_is_on(monkeypatch):
    config = _gunicorn_settings(monkeypatch, TRUSTED_PROXY_SSL_HEADER="true", FORWARDED_ALLOW_IPS="10.0.0.5")

    assert config["forwarded_allow_ips"] == "10.0.0.5"
    assert "secure_scheme_headers" not in config  # gunicorn's own, X-Forwarded-Proto among them


@contextmanager
def _gunicorn(**env):
    """gunicorn with the site's config on a free loopback port, serving scheme_echo."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.security.scheme_echo:app", "--config", str(GUNICORN_CONFIG)],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"TRUSTED_PROXY_SSL_HEADER", "FORWARDED_ALLOW_IPS"}},
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _scheme_seen(url):
    """The scheme gunicorn hands the site for a request claiming to have come over https."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_running_gunicorn_ignores_a_forged_x_forwarded_proto_while_the_proxy_header_is_off():
    with _gunicorn() as url:
        assert _scheme_seen(url) == "http"


def test_a_running_gunicorn_believes_the_proxys_x_forwarded_proto_when_the_proxy_header_is_on():
    with _gunicorn(TRUSTED_PROXY_SSL_HEADER="true") as url:
        assert _scheme_seen(url) == "https"


# Stripe's public test values in production


def _manage_check_deploy(tmp_path, **stripe):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("STRIPE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "training.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **stripe,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


LIVE = {
    "STRIPE_SECRET_KEY": "sk_live_" + "x" * 24,
    "STRIPE_PUBLISHABLE_KEY": "pk_live_" + "x" * 24,
    "STRIPE_WEBHOOK_SECRET": "whsec_" + "x" * 32,
}


@pytest.mark.parametrize(
    ("stripe", "named"),
    [
        ({}, "STRIPE_SECRET_KEY"),
        ({**LIVE, "STRIPE_SECRET_KEY": "sk_test_" + "x" * 24}, "STRIPE_SECRET_KEY"),
        ({**LIVE, "STRIPE_PUBLISHABLE_KEY": "pk_test_" + "x" * 24}, "STRIPE_PUBLISHABLE_KEY"),
        ({**LIVE, "STRIPE_WEBHOOK_SECRET": "whsec_localstripe"}, "STRIPE_WEBHOOK_SECRET"),
    ],
    ids=["nothing set", "a test secret key", "a test publishable key", "the localstripe webhook secret"],
)
def test_production_refuses_to_start_with_stripes_test_values(tmp_path, stripe, named):
    result = _manage_check_deploy(tmp_path, **stripe)

    assert result.returncode != 0
    assert named in result.stderr
    assert "STRIPE_TEST_MODE_ALLOWED" in result.stderr


def test_production_starts_with_live_stripe_values(tmp_path):
    result = _manage_check_deploy(tmp_path, **LIVE)

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_production_like_test_install_may_opt_in_to_stripes_test_values(tmp_path):
    result = _manage_check_deploy(tmp_path, STRIPE_TEST_MODE_ALLOWED="true")

    assert result.returncode == 0, result.stdout + result.stderr
