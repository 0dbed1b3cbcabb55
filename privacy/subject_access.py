"""The subject access file: everything held about one person, as JSON.

JSON rather than a ZIP of CSV files: one file anyone can open in a text
editor, that a program can read (the right to data portability asks for a
structured, machine-readable format), and that keeps each booking together
with its history, charges and evaluations instead of spreading them over
tables joined by ids."""

import json
import re

from django.conf import settings
from django.utils import timezone

from accounts.models import User

from . import selectors

NOT_INCLUDED = (
    "Equal opportunities monitoring answers are not included: they are stored with no link to you "
    "(no name, account, booking or evaluation), so they cannot be found, returned or erased. "
    "Other people's details (for example who marked a register) are not included either, and another "
    "person's e-mail address in a note (such as the colleague a place was passed to) is shown as \"a colleague\"."
)
# Notes name other people only by address: a substitution's "to <address>" or
# "substitute for <address>", always a colleague at the same agency.
EMAIL_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
COLLEAGUE = "a colleague"


def subject_access_data(user: User) -> dict:
    person = selectors.subject_access_person(user)
    own = _own_addresses(person)
    return {
        "about_this_file": {
            "controller": settings.PARTNERSHIP_NAME,
            "contact": settings.DATA_PROTECTION_EMAIL,
            "generated_at": _when(timezone.now()),
            "not_included": NOT_INCLUDED,
        },
        "account": _account(person),
        "agency": _agency(person.agency),
        "organisation_requests": [
            {
                "name": request.name,
                "sector": request.sector.name,
                "status": request.status,
                "created_at": _when(request.created_at),
                "decided_at": _when(request.decided_at),
            }
            for request in person.agency_requests.all()
        ],
        "bookings": [_booking(booking, person, own) for booking in person.bookings.all()],
        "elearning": {
            "progress": [
                {"module": row.module.title, "pages_read": row.pages_read, "started_at": _when(row.started_at),
                 "updated_at": _when(row.updated_at)}
                for row in person.module_progress.all()
            ],
            "knowledge_check_attempts": [
                {"module": attempt.module.title, "started_at": _when(attempt.started_at),
                 "submitted_at": _when(attempt.submitted_at), "score_percent": attempt.score_percent,
                 "passed": attempt.passed, "answers": attempt.answers}
                for attempt in person.elearning_attempts.all()
            ],
            "completions": [
                {"module": completion.module.title, "completed_on": _when(completion.completed_on),
                 "source": completion.source, "job_role": completion.job_role,
                 "job_role_as_given": completion.job_role_text,
                 "agency": completion.agency.name if completion.agency else None,
                 "score_percent": completion.score_percent}
                for completion in person.completions.all()
            ],
        },
        "certificates": [
            {"code": certificate.code, "kind": certificate.kind, "title": certificate.title,
             "holder_name": certificate.holder_name, "awarded_on": _when(certificate.awarded_on),
             "duration": certificate.duration, "issued_at": _when(certificate.issued_at)}
            for certificate in person.certificates.all()
        ],
    }


def subject_access_json(user: User) -> str:
    return json.dumps(subject_access_data(user), indent=2, ensure_ascii=False) + "\n"


def _when(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _account(person: User) -> dict:
    return {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_role": person.job_role,
        "line_manager_name": person.line_manager_name,
        "line_manager_email": person.line_manager_email,
        "date_joined": _when(person.date_joined),
        "last_login": _when(person.last_login),
        "is_active": person.is_active,
        "roles": [group.name for group in person.groups.all()],
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in person.emailaddress_set.all()
        ],
    }


def _agency(agency) -> dict | None:
    if agency is None:
        return None
    return {"name": agency.name, "sector": agency.sector.name, "contributes": agency.contributes}


def _own_addresses(person: User) -> set[str]:
    return {person.email.lower(), *(address.email.lower() for address in person.emailaddress_set.all())}


def _others_left_out(note: str, own: set[str]) -> str:
    """The note with anyone else's e-mail address replaced by a role label."""
    return EMAIL_ADDRESS.sub(lambda found: found[0] if found[0].lower() in own else COLLEAGUE, note)


def _booking(booking, person: User, own: set[str]) -> dict:
    session = booking.session
    reason = getattr(booking, "non_attendance_reason", None)
    return {
        "course": session.course.title,
        "session_start": _when(session.start),
        "session_end": _when(session.end),
        "venue": session.venue.name if session.venue else None,
        "status": booking.status,
        "attendance": booking.attendance or None,
        "booked_at": _when(booking.created_at),
        "booked_by_you": booking.booked_by_id in (None, person.pk),
        "requirements": {
            "step_free_access": booking.needs_step_free_access,
            "bsl_interpreter": booking.needs_bsl_interpreter,
            "hearing_loop": booking.needs_hearing_loop,
            "dietary": booking.dietary_requirements,
            "other": booking.requirements,
        },
        "price_pence": booking.price_pence,
        "fee_pence": booking.fee_pence,
        "payment_method": booking.payment_method or None,
        "purchase_order": booking.purchase_order,
        "billing_contact_name": booking.billing_contact_name,
        "billing_contact_email": booking.billing_contact_email,
        "history": [
            {"field": entry.field, "from": entry.from_value, "to": entry.to_value, "at": _when(entry.at),
             "note": _others_left_out(entry.note, own)}
            for entry in booking.history.all()
        ],
        "non_attendance": (
            {"reason": reason.reason, "details": reason.details, "submitted_at": _when(reason.submitted_at)}
            if reason
            else None
        ),
        "charges": [_charge(charge) for charge in booking.charges.all()],
        "evaluations": [
            {
                "stage": request.stage,
                "asked_at": _when(request.created_at),
                "closes_at": _when(request.closes_at),
                "line_manager_email": request.line_manager_email,
                "equal_opportunities_answered": request.equal_opportunities_given,
                "your_answers": [
                    {
                        "submitted_at": _when(response.submitted_at),
                        "answers": [_answer(answer) for answer in response.answers.all()],
                    }
                    for response in request.responses.all()
                ],
            }
            for request in booking.evaluation_requests.all()
        ],
    }


def _charge(charge) -> dict:
    return {
        "kind": charge.kind,
        "method": charge.method,
        "amount_pence": charge.amount_pence,
        "status": charge.status,
        "created_at": _when(charge.created_at),
        "waived_reason": charge.waived_reason,
        "waived_at": _when(charge.waived_at),
        "payments": [
            {
                "amount_pence": payment.amount_pence,
                "status": payment.status,
                "created_at": _when(payment.created_at),
                "succeeded_at": _when(payment.succeeded_at),
                "refund": _refund(payment),
            }
            for payment in charge.payments.all()
        ],
        # Only this charge's own lines: an organisation's invoice may list other people.
        "invoice_lines": [
            {
                "invoice": line.invoice.reference,
                "issued_at": _when(line.invoice.issued_at),
                "due_on": _when(line.invoice.due_on),
                "invoice_status": line.invoice.status,
                "buyer_name": line.invoice.buyer_name,
                "description": line.description,
                "amount_pence": line.amount_pence,
            }
            for line in charge.invoice_lines.all()
        ],
    }


def _refund(payment) -> dict | None:
    refund = getattr(payment, "refund", None)
    if refund is None:
        return None
    return {"amount_pence": refund.amount_pence, "reason": refund.reason, "status": refund.status,
            "created_at": _when(refund.created_at)}


def _answer(answer) -> dict:
    question = answer.question
    return {
        "question": question.text,
        "outcome": question.outcome or None,
        "number": answer.number,
        "choices": answer.choices,
        "text": answer.text,
    }
