"""Factories for the tests: each builds a valid record with as little said as possible."""

import datetime as dt
import time

import factory
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Agency, JobRole, Sector, User
from accounts.permissions import must_use_two_factor
from bookings.models import Booking
from courses.models import Course, CourseFormat, CourseLevel, Priority, Session, Trainer, Venue

PASSWORD = "correct-horse-battery"  # every UserFactory account's password
# The authenticator app of every account UserFactory gives one (see `with_totp`).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """What the authenticator app shows now (RFC 6238, allauth's own arithmetic).
    Waits out the last two seconds of a 30-second step, so the code is still
    current when the site checks it."""
    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    slug = "early_years"
    name = "Early years and childcare"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = factory.LazyFunction(lambda: Sector.objects.get(slug="early_years"))
    contributes = False


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up person with a verified e-mail address. Pass `role` to put
    them in one of the site's groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    job_role = JobRole.SOCIAL_WORKER
    agency = factory.SubFactory(AgencyFactory)
    line_manager_name = "Morgan Manager"
    line_manager_email = "manager@example.org"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            self.emailaddress_set.create(email=self.email, verified=True, primary=True)

    @factory.post_generation
    def with_totp(self, create, extracted, **kwargs):
        """Staff whose roles must use two-factor sign-in (MFA_REQUIRED_ROLES)
        have an authenticator app, as they would after their first sign-in, so
        a force_login'd one reaches their pages. with_totp=False: one who has
        not set it up yet; with_totp=True: anyone."""
        if create and (must_use_two_factor(self) if extracted is None else extracted):
            TOTP.activate(self, TOTP_SECRET)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Priority {n}")
    slug = factory.Sequence(lambda n: f"priority-{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Safeguarding course {n}")
    slug = factory.Sequence(lambda n: f"safeguarding-course-{n}")
    format = CourseFormat.FULL_DAY
    level = CourseLevel.LEVEL_2
    summary = "What this course covers."
    learning_outcomes = "Recognise the signs\nKnow how to share a concern"
    audience = "Everyone who works with children."


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "1 High Street"
    postcode = "RV1 1AA"
    step_free_access = True


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    name = factory.Sequence(lambda n: f"Trainer {n}")


def _next_week():
    start = timezone.localtime() + dt.timedelta(days=7)
    return start.replace(hour=9, minute=30, second=0, microsecond=0)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    start = factory.LazyFunction(_next_week)
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=7))
    venue = factory.SubFactory(VenueFactory)
    capacity = 20
    minimum_numbers = factory.LazyAttribute(lambda o: min(5, o.capacity))


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    agency_at_booking = factory.LazyAttribute(lambda booking: booking.user.agency)
    status = Booking.Status.CONFIRMED
