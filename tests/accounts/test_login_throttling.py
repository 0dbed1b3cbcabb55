"""Sign-in throttling (django-axes): after five failed sign-ins for one e-mail
address from one client address, that pair is refused for 15 minutes after its
last attempt; nobody else is affected, and the lock always lifts."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOME = "198.51.100.7"
ELSEWHERE = "203.0.113.9"


def _sign_in(client, email, password, address=HOME, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address, **headers)


def _fail(client, email, times, address=HOME, **headers):
    return [_sign_in(client, email, "not-the-password", address, **headers) for _ in range(times)]


@pytest.fixture
def person(db):
    return UserFactory(email="ann.other@example.org")


def test_four_failures_still_let_the_right_password_in(client, person):
    _fail(client, person.email, 4)

    response = _sign_in(client, person.email, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("courses:calendar")


def test_the_fifth_failure_locks_out_with_a_page_saying_when_and_how_to_reset(client, person):
    responses = _fail(client, person.email, 5)

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    page = responses[-1].content.decode()
    assert "You have tried to sign in too many times" in page
    assert "15 minutes" in page
    assert reverse("account_reset_password") in page
    assert responses[-1]["Retry-After"] == str(15 * 60)


def test_while_locked_out_even_the_right_password_is_refused(client, person):
    _fail(client, person.email, 5)

    response = _sign_in(client, person.email, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_address_is_counted_however_it_is_capitalised(client, person):
    _fail(client, "Ann.Other@Example.org", 3)
    responses = _fail(client, person.email, 2)

    assert responses[-1].status_code == 429


def test_the_same_person_from_another_address_is_not_locked_out(client, person):
    _fail(client, person.email, 5)

    response = _sign_in(client, person.email, PASSWORD, address=ELSEWHERE)

    assert response.status_code == 302


def test_someone_else_from_the_same_address_is_not_locked_out(client, person):
    colleague = UserFactory(email="colleague@example.org")
    _fail(client, person.email, 5)

    response = _sign_in(client, colleague.email, PASSWORD)

    assert response.status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, person, settings):
    _fail(client, person.email, 5)
    # Fifteen minutes and a second pass for the recorded attempts.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))

    response = _sign_in(client, person.email, PASSWORD)

    assert response.status_code == 302


def test_a_successful_sign_in_clears_the_count(client, person):
    _fail(client, person.email, 4)
    _sign_in(client, person.email, PASSWORD)
    client.logout()

    responses = _fail(client, person.email, 4)

    assert responses[-1].status_code == 200


def test_the_admin_sign_in_page_takes_no_guesses_around_the_lock(client, person):
    """Django admin's log-in page checks no password at all (issue 12: it
    skipped two-factor sign-in); it sends everyone to the site's sign-in."""
    _fail(client, person.email, 5)

    response = client.post(reverse("admin:login"), {"username": person.email, "password": PASSWORD}, REMOTE_ADDR=HOME)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert _sign_in(client, person.email, PASSWORD).status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(client, person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # An attacker's claimed address is ignored: the proxy appends the one it saw.
    _fail(client, person.email, 5, address=proxy, HTTP_X_FORWARDED_FOR=f"{ELSEWHERE}, {HOME}")

    locked = _sign_in(client, person.email, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=HOME)
    other_client = _sign_in(client, person.email, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert locked.status_code == 429
    assert other_client.status_code == 302
