"""Issue 12, items 9 and 13: nobody approves their own place, and a place held
for approval always reaches someone who can decide it.

Item 9: a delegate gave their own address as their line manager's and approved
their own place through the e-mailed link. Item 13: a place held for approval
when the agency had no coordinator and the person no usable line manager was
e-mailed to nobody and held for ever."""

import datetime as dt
import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from bookings import services, tokens
from bookings.models import Booking
from tests.accounts.test_views import signup_data
from tests.factories import AgencyFactory, BookingFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def _non_attendance_policy(settings):
    settings.DNA_POLICY_THRESHOLD = 2


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """Run the code under test, then deliver its e-mails as the commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _text(response, status=200):
    assert response.status_code == status
    return html.unescape(response.content.decode())


def _to(address):
    return [message for message in mail.outbox if address in message.to]


def _approval_requests():
    return [message for message in mail.outbox if message.subject.startswith("Please approve")]


def _approval_link(message):
    prefix = settings.SITE_URL.rstrip("/")
    stem = reverse("bookings:approval", args=["TOKEN"]).removesuffix("TOKEN/")
    match = re.search(re.escape(prefix + stem) + r"(\S+)", message.body)
    assert match, f"no approval link in: {message.body}"
    return stem + match.group(1)


def _fresh(booking):
    booking.refresh_from_db()
    return booking


def _missed_two_sessions(person):
    """Two non-attendances in the last 12 months: the non-attendance policy applies."""
    for days in (40, 41):
        BookingFactory(
            user=person,
            session__start=timezone.now() - dt.timedelta(days=days),
            attendance=Booking.Attendance.DID_NOT_ATTEND,
        )


# Item 9: the line manager's address is not the person's own


def test_sign_up_with_your_own_address_as_line_manager_is_refused(client):
    response = client.post(
        reverse("account_signup"), signup_data(AgencyFactory(), line_manager_email="Nadia.Khan@Example.org")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["line_manager_email"] == [
        "Your line manager's email address must not be your own"
    ]
    assert not User.objects.filter(email="nadia.khan@example.org").exists()


def test_profile_refuses_any_address_of_your_account_as_line_manager(client):
    me = UserFactory(line_manager_email="boss@example.org")
    EmailAddress.objects.create(user=me, email="me.at.home@example.net", verified=True, primary=False)
    client.force_login(me)

    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": me.first_name,
            "last_name": me.last_name,
            "job_role": me.job_role,
            "agency_choice": str(me.agency_id),
            "line_manager_name": "Me Myself",
            "line_manager_email": "ME.AT.HOME@example.net",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["line_manager_email"] == [
        "Your line manager's email address must not be your own"
    ]
    me.refresh_from_db()
    assert me.line_manager_email == "boss@example.org"


@pytest.fixture
def held_for_the_line_manager(delivered):
    """A place held for the line manager's approval, and the link they were sent."""
    delegate = UserFactory(line_manager_email="boss@example.org")
    with delivered():
        booking = services.booking_create(
            session=SessionFactory(course__requires_manager_approval=True), user=delegate
        )
    [request] = _to("boss@example.org")
    return booking, _approval_link(request)


def test_the_delegate_signed_in_cannot_use_the_approval_link(client, held_for_the_line_manager):
    booking, link = held_for_the_line_manager
    client.force_login(booking.user)

    assert "You cannot approve your own place" in _text(client.get(link), status=403)
    assert "You cannot approve your own place" in _text(client.post(link, {"decision": "approve"}), status=403)

    assert _fresh(booking).status == "pending_approval"
    assert not _to(booking.user.email)[1:]  # nothing after "waiting for approval": no confirmation


def test_an_approval_link_sent_to_an_address_the_delegate_now_owns_is_refused(client, held_for_the_line_manager):
    booking, link = held_for_the_line_manager
    # The link names the address it went to; that address has since joined the delegate's account.
    EmailAddress.objects.create(user=booking.user, email="Boss@example.org", verified=True, primary=False)

    assert _text(client.post(link, {"decision": "approve"}), status=403)

    assert _fresh(booking).status == "pending_approval"


def test_the_line_manager_still_approves_through_the_link(client, held_for_the_line_manager):
    booking, link = held_for_the_line_manager

    client.post(link, {"decision": "approve"})

    assert _fresh(booking).status == "confirmed"
    # The history names the approver's role, not their address: it is the delegate's to read.
    assert booking.history.latest("pk").note == "approved through the link e-mailed to the line manager"


def test_an_old_approval_link_that_names_no_address_is_no_longer_valid(client, held_for_the_line_manager):
    booking, _ = held_for_the_line_manager
    old_link = reverse("bookings:approval", args=[tokens.make(booking.pk, tokens.APPROVAL_SALT)])

    assert "This link is no longer valid" in _text(client.get(old_link), status=404)
    assert "This link is no longer valid" in _text(client.post(old_link, {"decision": "approve"}), status=404)

    assert _fresh(booking).status == "pending_approval"


def test_a_delegate_whose_line_manager_address_is_their_own_is_never_asked_to_approve(delivered):
    # Data from before the rule: the form would refuse this now.
    delegate = UserFactory(email="sam@example.org", line_manager_email="SAM@example.org", agency=AgencyFactory())
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR)

    with delivered():
        booking = services.booking_create(
            session=SessionFactory(course__requires_manager_approval=True), user=delegate
        )

    assert (booking.status, booking.approver) == ("pending_approval", "staff")
    assert [message.to for message in _approval_requests()] == [[administrator.email]]


def test_a_coordinator_under_the_policy_is_not_asked_to_approve_their_own_place(delivered):
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR, line_manager_email="")
    colleague = UserFactory(role=Role.AGENCY_COORDINATOR, agency=coordinator.agency)
    _missed_two_sessions(coordinator)

    with delivered():
        booking = services.booking_create(session=SessionFactory(), user=coordinator)

    assert (booking.status, booking.approver) == ("pending_approval", "coordinator")
    assert [message.to for message in _approval_requests()] == [[colleague.email]]


# Item 13: when nobody can approve, the training administrators decide


def test_a_course_needing_approval_without_a_line_managers_address_asks_the_coordinator(delivered):
    delegate = UserFactory(line_manager_email="")
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR, agency=delegate.agency)

    with delivered():
        booking = services.booking_create(
            session=SessionFactory(course__requires_manager_approval=True), user=delegate
        )

    assert (booking.status, booking.approver) == ("pending_approval", "coordinator")
    assert [message.to for message in _approval_requests()] == [[coordinator.email]]


@pytest.fixture
def held_with_nobody_to_ask(delivered):
    """Under the non-attendance policy, in an agency with no coordinator, with
    no line manager's address: the training administrators are asked."""
    delegate = UserFactory(agency=AgencyFactory(), line_manager_email="")
    _missed_two_sessions(delegate)
    with delivered():
        booking = services.booking_create(session=SessionFactory(), user=delegate)
    return booking


def test_a_place_nobody_can_approve_goes_to_every_training_administrator(delivered):
    first = UserFactory(role=Role.TRAINING_ADMINISTRATOR)
    second = UserFactory(role=Role.TRAINING_ADMINISTRATOR)
    UserFactory(role=Role.TRAINING_ADMINISTRATOR, is_active=False)
    delegate = UserFactory(agency=AgencyFactory(), line_manager_email="")
    _missed_two_sessions(delegate)

    with delivered():
        booking = services.booking_create(session=SessionFactory(), user=delegate)

    assert (booking.status, booking.approver) == ("pending_approval", "staff")
    requests = _approval_requests()
    assert sorted(address for message in requests for address in message.to) == sorted([first.email, second.email])
    for request in requests:
        assert "non-attendance policy" in request.body
        assert reverse("bookings:detail", args=[booking.pk]) in request.body
    [told] = _to(delegate.email)
    assert "training team" in told.body and "non-attendance policy" in told.body


def test_an_administrator_approves_it_from_the_booking_page(client, administrator, held_with_nobody_to_ask, delivered):
    booking = held_with_nobody_to_ask
    client.force_login(administrator)
    page = _text(client.get(reverse("bookings:detail", args=[booking.pk])))
    assert "non-attendance policy" in page
    assert 'value="approve"' in page and 'value="decline"' in page

    with delivered():
        response = client.post(reverse("bookings:staff_approval", args=[booking.pk]), {"decision": "approve"})

    assert response.status_code == 302
    assert _fresh(booking).status == "confirmed"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.APPROVAL_DECIDED)
    assert (entry.actor, entry.object_id, entry.after) == (administrator, str(booking.pk), {"decision": "approved"})
    assert _to(booking.user.email)[-1].subject.startswith("Your place is confirmed")


def test_an_administrator_declines_it_from_the_booking_page(client, administrator, held_with_nobody_to_ask):
    booking = held_with_nobody_to_ask
    client.force_login(administrator)

    client.post(reverse("bookings:staff_approval", args=[booking.pk]), {"decision": "decline"})

    assert _fresh(booking).status == "declined"
    assert AuditEntry.objects.get(action=AuditEntry.Action.APPROVAL_DECIDED).after == {"decision": "declined"}


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}])
def test_a_decision_that_is_neither_approve_nor_decline_decides_nothing(
    client, administrator, held_with_nobody_to_ask, data
):
    booking = held_with_nobody_to_ask
    client.force_login(administrator)

    page = _text(client.post(reverse("bookings:staff_approval", args=[booking.pk]), data, follow=True))

    assert "Choose whether to approve or decline the place" in page
    assert _fresh(booking).status == "pending_approval"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.APPROVAL_DECIDED).exists()


def test_the_delegate_sees_why_the_place_waits_and_cannot_decide_it(client, held_with_nobody_to_ask):
    booking = held_with_nobody_to_ask
    client.force_login(booking.user)

    page = _text(client.get(reverse("bookings:detail", args=[booking.pk])))
    assert "non-attendance policy" in page
    assert 'value="approve"' not in page

    response = client.post(reverse("bookings:staff_approval", args=[booking.pk]), {"decision": "approve"})

    assert response.status_code == 403
    assert _fresh(booking).status == "pending_approval"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.APPROVAL_DECIDED).exists()


def test_an_administrator_cannot_approve_their_own_place(client, delivered):
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR, agency=AgencyFactory(), line_manager_email="")
    _missed_two_sessions(administrator)
    with delivered():
        booking = services.booking_create(session=SessionFactory(), user=administrator)
    client.force_login(administrator)

    response = client.post(reverse("bookings:staff_approval", args=[booking.pk]), {"decision": "approve"})

    assert response.status_code == 403
    assert _fresh(booking).status == "pending_approval"
    assert administrator.email not in [address for message in _approval_requests() for address in message.to]
