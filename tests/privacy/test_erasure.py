"""An erasure request: a training administrator finds the person, confirms,
and their details go, unless something still needs them."""

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEntry
from bookings.models import Booking
from core.models import OutboundEmail
from core.services import email_enqueue
from payments.models import Charge
from privacy import services
from privacy.exceptions import ErasureError
from privacy.models import ErasureRecord
from tests.evaluations.builders import attendee, held_session
from tests.factories import BookingFactory, UserFactory
from tests.payments.finance_records import invoiced_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained():
    """A delegate whose only session is over."""
    return attendee(held_session(), user=UserFactory(first_name="Erin", last_name="Erase")).user


def test_erasing_a_person_anonymises_them_and_records_who_did_it(trained, administrator):
    record = services.person_erase(user=trained, by=administrator)

    trained.refresh_from_db()
    assert trained.email == f"anonymised-{trained.pk}@invalid" and trained.get_full_name() == ""
    assert (record.user, record.erased_by, record.reason) == (trained, administrator, ErasureRecord.Reason.REQUEST)
    assert Booking.objects.get(user=trained).attendance == Booking.Attendance.ATTENDED


def test_a_person_with_a_session_still_to_come_cannot_be_erased(trained, administrator):
    BookingFactory(user=trained)  # next week

    with pytest.raises(ErasureError, match="session that has not happened yet"):
        services.person_erase(user=trained, by=administrator)

    trained.refresh_from_db()
    assert trained.last_name == "Erase" and not ErasureRecord.objects.exists()


def test_a_person_with_an_unpaid_invoice_cannot_be_erased(administrator):
    charge = invoiced_place(agency=UserFactory().agency, session=held_session())

    with pytest.raises(ErasureError, match="not paid yet"):
        services.person_erase(user=charge.booking.user, by=administrator)

    assert charge.status == Charge.Status.INVOICED


def test_a_staff_account_cannot_be_erased(administrator):
    trainer = UserFactory(role=Role.TRAINER)

    with pytest.raises(ErasureError, match="staff role"):
        services.person_erase(user=trainer, by=administrator)


def test_a_person_is_erased_once(trained, administrator):
    services.person_erase(user=trained, by=administrator)

    with pytest.raises(ErasureError, match="already been erased"):
        services.person_erase(user=trained, by=administrator)


def test_the_administrator_finds_the_person_confirms_and_erases(client, trained, administrator):
    client.force_login(administrator)

    found = client.post(reverse("privacy:erasure_search"), {"q": "erin erase"}).content.decode()
    confirm_url = reverse("privacy:erasure_confirm", args=[trained.pk])
    assert confirm_url in found
    assert "This cannot be undone" in client.get(confirm_url).content.decode()
    response = client.post(confirm_url, {"confirm": "on"}, follow=True)

    page = response.content.decode()
    assert f"Erased: account {trained.pk} no longer holds anything that identifies them." in page
    assert "Erin" not in page
    assert ErasureRecord.objects.get().erased_by == administrator


def test_the_administrator_must_tick_to_confirm(client, trained, administrator):
    client.force_login(administrator)

    page = client.post(reverse("privacy:erasure_confirm", args=[trained.pk]), {}).content.decode()

    assert "Confirm you have checked before erasing their details" in page
    assert not ErasureRecord.objects.exists()


def test_the_confirm_page_says_why_a_person_cannot_be_erased(client, trained, administrator):
    BookingFactory(user=trained)
    client.force_login(administrator)

    page = client.get(reverse("privacy:erasure_confirm", args=[trained.pk])).content.decode()

    assert "Their details cannot be erased yet." in page
    assert "Cancel it first" in page
    assert "Erase their details</button>" not in page


def test_erased_people_are_not_found_again(client, trained, administrator):
    services.person_erase(user=trained, by=administrator)
    client.force_login(administrator)

    page = client.post(reverse("privacy:erasure_search"), {"q": "anonymised"}).content.decode()

    assert reverse("privacy:erasure_confirm", args=[trained.pk]) not in page
    assert "Erasure request" in page  # listed among the erasures so far


def test_e_mails_to_the_person_go_and_others_stay(trained, administrator):
    email_enqueue(subject="Your place", body="Dear Erin", to=[trained.email])
    email_enqueue(subject="Register", body="For the trainer", to=["trainer@example.org"], cc=[f"x{trained.email}"])

    services.person_erase(user=trained, by=administrator)

    assert list(OutboundEmail.objects.values_list("body", flat=True)) == ["For the trainer"]


def test_an_erasure_goes_in_the_audit_log_without_the_persons_name(trained, administrator):
    record = services.person_erase(user=trained, by=administrator)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSON_ERASED)
    assert (entry.actor, entry.object_label) == (administrator, str(record))
    assert "Erase" not in entry.object_label and "Erin" not in entry.object_label


def test_a_refused_erasure_leaves_no_audit_entry(trained, administrator):
    BookingFactory(user=trained)  # next week

    with pytest.raises(ErasureError):
        services.person_erase(user=trained, by=administrator)

    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PERSON_ERASED).exists()


def test_changing_the_retention_period_goes_in_the_audit_log(administrator):
    services.retention_policy_update(years=6, by=administrator)
    services.retention_policy_update(years=8, by=administrator)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.RETENTION_CHANGED)
    assert (entry.actor, entry.before, entry.after) == (administrator, {"Years kept": 6}, {"Years kept": 8})


def test_an_erasure_removes_the_persons_sign_in_records(trained, administrator):
    AccessLog.objects.create(username=trained.email.lower(), ip_address="192.0.2.1", user_agent="Browser")
    AccessFailureLog.objects.create(username=trained.email.lower(), ip_address="192.0.2.1", user_agent="Browser")
    AccessLog.objects.create(username="someone.else@example.org", ip_address="192.0.2.2", user_agent="Browser")

    services.person_erase(user=trained, by=administrator)

    assert list(AccessLog.objects.values_list("username", flat=True)) == ["someone.else@example.org"]
    assert not AccessFailureLog.objects.exists()


def _erasure_page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.post(reverse("privacy:erasure_search"), {"q": "Searchable"})
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_the_erasure_page_runs_the_same_queries_however_many_are_found_and_erased(client, administrator):
    """Pinned at two sizes: the people found (with their agency) and the
    erasures so far (with who did them) do not add a query a row."""

    def add(how_many):
        for _ in range(how_many):
            UserFactory(last_name="Searchable")
            services.person_erase(user=UserFactory(), by=administrator)

    client.force_login(administrator)
    add(1)
    few, _page = _erasure_page_queries(client)

    add(8)
    many, page = _erasure_page_queries(client)

    assert page.count("Searchable") >= 9 and page.count("Erasure request") == 9
    assert many == few


def test_erasing_someone_who_does_not_exist_is_not_found(client, administrator):
    client.force_login(administrator)

    url = reverse("privacy:erasure_confirm", args=[999_999])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert not ErasureRecord.objects.exists()
