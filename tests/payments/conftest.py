"""A delegate whose agency pays for places, and their card bookings. localstripe
itself is started by tests/stripe_server.py (its fixtures are everyone's)."""

import pytest

from accounts.models import JobRole
from accounts.roles import Role
from bookings.services import booking_create
from courses.models import CourseFormat
from payments.models import BandRate, ChargingBand
from tests.factories import AgencyFactory, CourseFactory, SessionFactory, UserFactory

PRICE = 5000  # £50.00 a full day


@pytest.fixture
def band(db):
    band = ChargingBand.objects.create(name="Private and voluntary", slug="private-voluntary")
    BandRate.objects.create(band=band, format=CourseFormat.FULL_DAY, price_pence=PRICE, fee_pence=2500)
    return band


@pytest.fixture
def practitioner(band):
    """A nursery practitioner whose agency does not contribute, so pays by band."""
    return UserFactory(role=Role.DELEGATE, job_role=JobRole.EARLY_YEARS, agency=AgencyFactory(charging_band=band))


@pytest.fixture
def session(db):
    return SessionFactory(course=CourseFactory(format=CourseFormat.FULL_DAY, charging="band"))


@pytest.fixture
def card_booking(session, practitioner):
    """Book a place to pay by card: held ("payment_pending") until paid."""

    def book(*, on=None, user=None):
        return booking_create(session=on or session, user=user or practitioner, payment_method="card")

    return book
