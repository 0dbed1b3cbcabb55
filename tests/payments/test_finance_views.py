"""The finance pages: who sees them, the figures they give, their exports, and
the invoice and fee actions they offer."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Sector
from accounts.roles import Role
from bookings.models import Booking
from payments.models import Charge, Invoice
from payments.services import charge_waive, invoice_cancel, invoice_mark_paid
from tests.factories import AgencyFactory, BookingFactory, CourseFactory, UserFactory

from .finance_records import card_charge, invoice_of, invoiced_fee, invoiced_place, session_on

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2024-04-01", "end": "2025-03-31"}
IN_PERIOD, AFTER_PERIOD = dt.date(2024, 6, 10), dt.date(2025, 5, 1)


@pytest.fixture
def finance(user_with_role):
    return user_with_role(Role.FINANCE)


@pytest.fixture
def finance_client(client, finance):
    client.force_login(finance)
    return client


def _agency(name, sector_slug, contributes=False):
    return AgencyFactory(name=name, sector=Sector.objects.get(slug=sector_slug), contributes=contributes)


@pytest.fixture
def ledger(finance):
    """Charges in every state, for training in the 2024–25 financial year
    unless said otherwise. Worked out by hand: received £90 (£50 invoice paid,
    £40 by card), outstanding £50, refunded £70 (£40 card refund, £30 paid
    invoice credited), waived £25; the unpaid invoice credited, the open card
    hold and the training after the period count nowhere."""
    nursery = _agency("Northgate Nursery", "early_years")
    charity = _agency("Riverside Youth Trust", "voluntary_community")
    neglect = session_on(IN_PERIOD, course=CourseFactory(title="Neglect"))
    abuse = session_on(IN_PERIOD, course=CourseFactory(title="Domestic abuse"))

    invoiced_place(agency=nursery, session=neglect, price_pence=5000)
    invoice_mark_paid(invoice=invoice_of(invoiced_place(agency=nursery, session=abuse, price_pence=5000)), by=finance)
    card_charge(agency=charity, session=neglect, price_pence=4000)
    card_charge(agency=charity, session=abuse, price_pence=4000, status=Charge.Status.REFUNDED)
    waived = invoiced_fee(agency=charity, session=neglect, fee_pence=2500)
    charge_waive(charge=waived, by=finance, reason="Ill on the day")
    paid_then_cancelled = invoice_of(invoiced_place(agency=nursery, session=abuse, price_pence=3000))
    invoice_mark_paid(invoice=paid_then_cancelled, by=finance)
    invoice_cancel(invoice=paid_then_cancelled)
    invoice_cancel(invoice=invoice_of(invoiced_place(agency=nursery, session=neglect, price_pence=2000)))
    card_charge(agency=charity, session=neglect, price_pence=6000, status=Charge.Status.AWAITING_PAYMENT)
    later = invoice_of(invoiced_place(agency=nursery, session=session_on(AFTER_PERIOD), price_pence=99900))
    invoice_mark_paid(invoice=later, by=finance)


def _summary(client, **params):
    return client.get(reverse("payments:finance_summary"), {**PERIOD, **params})


# Who may see the pages


def test_finance_sees_the_summary(finance_client):
    assert _summary(finance_client).status_code == 200


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.TRAINING_ADMINISTRATOR, Role.PPT_REVIEWER])
def test_other_roles_are_refused_the_summary(client, user_with_role, role):
    client.force_login(user_with_role(role))

    assert _summary(client).status_code == 403


def test_someone_signed_out_is_asked_to_sign_in(client):
    response = client.get(reverse("payments:finance_summary"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# The figures


def test_the_totals_match_the_ledger(finance_client, ledger):
    totals = _summary(finance_client).context["totals"]

    assert totals == {"received_pence": 9000, "outstanding_pence": 5000, "refunded_pence": 7000, "waived_pence": 2500}


def test_the_figures_are_given_by_sector_agency_and_course(finance_client, ledger):
    tables = {b["name"]: list(b["table"].data) for b in _summary(finance_client).context["breakdowns"]}

    def money(row):
        return row["received_pence"], row["outstanding_pence"], row["refunded_pence"], row["waived_pence"]

    assert {row["sector"]: money(row) for row in tables["sector"]} == {
        "Early years and childcare": (5000, 5000, 3000, 0),
        "Voluntary and community": (4000, 0, 4000, 2500),
    }
    assert {row["agency"]: money(row) for row in tables["agency"]} == {
        "Northgate Nursery": (5000, 5000, 3000, 0),
        "Riverside Youth Trust": (4000, 0, 4000, 2500),
    }
    assert {row["course"]: money(row) for row in tables["course"]} == {
        "Neglect": (4000, 5000, 0, 2500),
        "Domestic abuse": (5000, 0, 7000, 0),
    }


def test_the_page_shows_the_totals_in_pounds(finance_client, ledger):
    page = _summary(finance_client).content.decode()

    for amount in ("£90.00", "£50.00", "£70.00", "£25.00"):
        assert amount in page
    assert "Training held from 1 April 2024 to 31 March 2025" in page


def test_without_dates_the_current_financial_year_is_shown(finance_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: dt.date(2025, 2, 14))

    period = finance_client.get(reverse("payments:finance_summary")).context["period"]

    assert (period.start, period.end) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-02-30", "end": "2025-03-31"}, "The first day of the period must be a real date"),
        ({"start": "yesterday", "end": "2025-03-31"}, "The first day of the period must be a real date"),
        ({"start": "2025-04-01", "end": ""}, "Enter the last day of the period"),
        (
            {"start": "2025-04-01", "end": "2025-03-31"},
            "The last day of the period must be the same as or after the first",
        ),
        ({"start": "0001-01-01", "end": "9999-12-31"}, "Enter a date between 2000 and 2099"),
    ],
)
def test_a_wrong_period_is_an_error_on_the_form(finance_client, params, message):
    response = finance_client.get(reverse("payments:finance_summary"), {**params, "_export": "csv", "_table": "agency"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()


# Exports


def test_a_table_exports_as_csv_in_pounds(finance_client, ledger):
    response = _summary(finance_client, _export="csv", _table="sector")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "income-by-sector-2024-04-01-to-2025-03-31.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Sector", "Received", "Outstanding", "Refunded", "Waived"],
        ["Early years and childcare", "50.00", "50.00", "30.00", "0.00"],
        ["Voluntary and community", "40.00", "0.00", "40.00", "25.00"],
    ]


def test_a_table_exports_as_a_spreadsheet_of_numbers(finance_client, ledger):
    response = _summary(finance_client, _export="xlsx", _table="agency")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.content.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Agency", "Sector", "Contributes", "Received", "Outstanding", "Refunded", "Waived")
    assert rows[1][0] == "Northgate Nursery"
    assert float(rows[1][3]) == 50.0


# Fixed query counts


def _charges_for_many(count):
    """Charges each for a different agency and course, so every table grows."""
    for _ in range(count):
        invoiced_place(agency=AgencyFactory(), session=session_on(IN_PERIOD))


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("payments:finance_summary", PERIOD),
        ("payments:finance_uptake", PERIOD),
        ("payments:invoice_list", {}),
        ("payments:fee_list", {}),
    ],
)
def test_a_finance_page_runs_the_same_queries_for_3_charges_as_for_30(finance_client, name, params):
    for _ in range(3):
        invoiced_fee(agency=AgencyFactory(), session=session_on(IN_PERIOD))
    _charges_for_many(3)
    few = _queries(finance_client, reverse(name), params)

    for _ in range(27):
        invoiced_fee(agency=AgencyFactory(), session=session_on(IN_PERIOD))
    _charges_for_many(27)

    assert _queries(finance_client, reverse(name), params) == few


# Uptake beside income


def test_uptake_and_income_compare_contributing_and_non_contributing_agencies(client, user_with_role):
    police = _agency("Riverside Police", "police", contributes=True)
    nursery = _agency("Northgate Nursery", "early_years")
    session = session_on(IN_PERIOD)
    for attendance in ("attended", "arrived_late", "did_not_attend"):
        BookingFactory(session=session, user=UserFactory(agency=police), attendance=attendance)
    BookingFactory(session=session, user=UserFactory(agency=police), status=Booking.Status.CANCELLED)
    paid = invoiced_place(agency=nursery, session=session, price_pence=5000)
    paid.booking.attendance = "attended"
    paid.booking.save()
    invoice_mark_paid(invoice=invoice_of(paid), by=None)
    invoiced_place(agency=_agency("Little Acorns", "early_years"), session=session, price_pence=5000)
    client.force_login(user_with_role(Role.PPT_REVIEWER))

    response = client.get(reverse("payments:finance_uptake"), PERIOD)

    groups = {group["contributes"]: group for group in response.context["groups"]}
    assert set(groups) == {True, False}
    assert (groups[True]["agencies"], groups[True]["places"], groups[True]["attended"]) == (1, 3, 2)
    assert groups[True]["received_pence"] == 0
    assert (groups[False]["agencies"], groups[False]["places"], groups[False]["attended"]) == (2, 2, 1)
    assert (groups[False]["received_pence"], groups[False]["outstanding_pence"]) == (5000, 5000)


def test_a_delegate_cannot_see_uptake_and_income(client, delegate):
    client.force_login(delegate)

    assert client.get(reverse("payments:finance_uptake")).status_code == 403


# Invoices


def test_the_invoice_list_filters_by_status(finance_client, finance):
    unpaid = invoice_of(invoiced_place(agency=AgencyFactory()))
    paid = invoice_mark_paid(invoice=invoice_of(invoiced_place(agency=AgencyFactory())), by=finance)

    listed = list(finance_client.get(reverse("payments:invoice_list"), {"status": "paid"}).context["table"].data)

    assert listed == [paid]
    assert unpaid not in listed


def test_an_invoice_page_shows_its_lines_and_downloads_as_pdf(finance_client):
    invoice = invoice_of(invoiced_place(agency=AgencyFactory(name="Northgate Nursery"), price_pence=5000))

    page = finance_client.get(reverse("payments:invoice_detail", args=[invoice.pk])).content.decode()
    pdf = finance_client.get(reverse("payments:invoice_pdf", args=[invoice.pk]))

    assert invoice.lines.get().description in page
    assert "£50.00" in page
    assert pdf["Content-Type"] == "application/pdf"
    assert f'filename="{invoice.reference}.pdf"' in pdf["Content-Disposition"]
    assert pdf.content.startswith(b"%PDF")


def test_finance_marks_an_invoice_paid(finance_client):
    invoice = invoice_of(invoiced_place(agency=AgencyFactory()))

    response = finance_client.post(reverse("payments:invoice_mark_paid", args=[invoice.pk]), follow=True)

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert f"{invoice.reference} is marked as paid." in response.content.decode()


def test_marking_a_cancelled_invoice_paid_says_why_it_cannot_be(finance_client):
    invoice = invoice_of(invoiced_place(agency=AgencyFactory()))
    invoice_cancel(invoice=invoice)

    response = finance_client.post(reverse("payments:invoice_mark_paid", args=[invoice.pk]), follow=True)

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED
    assert "Only an issued invoice can be marked paid" in response.content.decode()


def test_finance_cancels_an_invoice_with_a_credit_note_after_confirming(finance_client):
    invoice = invoice_of(invoiced_place(agency=AgencyFactory(), price_pence=5000))
    url = reverse("payments:invoice_cancel", args=[invoice.pk])

    confirm = finance_client.get(url).content.decode()
    response = finance_client.post(url, follow=True)

    invoice.refresh_from_db()
    assert "A credit note for £50.00 will be issued" in confirm
    assert invoice.status == Invoice.Status.CANCELLED
    assert invoice.credit_note.total_pence == -5000
    assert f"Credit note {invoice.credit_note.reference} has been e-mailed" in response.content.decode()


def test_marking_paid_is_a_button_not_a_link(finance_client):
    invoice = invoice_of(invoiced_place(agency=AgencyFactory()))

    assert finance_client.get(reverse("payments:invoice_mark_paid", args=[invoice.pk])).status_code == 405


# Fees


def test_a_training_administrator_waives_a_fee_with_a_reason(client, administrator):
    fee = invoiced_fee(agency=AgencyFactory())
    client.force_login(administrator)

    response = client.post(reverse("payments:fee_waive", args=[fee.pk]), {"reason": "Family emergency"})

    fee.refresh_from_db()
    assert response.status_code == 302
    assert (fee.status, fee.waived_reason, fee.waived_by) == (Charge.Status.WAIVED, "Family emergency", administrator)
    assert invoice_of(fee).status == Invoice.Status.CANCELLED


def test_a_fee_is_not_waived_without_a_reason(finance_client):
    fee = invoiced_fee(agency=AgencyFactory())

    response = finance_client.post(reverse("payments:fee_waive", args=[fee.pk]), {"reason": ""})

    fee.refresh_from_db()
    assert response.status_code == 200
    assert "Enter why the fee is waived" in response.content.decode()
    assert fee.status == Charge.Status.INVOICED


def test_a_delegate_cannot_waive_a_fee(client, delegate):
    fee = invoiced_fee(agency=AgencyFactory())
    client.force_login(delegate)

    response = client.post(reverse("payments:fee_waive", args=[fee.pk]), {"reason": "Please"})

    fee.refresh_from_db()
    assert response.status_code == 403
    assert fee.status == Charge.Status.INVOICED


def test_the_fee_list_offers_to_waive_invoiced_fees_only(finance_client, finance):
    open_fee = invoiced_fee(agency=AgencyFactory())
    waived = charge_waive(charge=invoiced_fee(agency=AgencyFactory()), by=finance, reason="Snowed in")

    page = finance_client.get(reverse("payments:fee_list")).content.decode()

    assert reverse("payments:fee_waive", args=[open_fee.pk]) in page
    assert reverse("payments:fee_waive", args=[waived.pk]) not in page
    assert "Snowed in" in page
