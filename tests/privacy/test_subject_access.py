"""A delegate downloads everything held about them, and nobody else's."""

import json

import pytest
from django.urls import reverse

from bookings.models import Booking
from bookings.services.booking import booking_cancel
from bookings.services.register import non_attendance_reason_submit
from certificates.services import certificate_issue
from evaluations.models import Key, Stage
from evaluations.services import evaluation_requests_open, line_manager_submit, questionnaire_current
from payments.models import Charge
from payments.services.charges import charge_open
from privacy.subject_access import subject_access_json
from tests.elearning.factories import CompletionFactory
from tests.evaluations.builders import answered, answers, attendee, held_session
from tests.factories import BookingFactory, UserFactory
from tests.payments.finance_records import invoiced_place

pytestmark = pytest.mark.django_db


def _download(client, user):
    client.force_login(user)
    return client.get(reverse("privacy:my_data"))


def _trained_delegate(session, **kwargs):
    """A delegate with a booking, answers, a completion and a certificate."""
    booking = attendee(session, user=UserFactory(**kwargs), requirements="A quiet room")
    answered(booking, Stage.POST, overrides={Key.COMMENTS: {"text": f"Comment by {booking.user.last_name}"}})
    CompletionFactory(user=booking.user)
    certificate_issue(source=f"booking:{booking.pk}", kind="course", user=booking.user,
                      title=session.course.title, awarded_on=session.start.date())
    return booking.user


def test_the_file_is_an_attachment_that_is_never_cached(client, delegate):
    response = _download(client, delegate)

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"]


def test_it_holds_the_account_bookings_answers_e_learning_and_certificates(client):
    session = held_session()
    me = _trained_delegate(session, first_name="Mina", last_name="Mine")
    booking_cancel(booking=BookingFactory(user=me), by=me)

    data = json.loads(_download(client, me).content)

    assert data["account"]["email"] == me.email and data["account"]["last_name"] == "Mine"
    assert data["agency"]["name"] == me.agency.name
    booking, cancelled = data["bookings"]
    assert booking["course"] == session.course.title and booking["attendance"] == "attended"
    assert booking["requirements"]["other"] == "A quiet room"
    assert cancelled["status"] == "cancelled" and cancelled["history"][-1]["to"] == "cancelled"
    [evaluation] = [e for e in booking["evaluations"] if e["your_answers"]]
    answers = [answer["text"] for answer in evaluation["your_answers"][0]["answers"]]
    assert "Comment by Mine" in answers
    assert len(data["elearning"]["completions"]) == 1
    assert data["certificates"][0]["title"] == session.course.title
    assert "Equal opportunities monitoring answers are not included" in data["about_this_file"]["not_included"]


def test_it_holds_charges_payments_invoices_and_non_attendance(client):
    session = held_session()
    charge = invoiced_place(agency=UserFactory().agency, session=session)
    booking = charge.booking
    booking.attendance = Booking.Attendance.DID_NOT_ATTEND
    booking.save()
    non_attendance_reason_submit(booking=booking, reason="work_pressure", details="Short-staffed")

    data = json.loads(_download(client, booking.user).content)

    [held] = data["bookings"]
    assert held["non_attendance"]["reason"] == "work_pressure"
    [line] = held["charges"][0]["invoice_lines"]
    assert line["amount_pence"] == 5000 and line["invoice"].startswith("INV-")


def test_it_holds_nobody_elses_data(client):
    session = held_session()
    me = _trained_delegate(session, last_name="Mine")
    _trained_delegate(session, first_name="Olive", last_name="Olivander", email="olive@example.org")

    text = _download(client, me).content.decode()

    for theirs in ("Olive", "olive@example.org"):
        assert theirs not in text


def test_the_line_managers_view_is_not_in_the_delegates_file(client):
    session = held_session(days_ago=8 * 7 + 1)
    booking = attendee(session)
    evaluation_requests_open()
    answered(booking, Stage.FOLLOW_UP, line_manager_email="manager@example.org")
    version = questionnaire_current(course=session.course)
    line_manager_submit(
        request=booking.evaluation_requests.get(stage=Stage.FOLLOW_UP), version=version,
        answers=answers(version, "line_manager", overrides={Key.MANAGER_EXAMPLES: {"text": "Sharper referrals"}}),
    )

    data = json.loads(_download(client, booking.user).content)

    responses = [r for e in data["bookings"][0]["evaluations"] for r in e["your_answers"]]
    assert len(responses) == 1  # the delegate's own follow-up answers only
    assert "Sharper referrals" not in json.dumps(data)


def _invoiced_place(user):
    booking = attendee(held_session(), user=user, price_pence=5000, payment_method="invoice")
    return charge_open(booking=booking, method=Charge.Method.INVOICE)


def test_the_file_takes_the_same_number_of_queries_however_much_there_is(django_assert_num_queries):
    """Pinned for a delegate with one of everything and one with several: the
    count does not grow with their records (someone with nothing needs fewer)."""
    one = _trained_delegate(held_session())
    _invoiced_place(one)
    several = _trained_delegate(held_session())
    for _ in range(3):
        answered(attendee(held_session(), user=several), Stage.POST)
        CompletionFactory(user=several)
        _invoiced_place(several)

    for person in (one, several):
        with django_assert_num_queries(QUERIES):
            subject_access_json(person)


QUERIES = 17  # one a kind of record
