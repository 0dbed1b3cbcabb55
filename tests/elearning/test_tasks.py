"""Renewal reminders: once, for the latest completion of a module that must be
renewed, in the weeks before it expires."""

import datetime as dt

import pytest
from django.core import mail

from elearning.models import Completion
from elearning.services import renewal_reminders_send
from elearning.tasks import renewal_reminders_send as renewal_reminders_task
from tests.factories import UserFactory

from .factories import ModuleFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _window(settings):
    settings.ELEARNING_RENEWAL_REMINDER_DAYS = 30


def _completed(user, module, day):
    return Completion.objects.create(user=user, module=module, completed_on=day, source="imported")


def test_a_delegate_is_reminded_once_before_their_module_expires(django_capture_on_commit_callbacks):
    module = ModuleFactory(title="Safeguarding Children Level 2", renewal_months=36, delivery="external",
                           provider="Learning Hub")
    user = UserFactory(email="due@example.org", first_name="Dee")
    completion = _completed(user, module, dt.date(2023, 3, 20))  # expires 20 March 2026

    # The outbox sends once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_reminders_send(today=TODAY) == 1
        assert renewal_reminders_send(today=TODAY + dt.timedelta(days=1)) == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["due@example.org"]
    assert mail.outbox[0].subject == "Time to renew: Safeguarding Children Level 2"
    assert "expires on 20 March 2026" in mail.outbox[0].body
    completion.refresh_from_db()
    assert completion.renewal_reminder_sent_at is not None


def test_no_reminder_for_a_module_renewed_since_one_that_never_expires_or_one_long_expired():
    renewing = ModuleFactory(renewal_months=36)
    forever = ModuleFactory(renewal_months=None)
    renewed, lapsed, permanent = UserFactory(), UserFactory(), UserFactory()
    _completed(renewed, renewing, dt.date(2023, 3, 20))
    _completed(renewed, renewing, dt.date(2025, 9, 1))
    _completed(lapsed, renewing, dt.date(2022, 1, 1))
    _completed(permanent, forever, dt.date(2023, 3, 20))

    assert renewal_reminders_send(today=TODAY) == 0
    assert mail.outbox == []


def test_a_reminder_is_not_sent_months_early():
    _completed(UserFactory(), ModuleFactory(renewal_months=36), dt.date(2023, 6, 1))

    assert renewal_reminders_send(today=TODAY) == 0


def test_the_scheduled_task_sends_the_reminders():
    _completed(UserFactory(), ModuleFactory(renewal_months=12), dt.date.today() - dt.timedelta(days=360))

    assert renewal_reminders_task.delay().get() == 1


def test_the_task_is_scheduled_daily(settings):
    assert settings.CELERY_BEAT_SCHEDULE["elearning-renewal-reminders"]["task"] == \
        "elearning.tasks.renewal_reminders_send"
