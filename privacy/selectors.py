"""Reads for privacy: the retention policy, who is due for anonymisation, what
stops an erasure, and everything held about one person (subject access)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from bookings.models import Booking
from elearning.models import Completion
from evaluations.models import Answer, Respondent, Response
from payments.models import Charge

from .models import ErasureRecord, RetentionPolicy

STAFF_ROLES = [role for role in Role if role != Role.DELEGATE]
UNPAID = (Charge.Status.AWAITING_PAYMENT, Charge.Status.INVOICED)


def retention_policy() -> RetentionPolicy:
    """The saved policy, or the default one (unsaved) until someone saves it."""
    return RetentionPolicy.objects.filter(pk=1).first() or RetentionPolicy(pk=1)


def retention_cutoff(years: int, now: dt.datetime) -> dt.datetime:
    """`years` before `now`; 29 February falls back to the 28th."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def _staff() -> Q:
    return Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=STAFF_ROLES)


def _future_place(now) -> Exists:
    return Exists(
        Booking.objects.filter(user=OuterRef("pk"), status__in=Booking.LIVE_STATUSES, session__start__gt=now)
    )


def _unpaid_charge() -> Exists:
    return Exists(Charge.objects.filter(booking__user=OuterRef("pk"), status__in=UNPAID))


def people_due_for_anonymisation(cutoff: dt.datetime, now: dt.datetime) -> QuerySet[User]:
    """Delegates not yet anonymised whose last training (a booking made or
    held, an e-learning completion, an evaluation answered) and last sign-in
    or sign-up are all before `cutoff`. Staff accounts and anyone with a place
    still to come or money still owed are left alone."""
    recent_booking = Booking.objects.filter(user=OuterRef("pk")).filter(
        Q(session__start__gte=cutoff) | Q(created_at__gte=cutoff)
    )
    recent_completion = Completion.objects.filter(user=OuterRef("pk"), completed_on__gte=timezone.localdate(cutoff))
    recent_response = Response.objects.filter(request__booking__user=OuterRef("pk"), submitted_at__gte=cutoff)
    return (
        User.objects.filter(erasure_record__isnull=True, date_joined__lt=cutoff)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .exclude(_staff())
        .exclude(Exists(recent_booking))
        .exclude(Exists(recent_completion))
        .exclude(Exists(recent_response))
        .exclude(_future_place(now))
        .exclude(_unpaid_charge())
        .order_by("pk")
    )


def erasure_blockers(user: User, now: dt.datetime) -> list[str]:
    """Why this person's records cannot be erased now, in words for the
    administrator; empty when nothing stands in the way."""
    if ErasureRecord.objects.filter(user=user).exists():
        return [_("This person's details have already been erased.")]
    reasons = []
    if User.objects.filter(pk=user.pk).filter(_staff()).exists():
        reasons.append(_("They have a staff role or staff access. Remove it first, then erase their details."))
    if User.objects.filter(pk=user.pk).filter(_future_place(now)).exists():
        reasons.append(
            _(
                "They have a place or a waiting-list entry on a session that has not happened yet. "
                "Cancel it first: their booking details are needed to run the session."
            )
        )
    if User.objects.filter(pk=user.pk).filter(_unpaid_charge()).exists():
        reasons.append(
            _(
                "They have a charge that is not paid yet (awaiting card payment or invoiced). "
                "It must be paid, waived or cancelled first: finance needs the details to collect it."
            )
        )
    return reasons


def person_search(query: str) -> QuerySet[User]:
    """People not yet erased whose e-mail address or name contains `query`."""
    query = query.strip()
    if not query:
        return User.objects.none()
    matches = Q(email__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
    parts = query.split(maxsplit=1)
    if len(parts) == 2:
        matches |= Q(first_name__icontains=parts[0], last_name__icontains=parts[1])
    return (
        User.objects.filter(matches, erasure_record__isnull=True)
        .select_related("agency")
        .order_by("last_name", "first_name", "pk")[:25]
    )


def erasure_records() -> QuerySet[ErasureRecord]:
    return ErasureRecord.objects.select_related("erased_by").order_by("-erased_at", "-pk")


def erasure_candidate(pk: int) -> User:
    return get_object_or_404(User.objects.select_related("agency"), pk=pk)


def subject_access_person(user: User) -> User:
    """The person with everything held about them loaded in a fixed number of
    queries, whatever they have done (see privacy/subject_access.py). Only the
    delegate's own evaluation answers, not their line manager's."""
    own_answers = Response.objects.filter(respondent=Respondent.DELEGATE).prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__position", "pk"))
    )
    bookings = Booking.objects.select_related(
        "session__course", "session__venue", "non_attendance_reason"
    ).prefetch_related(
        "history",
        Prefetch("charges", queryset=Charge.objects.prefetch_related("payments__refund", "invoice_lines__invoice")),
        "evaluation_requests",
        Prefetch("evaluation_requests__responses", queryset=own_answers),
    )
    return (
        User.objects.select_related("agency__sector")
        .prefetch_related(
            "groups",
            "emailaddress_set",
            "agency_requests__sector",
            Prefetch("bookings", queryset=bookings.order_by("session__start", "pk")),
            "module_progress__module",
            "elearning_attempts__module",
            Prefetch("completions", queryset=Completion.objects.select_related("module", "agency")),
            "certificates",
        )
        .get(pk=user.pk)
    )
