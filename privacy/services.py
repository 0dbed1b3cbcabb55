"""Writes for privacy: the retention policy, and anonymising people, one on
request or all those past the retention period.

Anonymising removes what identifies a person and keeps what the reports count:
their agency, job role, bookings with their statuses, dates, attendance and
money, ratings and choices. Free text that could name someone becomes
REMOVED rather than blank, so "how many asked for something" stays the same."""

import datetime as dt
import logging
import re

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_changes, audit_record
from bookings.models import Booking, BookingHistory, NonAttendanceReason
from certificates.models import Certificate
from core.models import OutboundEmail
from evaluations.models import Answer, EvaluationRequest
from evaluations.services import quotes_withdraw_for_person
from payments.models import Charge, Invoice, InvoiceLine, Refund

from . import selectors
from .exceptions import ErasureError
from .models import ErasureRecord, RetentionPolicy

logger = logging.getLogger(__name__)

REMOVED = "[removed]"
ANONYMISED_NAME = "Anonymised delegate"


def placeholder_email(user: User) -> str:
    """Unique, and no one's address: the .invalid domain never resolves (RFC 2606)."""
    return f"anonymised-{user.pk}@invalid"


@transaction.atomic
def retention_policy_update(*, years: int, by: User) -> RetentionPolicy:
    """Set how many years identifiable records are kept after a person's last training."""
    before = selectors.retention_policy().years
    policy, _created = RetentionPolicy.objects.update_or_create(pk=1, defaults={"years": years, "updated_by": by})
    audit_changes(
        actor=by, action=AuditEntry.Action.RETENTION_CHANGED, target=policy,
        before={"Years kept": before}, after={"Years kept": policy.years},
    )
    return policy


def person_erase(*, user: User, by: User, now: dt.datetime | None = None) -> ErasureRecord:
    """An erasure request: anonymise one person now, unless something still
    needs their details (see selectors.erasure_blockers)."""
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        blockers = selectors.erasure_blockers(user, now)
        if blockers:
            raise ErasureError(" ".join(blockers))
        record = _anonymise(user, reason=ErasureRecord.Reason.REQUEST, by=by)
        # The entry names the erasure record ("User 12: ..."), never the person.
        audit_record(actor=by, action=AuditEntry.Action.PERSON_ERASED, target=record)
        return record


def retention_anonymise(*, now: dt.datetime | None = None) -> int:
    """Anonymise everyone whose last training is older than the retention
    policy allows, and delete e-mails sent before then. Each person is done in
    a transaction of their own; running it again does nothing more. Returns
    how many people were anonymised."""
    now = now or timezone.now()
    years = selectors.retention_policy().years
    cutoff = selectors.retention_cutoff(years, now)
    done = 0
    for pk in list(selectors.people_due_for_anonymisation(cutoff, now).values_list("pk", flat=True)):
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=pk)
            # Asked again under the lock: they may have booked since the list was read.
            if selectors.people_due_for_anonymisation(cutoff, now).filter(pk=pk).exists():
                _anonymise(user, reason=ErasureRecord.Reason.RETENTION, by=None)
                done += 1
    emails, _by_model = OutboundEmail.objects.filter(sent_at__lt=cutoff).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(attempt_time__lt=cutoff).delete()
    # Counts only: never who.
    logger.info(
        "Retention (%s years, before %s): %s people anonymised, %s sent e-mails deleted",
        years,
        cutoff.date().isoformat(),
        done,
        emails,
    )
    return done


def _anonymise(user: User, *, reason: str, by: User | None) -> ErasureRecord:
    """Remove what identifies `user` across the site; call inside a transaction
    holding the user's row."""
    old_name, old_email = user.get_full_name(), user.email
    bookings = Booking.objects.filter(user=user)
    charges = Charge.objects.filter(booking__user=user)

    _redact(bookings, "dietary_requirements", "requirements", "billing_contact_name")
    bookings.filter(~Q(billing_contact_email="")).update(billing_contact_email=placeholder_email(user))
    _redact(BookingHistory.objects.filter(booking__user=user), "note")
    mentions = _Mentions(old_name, [old_email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)])
    # Anyone's booking may name them: a colleague's "substitute for <address>".
    _scrub(BookingHistory.objects.exclude(booking__user=user), mentions, "note")
    _redact(NonAttendanceReason.objects.filter(booking__user=user), "details")
    _redact(charges, "waived_reason")
    _redact(Refund.objects.filter(payment__charge__booking__user=user), "reason")
    _anonymise_invoices(user, charges, old_name=old_name, old_email=old_email)
    # Free-text answers (the delegate's and their line manager's) may name
    # people; ratings, choices and whether they were answered stay.
    _redact(Answer.objects.filter(response__request__booking__user=user), "text")
    # A published quote is a copy of their words, not a link to them.
    quotes_withdraw_for_person(user=user)
    EvaluationRequest.objects.filter(booking__user=user).exclude(line_manager_email="").update(
        line_manager_email=placeholder_email(user)
    )
    Certificate.objects.filter(user=user).update(holder_name=ANONYMISED_NAME)
    _outbound_emails_to(old_email).delete()
    _outbound_emails_mentioning(mentions)
    EmailAddress.objects.filter(user=user).delete()
    # django-axes keeps sign-ins and failed attempts by (lower-cased) e-mail address.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=old_email).delete()
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        Authenticator.objects.filter(user=user).delete()

    user.first_name = user.last_name = ""
    user.email = placeholder_email(user)
    user.line_manager_name = user.line_manager_email = ""
    user.is_active = False
    user.set_unusable_password()  # also ends their sessions (the session hash changes)
    user.save()
    return ErasureRecord.objects.create(user=user, reason=reason, erased_by=by)


def _redact(queryset, *fields):
    """Replace each non-empty text field with REMOVED (one UPDATE a field)."""
    for field in fields:
        queryset.exclude(**{field: ""}).update(**{field: REMOVED})


def _anonymise_invoices(user, charges, *, old_name, old_email):
    """Invoices stay (number, date, agency, purchase order, amounts); the
    person's name comes off their lines, and off the invoice itself where they
    were the buyer or billing contact."""
    suffix = f" – {old_name}"
    lines = InvoiceLine.objects.filter(charge__in=charges).only("pk", "description")
    changed = [line for line in lines if old_name and line.description.endswith(suffix)]
    for line in changed:
        line.description = line.description[: -len(suffix)] + f" – {ANONYMISED_NAME}"
    InvoiceLine.objects.bulk_update(changed, ["description"])
    invoices = Invoice.objects.filter(lines__charge__in=charges).distinct()
    Invoice.objects.filter(pk__in=invoices.filter(agency__isnull=True, buyer_name=old_name)).update(
        buyer_name=ANONYMISED_NAME
    )
    Invoice.objects.filter(pk__in=invoices.filter(billing_contact_email__iexact=old_email)).update(
        billing_contact_email=placeholder_email(user)
    )
    if old_name:
        Invoice.objects.filter(pk__in=invoices.filter(billing_contact_name=old_name)).update(
            billing_contact_name=REMOVED
        )


class _Mentions:
    """What names a person in someone else's text: their address and full
    name, as written and as HTML writes them, each as a whole (so "Al Bo" is
    not found inside "Sal Bone", nor an address inside a longer one).

    Only text that carries one of their addresses is theirs to change: a name
    alone may be a namesake's. In such text the name goes too. The database
    finds candidates; the pattern decides."""

    def __init__(self, name: str, emails: list[str]):
        self.addresses = sorted({text for email in emails for text in (email, escape(email))}, key=len, reverse=True)
        needles = set(self.addresses)
        if name.strip():
            needles |= {name, escape(name)}
        self.found = self._whole(self.addresses)
        self.pattern = self._whole(sorted(needles, key=len, reverse=True))

    @staticmethod
    def _whole(needles):
        return re.compile(
            "|".join(rf"(?<![\w.+-]){re.escape(needle)}(?![\w-]|\.\w)" for needle in needles), re.IGNORECASE
        )

    def candidates(self, queryset, fields):
        found = Q(pk__in=[])
        for field in fields:
            for needle in self.addresses:
                found |= Q(**{f"{field}__icontains": needle})
        return [row for row in queryset.filter(found).only("pk", *fields) if self.found_in(row, fields)]

    def found_in(self, row, fields) -> bool:
        return any(self.found.search(getattr(row, field)) for field in fields)

    def removed_from(self, text: str) -> str:
        return self.pattern.sub(REMOVED, text)


def _scrub(queryset, mentions: _Mentions, *fields: str) -> None:
    """Replace each mention of the person in `fields` with REMOVED and keep
    the rest of the text."""
    rows = mentions.candidates(queryset, fields)
    for row in rows:
        for field in fields:
            limit = row._meta.get_field(field).max_length
            setattr(row, field, mentions.removed_from(getattr(row, field))[:limit])
    queryset.model.objects.bulk_update(rows, fields)


EMAIL_TEXT = ("subject", "body", "html_body")


def _outbound_emails_mentioning(mentions: _Mentions) -> None:
    """E-mails to others that name the person (a line manager's approval
    request, a colleague's substitution): those sent, or given up on, are
    only a record and go; one still waiting goes out without them."""
    done = OutboundEmail.objects.filter(Q(sent_at__isnull=False) | Q(failed_at__isnull=False))
    OutboundEmail.objects.filter(pk__in=[email.pk for email in mentions.candidates(done, EMAIL_TEXT)]).delete()
    _scrub(OutboundEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True), mentions, *EMAIL_TEXT)


def _outbound_emails_to(address: str):
    """E-mails (sent or waiting) with `address` among their recipients."""
    quoted = f'"{address}"'
    return OutboundEmail.objects.annotate(to_text=Cast("to", TextField()), cc_text=Cast("cc", TextField())).filter(
        Q(to_text__icontains=quoted) | Q(cc_text__icontains=quoted)
    )
