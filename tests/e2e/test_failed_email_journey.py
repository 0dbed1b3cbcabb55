"""A training administrator learns from the staff area that an e-mail could
not be delivered, and sees to whom and what the mail server said."""

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from core.models import OutboundEmail
from tests.factories import UserFactory

from .conftest import scan, sign_in, visit


def test_an_administrator_finds_the_emails_the_mail_server_refused(page):
    OutboundEmail.objects.create(
        to=["gone@example.org"],
        subject="Booking confirmed: Recognising Neglect",
        body="Dear Sam,\n",
        attempts=8,
        failed_at=timezone.now(),
        last_error="(550, b'5.1.1 Mailbox unavailable')",
    )
    OutboundEmail.objects.create(to=["fine@example.org"], subject="Delivered", body="Hello\n", sent_at=timezone.now())
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR)

    sign_in(page, administrator)
    visit(page, reverse("core:staff_home"))
    page.get_by_role("link", name="1 e-mail could not be sent").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("E-mails that could not be sent")
    scan(page)
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("gone@example.org")
    expect(rows.first).to_contain_text("Booking confirmed: Recognising Neglect")
    expect(rows.first).to_contain_text("Mailbox unavailable")
