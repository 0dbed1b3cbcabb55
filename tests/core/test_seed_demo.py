import datetime as dt
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from bookings.models import Booking
from core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, ROLE_USERS
from courses.models import Course, CourseFormat, Priority, Session, Trainer, Venue
from elearning.models import Completion
from evaluations.models import Response
from tests.factories import totp_code

pytestmark = pytest.mark.django_db

COUNTED = [User, EmailAddress, Agency, Priority, Venue, Trainer, Course, Session, Booking]

# The demo programme runs through the financial year of "today"; a fixed day in
# its middle keeps both past and upcoming sessions whatever the real date.
TODAY = dt.date(2026, 10, 14)


@pytest.fixture
def today_is_mid_year(monkeypatch):
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def _seed() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_seeding_twice_changes_nothing(today_is_mid_year):
    _seed()
    first = _counts()

    _seed()

    assert _counts() == first
    assert all(first.values()), first


def test_seed_makes_one_verified_user_per_role(today_is_mid_year):
    _seed()

    roles = {}
    for email, (_first, _last, role, _agency) in ROLE_USERS.items():
        user = User.objects.get(email=email)
        assert user.groups.filter(name=role).exists()
        assert user.check_password(DEMO_PASSWORD)
        assert user.emailaddress_set.get().verified
        roles[role] = email
    assert set(roles) == set(Role)


def test_seed_lists_each_demo_log_in_with_its_role(today_is_mid_year):
    output = _seed()

    for email, (_first, _last, role, _agency) in ROLE_USERS.items():
        assert f"{role:<24} {email}" in output


def test_seed_makes_the_training_administrator_able_to_run_the_programme(today_is_mid_year):
    _seed()

    admin = User.objects.get(email="admin@example.org")
    assert admin.has_perm("accounts.manage_programme")


def test_seed_has_contributing_and_non_contributing_agencies(today_is_mid_year):
    _seed()

    assert Agency.objects.filter(contributes=True).exists()
    assert Agency.objects.filter(contributes=False).exists()


def test_seed_has_past_and_upcoming_sessions(today_is_mid_year):
    _seed()

    starts = [timezone.localtime(start).date() for start in Session.objects.values_list("start", flat=True)]
    assert any(day < TODAY for day in starts)
    assert any(day > TODAY for day in starts)


def test_seed_has_briefings_half_days_and_full_days(today_is_mid_year):
    _seed()

    formats = set(Course.objects.values_list("format", flat=True))
    assert {CourseFormat.BRIEFING, CourseFormat.HALF_DAY, CourseFormat.FULL_DAY} <= formats


def test_seed_books_places_without_overfilling_sessions(today_is_mid_year):
    _seed()

    assert Booking.objects.exists()
    for session in Session.objects.all():
        assert session.bookings.filter(status__in=Booking.PLACE_STATUSES).count() <= session.capacity


def test_the_minimal_demo_has_the_programme_and_users_but_no_history_or_answers(today_is_mid_year):
    call_command("seed_demo", "--minimal", stdout=StringIO())

    assert Session.objects.filter(start__date__gt=TODAY).exists()
    assert User.objects.filter(email__in=ROLE_USERS).count() == len(ROLE_USERS)
    assert not Completion.objects.exists() and not Response.objects.exists()


def _seed_minimal() -> str:
    output = StringIO()
    call_command("seed_demo", "--minimal", stdout=output)
    return output.getvalue()


def test_in_development_the_demo_staff_sign_in_with_the_printed_demo_authenticator(today_is_mid_year, settings, client):
    settings.DEBUG = True

    output = _seed_minimal()

    assert DEMO_TOTP_SECRET in output
    with_app = set(User.objects.filter(authenticator__type=Authenticator.Type.TOTP).values_list("email", flat=True))
    assert with_app == {"admin@example.org", "ppt@example.org", "finance@example.org"}
    client.post(reverse("account_login"), {"login": "admin@example.org", "password": DEMO_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    assert client.get(reverse("core:staff_home")).status_code == 200


def test_with_debug_off_no_demo_authenticator_is_seeded(today_is_mid_year):
    output = _seed_minimal()

    assert DEMO_TOTP_SECRET not in output
    assert not Authenticator.objects.exists()
