"""Each change the audit log covers writes one entry saying who did it and what
changed from what to what; a change that is rolled back leaves no entry."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_roles_set
from audit.models import AuditEntry
from bookings import services as booking_services
from courses.models import Course, CourseFormat
from payments.models import BandRate, Charge, ChargingBand, Payment
from payments.services import (
    band_save,
    charge_waive,
    invoice_cancel,
    invoice_mark_paid,
    refund_issue,
    sector_default_bands_set,
)
from tests.dates import ago
from tests.factories import AgencyFactory, BookingFactory, CourseFactory, SessionFactory, UserFactory
from tests.payments.finance_records import card_charge, invoice_of, invoiced_fee, invoiced_place

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


def _only_entry(action):
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, f"expected one {action} entry, found {len(entries)}"
    return entries[0]


def _band(**rates):
    band = ChargingBand.objects.create(name="Voluntary sector", slug="voluntary-sector")
    for format_, (price, fee) in rates.items():
        BandRate.objects.create(band=band, format=format_, price_pence=price, fee_pence=fee)
    return band


def _rates(price_pence, fee_pence):
    return {
        format_: (price_pence, fee_pence) if format_ == CourseFormat.FULL_DAY else (0, 0)
        for format_ in CourseFormat.values
    }


# Prices and bands


def test_changing_a_bands_prices_records_the_old_and_new_rates(administrator):
    band = _band(**_rates(5000, 2500))

    band_save(
        band=band,
        name="Voluntary sector",
        description="",
        invoicing_allowed=True,
        rates=_rates(6500, 2500),
        by=administrator,
    )

    entry = _only_entry(Action.BAND_RATE_CHANGED)
    assert (entry.actor, entry.actor_label) == (administrator, administrator.email)
    assert (entry.object_type, entry.object_id, entry.object_label) == (
        "payments.chargingband",
        str(band.pk),
        "Voluntary sector",
    )
    assert entry.before == {"Full day: price": "£50.00"}
    assert entry.after == {"Full day: price": "£65.00"}
    assert not AuditEntry.objects.filter(action=Action.BAND_CHANGED).exists()  # name and terms as they were


def test_renaming_a_band_records_the_band_change(administrator):
    band = _band(**_rates(5000, 2500))

    band_save(
        band=band, name="Charities", description="", invoicing_allowed=False, rates=_rates(5000, 2500), by=administrator
    )

    entry = _only_entry(Action.BAND_CHANGED)
    assert entry.before == {"Name": "Voluntary sector", "Organisations may ask for an invoice": True}
    assert entry.after == {"Name": "Charities", "Organisations may ask for an invoice": False}
    assert not AuditEntry.objects.filter(action=Action.BAND_RATE_CHANGED).exists()


def test_giving_a_sector_a_default_band_records_it(administrator):
    band = _band()
    sector = AgencyFactory().sector

    sector_default_bands_set(bands={sector: band}, by=administrator)

    entry = _only_entry(Action.BAND_ASSIGNED)
    assert (entry.object_label, entry.before, entry.after) == (
        sector.name,
        {"Default band": None},
        {"Default band": "Voluntary sector"},
    )


def test_changing_an_agencys_band_in_the_staff_area_records_it(client, administrator):
    agency = AgencyFactory()
    band = _band()
    client.force_login(administrator)

    client.post(
        reverse("accounts:agency_update", args=[agency.pk]),
        {"name": agency.name, "sector": agency.sector.pk, "is_active": "on", "charging_band": band.pk},
    )

    entry = _only_entry(Action.BAND_ASSIGNED)
    assert (entry.actor, entry.object_label) == (administrator, agency.name)
    assert (entry.before, entry.after) == ({"Charging band": None}, {"Charging band": "Voluntary sector"})


def test_saving_an_agency_without_changing_its_band_records_nothing(client, administrator):
    agency = AgencyFactory()
    client.force_login(administrator)

    response = client.post(
        reverse("accounts:agency_update", args=[agency.pk]),
        {"name": "A new name", "sector": agency.sector.pk, "is_active": "on", "charging_band": ""},
    )

    assert not AuditEntry.objects.exists()
    assert response.status_code == 302  # saved, not refused
    agency.refresh_from_db()
    assert agency.name == "A new name"


def test_the_django_admin_cannot_change_bands_behind_the_logs_back(client):
    agency = AgencyFactory()
    band = _band()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    agency_page = client.post(
        reverse("admin:accounts_agency_change", args=[agency.pk]),
        {"name": "Renamed in the admin", "sector": agency.sector.pk, "is_active": "on", "charging_band": band.pk},
    )
    sector_page = client.post(
        reverse("admin:accounts_sector_change", args=[agency.sector.pk]),
        {"name": agency.sector.name, "slug": agency.sector.slug, "default_band": band.pk},
    )

    assert (agency_page.status_code, sector_page.status_code) == (302, 302)
    agency.refresh_from_db()
    agency.sector.refresh_from_db()
    assert agency.name == "Renamed in the admin"
    assert (agency.charging_band, agency.sector.default_band) == (None, None)
    assert not AuditEntry.objects.exists()


def test_giving_a_course_a_price_of_its_own_records_the_price_change(client, administrator):
    course = CourseFactory()
    client.force_login(administrator)
    page = client.get(reverse("courses:staff_course_update", args=[course.pk]))
    data = {**page.context["form"].initial, "charging": Course.Charging.FIXED, "fixed_price_pence": 7500}
    data = {name: value for name, value in data.items() if value is not None and name != "priorities"}

    response = client.post(reverse("courses:staff_course_update", args=[course.pk]), data)

    assert response.status_code == 302
    entry = _only_entry(Action.PRICE_CHANGED)
    assert entry.actor == administrator
    assert entry.before == {"Charging": "Charge by the agency's band", "Own price per place (pence)": None}
    assert entry.after == {
        "Charging": "A price of its own for chargeable agencies",
        "Own price per place (pence)": "£75.00",
    }


# Registers


@pytest.fixture
def running_session():
    session = SessionFactory(start=ago(hours=2), capacity=3, minimum_numbers=0)
    BookingFactory.create_batch(2, session=session)
    return session


def test_marking_a_register_records_each_changed_line_by_booking_number(running_session, administrator):
    first, second = running_session.bookings.order_by("pk")

    booking_services.register_mark(
        session=running_session, marks={first.pk: "attended", second.pk: "did_not_attend"}, by=administrator
    )

    entry = _only_entry(Action.REGISTER_MARKED)
    assert entry.object_type == "courses.session"
    assert entry.before == {f"Booking {first.pk}": "Not marked", f"Booking {second.pk}": "Not marked"}
    assert entry.after == {f"Booking {first.pk}": "Attended", f"Booking {second.pk}": "Did not attend"}


def test_amending_a_submitted_register_is_recorded_as_an_amendment(running_session, administrator):
    first, second = running_session.bookings.order_by("pk")
    marks = {first.pk: "attended", second.pk: "attended"}
    booking_services.register_mark(session=running_session, marks=marks, by=administrator)
    booking_services.register_submit(session=running_session, by=administrator)

    booking_services.register_mark(session=running_session, marks={second.pk: "did_not_attend"}, by=administrator)

    entry = _only_entry(Action.REGISTER_AMENDED)
    assert (entry.before, entry.after) == (
        {f"Booking {second.pk}": "Attended"},
        {f"Booking {second.pk}": "Did not attend"},
    )
    assert _only_entry(Action.REGISTER_SUBMITTED).after == {"Register": "Submitted"}


def test_marking_what_is_already_marked_records_nothing(running_session, administrator):
    first, _second = running_session.bookings.order_by("pk")
    booking_services.register_mark(session=running_session, marks={first.pk: "attended"}, by=administrator)

    booking_services.register_mark(session=running_session, marks={first.pk: "attended"}, by=administrator)

    assert AuditEntry.objects.filter(action=Action.REGISTER_MARKED).count() == 1


def test_adding_a_walk_in_records_it(running_session, administrator):
    booking = booking_services.register_walk_in_add(
        session=running_session, by=administrator, email="walk.in@example.org", first_name="Wal", last_name="King"
    )

    entry = _only_entry(Action.WALK_IN_ADDED)
    assert (entry.before, entry.after) == ({f"Booking {booking.pk}": None}, {f"Booking {booking.pk}": "Attended"})
    assert "King" not in str(entry.before) + str(entry.after) + entry.object_label  # no names kept for good


# Money


def test_marking_an_invoice_paid_records_who_did_it(db):
    finance = UserFactory(role=Role.FINANCE)
    invoice = invoice_of(invoiced_place(agency=AgencyFactory()))

    invoice_mark_paid(invoice=invoice, by=finance)

    entry = _only_entry(Action.INVOICE_MARKED_PAID)
    assert (entry.actor, entry.object_label) == (finance, invoice.reference)
    assert (entry.before, entry.after) == ({"Status": "Issued"}, {"Status": "Paid"})


def test_cancelling_an_invoice_records_the_credit_note(db):
    finance = UserFactory(role=Role.FINANCE)
    invoice = invoice_of(invoiced_place(agency=AgencyFactory()))

    credit = invoice_cancel(invoice=invoice, by=finance)

    entry = _only_entry(Action.INVOICE_CANCELLED)
    assert (entry.before, entry.after) == ({"Status": "Issued"}, {"Status": "Cancelled"})
    assert entry.note == f"Credit note {credit.reference} for -£50.00"


def test_waiving_a_fee_records_the_waiver_and_its_reason(administrator):
    fee = invoiced_fee(agency=AgencyFactory())

    charge_waive(charge=fee, by=administrator, reason="Taken ill on the morning")

    entry = _only_entry(Action.FEE_WAIVED)
    assert (entry.actor, entry.object_type, entry.object_id) == (administrator, "payments.charge", str(fee.pk))
    assert (entry.before, entry.after, entry.note) == (
        {"Status": "Invoiced"},
        {"Status": "Waived"},
        "Taken ill on the morning",
    )


def test_a_refund_records_the_amount_and_who_caused_it(delegate):
    charge = card_charge(agency=AgencyFactory(), price_pence=4000)
    payment = Payment.objects.create(
        charge=charge,
        amount_pence=4000,
        stripe_payment_intent_id="pi_audit",
        idempotency_key="audit-1",
        status=Payment.Status.SUCCEEDED,
    )

    with transaction.atomic():
        refund_issue(payment=payment, reason="cancelled in time", by=delegate)

    entry = _only_entry(Action.REFUND_ISSUED)
    assert (entry.actor, entry.object_id) == (delegate, str(charge.pk))
    assert (entry.before, entry.after, entry.note) == (
        {"Refunded": "£0.00"},
        {"Refunded": "£40.00"},
        "cancelled in time",
    )


def test_a_delegate_cancelling_an_invoiced_place_in_time_is_the_actor_of_the_credit(db):
    charge = invoiced_place(agency=AgencyFactory(), session=SessionFactory(start=ago(days=-30)))
    delegate = charge.booking.user

    booking_services.booking_cancel(booking=charge.booking, by=delegate)

    entry = _only_entry(Action.INVOICE_CANCELLED)
    assert entry.actor == delegate


# Roles


def test_granting_and_removing_roles_records_one_entry_for_each(administrator):
    person = UserFactory(role=Role.DELEGATE)
    groups = Group.objects.filter(name__in=[Role.FINANCE, Role.TRAINER])

    user_roles_set(user=person, groups=groups, by=administrator)

    granted = AuditEntry.objects.filter(action=Action.ROLE_GRANTED).order_by("note")
    assert [entry.note for entry in granted] == [Role.FINANCE, Role.TRAINER]
    removed = _only_entry(Action.ROLE_REMOVED)
    assert removed.note == Role.DELEGATE
    assert removed.before == {"Roles": [Role.DELEGATE]}
    assert removed.after == {"Roles": sorted([Role.FINANCE, Role.TRAINER])}
    assert {entry.object_id for entry in AuditEntry.objects.all()} == {str(person.pk)}


def _change_in_the_admin(client, person, **changes):
    """Save a person's record on the Django admin's change page, as a superuser."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    fields = ["email", "first_name", "last_name", "job_role", "line_manager_name", "line_manager_email"]
    data = {name: getattr(person, name) for name in fields}
    data.update(
        agency=person.agency_id,
        is_active="on",
        date_joined_0=person.date_joined.strftime("%Y-%m-%d"),
        date_joined_1="09:00:00",
        **changes,
    )
    response = client.post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    assert response.status_code == 302
    return superuser


def test_roles_given_in_the_django_admin_are_recorded(client):
    person = UserFactory()

    superuser = _change_in_the_admin(client, person, groups=[Group.objects.get(name=Role.FINANCE).pk])

    entry = _only_entry(Action.ROLE_GRANTED)
    assert (entry.actor, entry.note) == (superuser, Role.FINANCE)


def test_making_someone_a_superuser_in_the_django_admin_is_recorded(client):
    person = UserFactory(role=Role.DELEGATE)

    superuser = _change_in_the_admin(
        client, person, is_superuser="on", groups=[Group.objects.get(name=Role.DELEGATE).pk]
    )

    entry = _only_entry(Action.ROLE_GRANTED)
    assert (entry.actor, entry.note) == (superuser, "Superuser status")
    assert (entry.before, entry.after) == ({"Superuser status": False}, {"Superuser status": True})
    assert not AuditEntry.objects.filter(action=Action.ROLE_REMOVED).exists()


# Exports of people's details


def test_printing_a_sign_in_sheet_records_the_export_not_the_names(client, running_session, administrator):
    client.force_login(administrator)

    client.get(reverse("bookings:sign_in_sheet", args=[running_session.pk]))

    entry = _only_entry(Action.PERSONAL_DATA_EXPORTED)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        administrator,
        "courses.session",
        str(running_session.pk),
    )
    assert entry.after == {"Export": "Sign-in sheet (PDF)", "Rows": 2}


def test_downloading_an_invoice_records_the_export(client):
    finance = UserFactory(role=Role.FINANCE)
    invoice = invoice_of(invoiced_place(agency=AgencyFactory()))
    client.force_login(finance)

    client.get(reverse("payments:invoice_pdf", args=[invoice.pk]))

    assert _only_entry(Action.PERSONAL_DATA_EXPORTED).after == {"Export": "Invoice (PDF)", "Rows": 1}


def test_a_coordinator_exporting_completions_is_recorded(client):
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR)
    client.force_login(coordinator)

    client.get(reverse("elearning:agency_completions"), {"_export": "csv"})

    entry = _only_entry(Action.PERSONAL_DATA_EXPORTED)
    assert (entry.actor, entry.object_label) == (coordinator, coordinator.agency.name)
    assert entry.after == {"Export": "E-learning completions (CSV)", "Rows": 0}


def test_looking_at_completions_without_exporting_records_nothing(client):
    client.force_login(UserFactory(role=Role.AGENCY_COORDINATOR))

    response = client.get(reverse("elearning:agency_completions"))

    assert not AuditEntry.objects.exists()
    assert response.status_code == 200  # the page was shown, so it could have logged


# All or nothing


def test_a_change_that_is_rolled_back_leaves_no_entry(administrator):
    invoice = invoice_of(invoiced_place(agency=AgencyFactory()))

    with pytest.raises(RuntimeError), transaction.atomic():
        invoice_mark_paid(invoice=invoice, by=administrator)
        assert AuditEntry.objects.count() == 1
        raise RuntimeError("the request failed after the change")

    assert not AuditEntry.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == invoice.Status.ISSUED


def test_a_refused_change_leaves_no_entry(administrator):
    fee = invoiced_fee(agency=AgencyFactory())
    charge_waive(charge=fee, by=administrator, reason="Ill")

    with pytest.raises(Exception, match="cannot be waived"):
        charge_waive(charge=fee, by=administrator, reason="Again")

    assert AuditEntry.objects.filter(action=Action.FEE_WAIVED).count() == 1
    assert Charge.objects.get(pk=fee.pk).waived_reason == "Ill"
