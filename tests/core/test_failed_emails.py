"""The staff page of e-mails the outbox gave up on: its query count does not
grow with the e-mails listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _failed_emails(first, last):
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            to=[f"gone{n}@example.org"],
            subject=f"Your place {n}",
            body="Body",
            attempts=8,
            last_error="550 Mailbox unavailable",
            failed_at=timezone.now(),
        )
        for n in range(first, last + 1)
    )


def _queries_for_the_page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:email_failed_list"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_failed_emails_page_takes_the_same_queries_for_two_emails_as_for_forty(client):
    client.force_login(UserFactory(role=Role.TRAINING_ADMINISTRATOR))
    _failed_emails(1, 2)
    few_page, few = _queries_for_the_page(client)
    _failed_emails(3, 40)
    many_page, many = _queries_for_the_page(client)

    assert "gone1@example.org" in few_page and "gone40@example.org" in many_page
    assert many == few
