"""Invoice numbers never repeat or skip, however many invoices are issued at once.

Auditors expect an unbroken run of invoice numbers. These run against
PostgreSQL, where the lock on the sequence row is what queues simultaneous
invoices; SQLite serialises every writer, so nothing could race there.
Threads only see committed rows, so the tests use `transactional_db` (with
serialized rollback, which restores the rows data migrations made, such as the
sequences and sectors); each thread closes its own connection.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from accounts.models import User
from bookings.models import Booking
from payments.models import Charge, Invoice, InvoiceSequence
from payments.services import invoice_issue
from payments.services import invoices as invoice_services
from tests.factories import AgencyFactory, SessionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL=postgres://...); SQLite serialises writers, so nothing can race",
    ),
]

THREADS = 50  # each holds a connection; PostgreSQL allows 100 by default


def _charges(count: int) -> list[Charge]:
    """One invoiceable place each for `count` people of one organisation."""
    agency = AgencyFactory(name="Northgate Nursery")
    session = SessionFactory(capacity=count)
    people = User.objects.bulk_create(
        User(email=f"invoiced{n}@example.org", first_name="Pat", last_name=f"Person{n}", agency=agency)
        for n in range(count)
    )
    bookings = Booking.objects.bulk_create(
        Booking(
            session=session,
            user=person,
            status=Booking.Status.CONFIRMED,
            price_pence=5000,
            payment_method="invoice",
            billing_contact_email="accounts@example.org",
        )
        for person in people
    )
    return Charge.objects.bulk_create(
        Charge(
            booking=booking,
            kind=Charge.Kind.PLACE,
            method=Charge.Method.INVOICE,
            amount_pence=5000,
            status=Charge.Status.INVOICED,
        )
        for booking in bookings
    )


def _issue_at_once(charges: list[Charge]) -> list:
    """Invoice each charge from its own thread, all released together by a
    barrier. Returns each invoice's number, or the name of the error raised."""
    barrier = threading.Barrier(len(charges), timeout=120)

    def issue(charge_id):
        try:
            charge = Charge.objects.select_related("booking__user__agency", "booking__session__course").get(
                pk=charge_id
            )
            barrier.wait()
            return invoice_issue(charges=[charge]).number
        except Exception as error:
            return type(error).__name__
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(charges)) as pool:
        return list(pool.map(issue, [charge.pk for charge in charges]))


def _last_number() -> int:
    return InvoiceSequence.objects.get_or_create(name=Invoice.Kind.INVOICE)[0].last_number


def test_fifty_invoices_issued_at_once_are_numbered_without_duplicates_or_gaps():
    charges = _charges(THREADS)
    start = _last_number()

    numbers = _issue_at_once(charges)

    assert sorted(numbers) == list(range(start + 1, start + THREADS + 1))
    assert _last_number() == start + THREADS
    assert sorted(Invoice.objects.filter(kind=Invoice.Kind.INVOICE).values_list("number", flat=True)) == sorted(numbers)
    # Each charge is on exactly one invoice.
    assert sorted(Invoice.objects.values_list("lines__charge_id", flat=True)) == sorted(c.pk for c in charges)


def test_without_the_sequence_lock_the_race_repeats_numbers(monkeypatch):
    """The proof that the test above could fail: with the sequence read
    without a lock, and a pause before writing it back, invoices released
    together take the same number and all but one are refused by the unique
    constraint. If this stopped happening, the threads would no longer be
    racing, and the test above would pass whatever the locking did."""

    def next_number_unlocked(kind):
        sequence = InvoiceSequence.objects.get(name=kind)
        time.sleep(0.05)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return sequence.last_number

    monkeypatch.setattr(invoice_services, "_next_number", next_number_unlocked)
    _last_number()

    outcomes = _issue_at_once(_charges(10))

    assert "IntegrityError" in outcomes
    assert len({number for number in outcomes if isinstance(number, int)}) < 10
