"""Issue 12, items 1, 3 and 5: a person's agency.

A person's agency decides what they may see (an agency coordinator acts for
their own agency only) and what they pay (contributing partners' staff book
free). So after sign-up it changes only when a training administrator approves
a request, and a booking keeps the price it was made at whatever happens to the
person's agency later."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AgencyRequest, JobRole, Sector, User
from accounts.roles import Role
from accounts.services import agency_request_approve, agency_request_decline, user_details_update
from audit.models import AuditEntry
from bookings.models import Booking
from bookings.services import booking_create, booking_move, register_mark, register_submit
from courses.models import CourseFormat, Session
from payments.models import BandRate, Charge, ChargingBand, Invoice
from tests.factories import AgencyFactory, BookingFactory, CourseFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

PRICE, FEE = 5000, 9000  # a full day for a non-contributing early-years agency


@pytest.fixture
def early_years_band():
    """Early years is a charged sector: its non-contributing agencies pay this band."""
    band = ChargingBand.objects.create(name="Non-contributing organisations", slug="non-contributing")
    BandRate.objects.create(band=band, format=CourseFormat.FULL_DAY, price_pence=PRICE, fee_pence=FEE)
    Sector.objects.filter(slug="early_years").update(default_band=band)
    return band


@pytest.fixture
def full_day():
    return SessionFactory(course=CourseFactory(format=CourseFormat.FULL_DAY, charging="band"))


def _profile(client, agency_choice, **overrides):
    """POST the profile page with the person's details unchanged but this organisation chosen."""
    return client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Sam",
            "last_name": "Person",
            "job_role": JobRole.EARLY_YEARS,
            "agency_choice": agency_choice,
            "line_manager_name": "Morgan Manager",
            "line_manager_email": "manager@example.org",
            **overrides,
        },
        follow=True,
    )


# Item 1: a coordinator can no longer move themselves into another agency


@pytest.fixture
def other_agency_booking():
    """Another agency's delegate, booked on a session they did not attend."""
    other = AgencyFactory(name="Other Agency")
    colleague = UserFactory(role=Role.DELEGATE, agency=other, first_name="Olu", last_name="Other")
    BookingFactory(
        user=colleague,
        session=SessionFactory(start=timezone.now() - dt.timedelta(days=30)),
        attendance=Booking.Attendance.DID_NOT_ATTEND,
    )
    return BookingFactory(user=colleague)


def test_a_coordinator_choosing_another_agency_on_their_profile_gains_nothing_until_it_is_decided(
    client, other_agency_booking
):
    own = AgencyFactory(name="Own Agency")
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR, agency=own)
    other = other_agency_booking.user.agency
    client.force_login(coordinator)

    response = _profile(client, str(other.pk))

    coordinator.refresh_from_db()
    assert response.status_code == 200
    assert coordinator.agency == own
    assert AgencyRequest.objects.get(user=coordinator).requested_agency == other
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.AGENCY_CHANGED).exists()
    # The other agency's booking, its non-attendance list and its cancel stay out of reach.
    assert client.get(reverse("bookings:detail", args=[other_agency_booking.pk])).status_code == 404
    agency_page = client.get(reverse("bookings:agency_bookings"))
    assert agency_page.context["agency"] == own
    assert "Olu Other" not in agency_page.content.decode()
    assert client.post(reverse("bookings:cancel", args=[other_agency_booking.pk])).status_code == 404
    other_agency_booking.refresh_from_db()
    assert other_agency_booking.status == Booking.Status.CONFIRMED


def test_a_coordinators_reach_follows_the_agency_a_training_administrator_approved(
    client, administrator, other_agency_booking
):
    own = AgencyFactory(name="Own Agency")
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR, agency=own)
    other = other_agency_booking.user.agency
    client.force_login(coordinator)
    _profile(client, str(other.pk))

    agency_request_approve(agency_request=AgencyRequest.objects.get(user=coordinator), by=administrator)

    coordinator.refresh_from_db()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.AGENCY_CHANGED)
    assert coordinator.agency == other
    assert (entry.actor, entry.object_id) == (administrator, str(coordinator.pk))
    assert (entry.before, entry.after) == ({"Agency": "Own Agency"}, {"Agency": "Other Agency"})
    assert client.get(reverse("bookings:detail", args=[other_agency_booking.pk])).status_code == 200


# Item 3: no free places by switching to a contributing agency and back


def test_switching_to_a_contributing_agency_on_the_profile_does_not_make_places_free(
    client, early_years_band, full_day
):
    nursery = AgencyFactory(name="Little Acorns Nursery")
    delegate = UserFactory(role=Role.DELEGATE, agency=nursery)
    council = AgencyFactory(
        name="Borough Council", sector=Sector.objects.get(slug="children_social_care"), contributes=True
    )
    client.force_login(delegate)

    _profile(client, str(council.pk))
    client.post(reverse("bookings:book", args=[full_day.pk]), {"payment_method": "card"})
    _profile(client, str(nursery.pk))

    booking = Booking.objects.get(user=delegate)
    delegate.refresh_from_db()
    assert delegate.agency == nursery
    assert (booking.price_pence, booking.fee_pence, booking.status) == (PRICE, FEE, Booking.Status.PAYMENT_PENDING)
    assert list(booking.charges.values_list("amount_pence", flat=True)) == [PRICE]
    assert not AgencyRequest.objects.filter(user=delegate).exists()  # asking back for their own withdrew it


def _invoiced_booking(delegate, session):
    return booking_create(
        session=session, user=delegate, payment_method="invoice", billing_contact_email="accounts@nursery.example"
    )


def _move(delegate, to, administrator):
    """The delegate asks to move to `to` and a training administrator approves it."""
    agency_request = user_details_update(user=delegate, details={}, agency=to)
    agency_request_approve(agency_request=agency_request, by=administrator)


def _no_show(booking, administrator):
    """The session happens, the delegate does not come, the register is submitted."""
    now = timezone.now()
    Session.objects.filter(pk=booking.session_id).update(start=now - dt.timedelta(hours=2), end=now)
    register_mark(session=booking.session, marks={booking.pk: Booking.Attendance.DID_NOT_ATTEND}, by=administrator)
    register_submit(session=booking.session, by=administrator)


def test_a_change_of_agency_decided_later_leaves_the_bookings_price_charges_invoices_and_fees(
    administrator, early_years_band, full_day
):
    nursery = AgencyFactory(name="Little Acorns Nursery")
    delegate = UserFactory(role=Role.DELEGATE, agency=nursery)
    booking = _invoiced_booking(delegate, full_day)
    place_invoice = Invoice.objects.get()
    before = (place_invoice.agency, place_invoice.buyer_name, place_invoice.total_pence, place_invoice.status)

    _move(delegate, AgencyFactory(name="Borough Council", contributes=True), administrator)
    _no_show(booking, administrator)

    booking.refresh_from_db()
    place_invoice.refresh_from_db()
    assert (booking.price_pence, booking.fee_pence) == (PRICE, FEE)
    assert sorted(booking.charges.values_list("kind", "amount_pence", "status")) == [
        (Charge.Kind.NO_SHOW, FEE, Charge.Status.INVOICED),
        (Charge.Kind.PLACE, PRICE, Charge.Status.INVOICED),
    ]
    assert (place_invoice.agency, place_invoice.buyer_name, place_invoice.total_pence, place_invoice.status) == before
    assert Invoice.objects.exclude(pk=place_invoice.pk).get().total_pence == FEE


def test_a_change_to_a_charged_agency_decided_later_does_not_charge_an_existing_free_place(
    administrator, early_years_band, full_day
):
    council = AgencyFactory(name="Borough Council", contributes=True)
    delegate = UserFactory(role=Role.DELEGATE, agency=council)
    booking = booking_create(session=full_day, user=delegate)

    _move(delegate, AgencyFactory(name="Little Acorns Nursery"), administrator)
    _no_show(booking, administrator)

    booking.refresh_from_db()
    assert (booking.price_pence, booking.fee_pence) == (0, 0)
    assert not Charge.objects.exists()
    assert not Invoice.objects.exists()


def test_a_fee_raised_after_a_change_of_agency_is_invoiced_to_the_agency_the_booking_was_made_for(
    administrator, early_years_band, full_day
):
    nursery = AgencyFactory(name="Little Acorns Nursery")
    delegate = UserFactory(role=Role.DELEGATE, agency=nursery)
    booking = _invoiced_booking(delegate, full_day)

    _move(delegate, AgencyFactory(name="Borough Council", contributes=True), administrator)
    _no_show(booking, administrator)

    fee_invoice = Invoice.objects.get(lines__charge__kind=Charge.Kind.NO_SHOW)
    assert (fee_invoice.agency, fee_invoice.buyer_name) == (nursery, "Little Acorns Nursery")


def test_a_booking_moved_to_another_session_after_a_change_of_agency_stays_booked_for_the_first_agency(
    administrator, early_years_band, full_day
):
    nursery = AgencyFactory(name="Little Acorns Nursery")
    delegate = UserFactory(role=Role.DELEGATE, agency=nursery)
    booking = _invoiced_booking(delegate, full_day)
    _move(delegate, AgencyFactory(name="Borough Council", contributes=True), administrator)

    moved = booking_move(booking=booking, to_session=SessionFactory(course=full_day.course), by=administrator)

    assert (moved.agency_at_booking, moved.price_pence) == (nursery, PRICE)


# Item 5: "my organisation is not listed" is priced until it is decided


def _sign_up_not_listed(client, sector_slug="early_years"):
    client.post(
        reverse("account_signup"),
        {
            "email": "new.starter@example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "first_name": "New",
            "last_name": "Starter",
            "job_role": JobRole.EARLY_YEARS,
            "agency_choice": "not_listed",
            "new_agency_name": "Tiny Steps Nursery",
            "new_agency_sector": str(Sector.objects.get(slug=sector_slug).pk),
            "line_manager_name": "Morgan Manager",
            "line_manager_email": "manager@example.org",
        },
    )
    return User.objects.get(email="new.starter@example.org")


def test_an_unlisted_organisation_pays_its_sectors_price_while_the_request_waits(client, early_years_band, full_day):
    person = _sign_up_not_listed(client)

    booking = booking_create(session=full_day, user=person, payment_method="card")

    assert person.agency is None
    assert (booking.price_pence, booking.fee_pence, booking.status) == (PRICE, FEE, Booking.Status.PAYMENT_PENDING)


def test_the_booking_page_shows_an_unlisted_organisation_its_sectors_price(client, early_years_band, full_day):
    _sign_up_not_listed(client)
    client.force_login(User.objects.get(email="new.starter@example.org"))

    response = client.get(reverse("bookings:book", args=[full_day.pk]))

    assert response.context["price"].price_pence == PRICE


def test_an_unlisted_organisation_still_pays_after_its_request_is_declined(
    client, administrator, early_years_band, full_day
):
    person = _sign_up_not_listed(client)
    agency_request_decline(agency_request=AgencyRequest.objects.get(user=person), by=administrator)

    booking = booking_create(session=full_day, user=person, payment_method="card")

    assert (booking.price_pence, booking.fee_pence) == (PRICE, FEE)


def test_an_unlisted_organisation_in_a_sector_without_a_band_pays_the_commonest_non_contributing_band(
    client, early_years_band, full_day
):
    """Health has no band of its own (its agencies contribute), so naming a health
    organisation that is not listed would otherwise book free: it pays the band
    most sectors' non-contributing agencies pay by until the request is decided."""
    person = _sign_up_not_listed(client, sector_slug="health")

    booking = booking_create(session=full_day, user=person, payment_method="card")

    assert (booking.price_pence, booking.fee_pence) == (PRICE, FEE)


def test_the_partnership_may_name_the_band_of_undecided_organisations(client, settings, early_years_band, full_day):
    dearer = ChargingBand.objects.create(name="Independent providers", slug="independent")
    BandRate.objects.create(band=dearer, format=CourseFormat.FULL_DAY, price_pence=PRICE * 2, fee_pence=FEE * 2)
    settings.UNDECIDED_ORGANISATION_BAND = "independent"
    person = _sign_up_not_listed(client, sector_slug="health")

    booking = booking_create(session=full_day, user=person, payment_method="card")

    assert (booking.price_pence, booking.fee_pence) == (PRICE * 2, FEE * 2)


def test_an_undecided_organisation_band_that_names_no_band_does_not_make_places_free(
    client, settings, early_years_band, full_day
):
    settings.UNDECIDED_ORGANISATION_BAND = "no-such-band"
    person = _sign_up_not_listed(client, sector_slug="health")

    booking = booking_create(session=full_day, user=person, payment_method="card")

    assert (booking.price_pence, booking.fee_pence) == (PRICE, FEE)
