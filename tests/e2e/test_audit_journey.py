"""Finance marks an invoice paid, then checks in the audit log who did it and
what it changed."""

from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory
from tests.payments.finance_records import invoice_of, invoiced_place

from .conftest import scan, sign_in, visit


def test_finance_finds_who_marked_an_invoice_paid(page, live_server):
    invoice = invoice_of(invoiced_place(agency=AgencyFactory(name="Little Acorns Nursery")))
    finance = UserFactory(role=Role.FINANCE, email="fay.finance@example.org")

    sign_in(page, finance)
    visit(page, reverse("payments:invoice_detail", args=[invoice.pk]))
    page.get_by_role("button", name="Mark as paid").click()
    scan(page)

    visit(page, reverse("payments:finance_summary"))
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    scan(page)
    page.get_by_label("What").select_option(label="Invoice marked paid")
    page.get_by_label("Who (e-mail address, or part of it)").fill("fay.finance")
    page.get_by_role("button", name="Filter").click()
    scan(page)

    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("fay.finance@example.org")
    expect(rows.first).to_contain_text(invoice.reference)
    expect(rows.first).to_contain_text("Status: Issued → Paid")
