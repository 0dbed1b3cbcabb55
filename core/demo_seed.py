"""Write the demo partnership into the database. Idempotent: records are found
by their natural keys, so running it again changes nothing."""

import datetime as dt
import random

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Agency, JobRole, Sector, User
from accounts.permissions import must_use_two_factor
from accounts.roles import Role
from bookings.models import Booking
from courses.models import Course, Priority, Session, Trainer, Venue
from elearning.demo_seed import elearning_demo_seed
from evaluations.demo_seed import evaluation_demo_seed
from payments.models import BandRate, ChargingBand
from reports.demo_seed import reports_demo_seed

from . import demo
from .periods import financial_year


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _user(email, first, last, *, agency, role, job_role):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first,
            "last_name": last,
            "agency": agency,
            "job_role": job_role,
            "line_manager_name": "Morgan Manager",
            "line_manager_email": "manager@example.org",
        },
    )
    if created:
        user.set_password(demo.DEMO_PASSWORD)
        user.save()
        # allauth requires a verified address to sign in.
        user.emailaddress_set.create(email=email, verified=True, primary=True)
    # Everyone can book for themselves; other roles come on top.
    user.groups.add(Group.objects.get(name=role), Group.objects.get(name=Role.DELEGATE))
    if demo_two_factor_seeded() and must_use_two_factor(user):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, demo.DEMO_TOTP_SECRET)
    return user


def demo_two_factor_seeded() -> bool:
    """The demo staff get the published demo authenticator (demo.DEMO_TOTP_SECRET)
    in development only: with DEBUG off they set up their own at first sign-in."""
    return settings.DEBUG


@transaction.atomic
def demo_seed(*, today: dt.date | None = None, minimal: bool = False) -> dict:
    """The demo partnership. `minimal` leaves out last year's history, the
    e-learning records and the evaluation answers, which take most of the time
    and which a booking does not need (the CI smoke test uses it)."""
    today = today or timezone.localdate()
    rng = random.Random(2026)
    tz = timezone.get_current_timezone()

    priorities = {
        slug: Priority.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in demo.PRIORITIES
    }
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    bands = _demo_bands()
    agencies = [
        Agency.objects.get_or_create(name=name, defaults={"sector": sectors[slug], "contributes": contributes})[0]
        for name, slug, contributes in demo.AGENCIES
    ]
    for agency in agencies:
        band_slug = demo.AGENCY_BANDS.get(agency.name)
        if band_slug and agency.charging_band_id is None:
            agency.charging_band = bands[band_slug]
            agency.save(update_fields=["charging_band"])
    venues = [
        Venue.objects.get_or_create(
            name=name,
            defaults={
                "address": address,
                "postcode": postcode,
                "step_free_access": step_free,
                "accessibility_notes": notes,
            },
        )[0]
        for name, address, postcode, step_free, notes in demo.VENUES
    ]
    trainers = [
        Trainer.objects.get_or_create(name=name, defaults={"organisation": org, "email": email})[0]
        for name, org, email in demo.TRAINERS
    ]

    role_users = {}
    for email, (first, last, role, agency_index) in demo.ROLE_USERS.items():
        role_users[email] = _user(
            email,
            first,
            last,
            agency=agencies[agency_index],
            role=role,
            job_role=JobRole.MANAGER if role != Role.DELEGATE else JobRole.EARLY_YEARS,
        )
    admin = role_users["admin@example.org"]
    if not admin.is_staff:
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
    trainer_user = role_users["trainer@example.org"]
    Trainer.objects.filter(pk=trainers[0].pk, user__isnull=True).update(user=trainer_user)

    job_roles = [choice for choice, _ in JobRole.choices]
    practitioners = [
        _user(
            f"practitioner{n:02d}@example.org",
            demo.FIRST_NAMES[n % 20],
            demo.LAST_NAMES[n % 10],
            agency=agencies[n % len(agencies)],
            role=Role.DELEGATE,
            job_role=job_roles[n % len(job_roles)],
        )
        for n in range(1, 61)
    ]

    year_start = financial_year(today).start
    session_count = 0
    for index, (title, fmt, level, priority_slugs, provider, topic, per_year) in enumerate(demo.COURSES):
        course, _ = Course.objects.get_or_create(
            slug=slugify(title),
            defaults={
                "title": title,
                "format": fmt,
                "level": level,
                "provider": provider,
                # Lunchtime briefings are free for everyone, as partnerships publish.
                "charging": Course.Charging.FREE if fmt == demo.B else Course.Charging.BAND,
                "summary": f"This course looks at {topic}. It brings practitioners from every agency "
                "together to learn from each other and from local practice.",
                "learning_outcomes": "\n".join(
                    [
                        f"Describe the key facts and signs of {topic}",
                        "Explain your role and the roles of other agencies",
                        "Know how to share a concern and where to go for advice",
                    ]
                ),
                "audience": "Practitioners and volunteers from all agencies who work with children, young "
                "people and families."
                if level != "leaders"
                else "Designated safeguarding leads, their deputies and managers.",
            },
        )
        course.priorities.add(*(priorities[slug] for slug in priority_slugs))
        (start_h, start_m), (end_h, end_m) = demo.FORMAT_TIMES[fmt]
        for n in range(per_year):
            # Spread each course's sessions across the year, offset by course.
            day = _working_day(year_start + dt.timedelta(days=(index * 11 + n * 365 // per_year) % 350 + 7))
            start = dt.datetime.combine(day, dt.time(start_h, start_m), tz)
            online = fmt == demo.B and n % 2 == 1
            session, created = Session.objects.get_or_create(
                course=course,
                start=start,
                defaults={
                    "end": dt.datetime.combine(day, dt.time(end_h, end_m), tz),
                    "venue": None if online else venues[(index + n) % len(venues)],
                    "online_url": "https://meet.example.org/riverside-training" if online else "",
                    "capacity": 30 if fmt == demo.B else rng.choice([20, 24, 25]),
                    "minimum_numbers": 8,
                },
            )
            session_count += 1
            if created:
                session.trainers.add(trainers[(index + n) % len(trainers)])
                _demo_bookings(session, practitioners, rng, today)
    if minimal:
        return {"sessions": session_count, "users": role_users}
    # Last year's history first: the evaluations demo then answers its sessions' questionnaires too.
    reports_demo_seed(practitioners=practitioners, today=today)
    elearning_demo_seed(practitioners=practitioners, delegate=role_users["delegate@example.org"], today=today)
    evaluation_demo_seed(administrator=admin, delegate=role_users["delegate@example.org"], today=today)
    return {"sessions": session_count, "users": role_users}


def _demo_bands():
    bands = {}
    for slug, name, invoicing, rates in demo.BANDS:
        band, _ = ChargingBand.objects.get_or_create(slug=slug, defaults={"name": name, "invoicing_allowed": invoicing})
        for course_format, (price, fee) in rates.items():
            BandRate.objects.get_or_create(
                band=band, format=course_format, defaults={"price_pence": price, "fee_pence": fee}
            )
        bands[slug] = band
    for sector_slug, band_slug in demo.SECTOR_BANDS.items():
        Sector.objects.filter(slug=sector_slug, default_band__isnull=True).update(default_band=bands[band_slug])
    return bands


def _demo_bookings(session, practitioners, rng, today):
    # Some upcoming sessions fill up so the calendar shows "Full"; others are
    # part booked or under-subscribed, as in real programmes. Past sessions have
    # submitted registers with the usual share of non-attendance.
    past = session.start.date() < today
    fill = rng.uniform(0.6, 1.0) if past else rng.choice([0.2, 0.5, 0.8, 1.0])
    count = min(int(session.capacity * fill), len(practitioners))
    outcomes = ["attended"] * 17 + ["did_not_attend"] * 2 + ["arrived_late", "left_early"]
    Booking.objects.bulk_create(
        [
            Booking(
                session=session,
                user=user,
                status=Booking.Status.CONFIRMED,
                attendance=rng.choice(outcomes) if past else "",
            )
            for user in rng.sample(practitioners, count)
        ]
    )
    if past:
        session.register_submitted_at = session.end
        session.save(update_fields=["register_submitted_at"])
