"""The audit log page: the training team and finance read it, newest first,
filtered, with each change shown as "field: before → after"."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_record
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("audit:entry_list")


def _entry(*, actor=None, action=AuditEntry.Action.BAND_ASSIGNED, before=None, after=None, note=""):
    return audit_record(
        actor=actor or UserFactory(role=Role.TRAINING_ADMINISTRATOR),
        action=action,
        target=AgencyFactory(),
        before=before,
        after=after,
        note=note,
    )


@pytest.mark.parametrize("role", [Role.TRAINING_ADMINISTRATOR, Role.FINANCE])
def test_the_training_team_and_finance_read_the_log(client, role):
    _entry(note="moved to the voluntary band")
    client.force_login(UserFactory(role=role))

    response = client.get(URL)

    assert response.status_code == 200
    assert "moved to the voluntary band" in response.content.decode()


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.TRAINER, Role.AGENCY_COORDINATOR, Role.PPT_REVIEWER])
def test_nobody_else_reads_it(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(URL).status_code == 403


def test_the_page_has_no_way_to_change_an_entry(client, administrator):
    _entry()
    client.force_login(administrator)

    assert client.post(URL).status_code == 405


def test_a_change_reads_as_field_from_before_to_after(client, administrator):
    _entry(before={"Charging band": None}, after={"Charging band": "Voluntary sector"})
    client.force_login(administrator)

    page = client.get(URL).content.decode()

    assert "Charging band: – → Voluntary sector" in page


def test_the_newest_entry_comes_first(client, administrator):
    _entry(note="first change")
    _entry(note="second change")
    client.force_login(administrator)

    page = client.get(URL).content.decode()

    assert page.index("second change") < page.index("first change")


def test_the_log_filters_by_action_and_by_who(client, administrator):
    finance = UserFactory(role=Role.FINANCE, email="fay.finance@example.org")
    _entry(actor=finance, action=AuditEntry.Action.INVOICE_MARKED_PAID, note="paid by BACS")
    _entry(actor=finance, action=AuditEntry.Action.INVOICE_CANCELLED, note="sent in error")
    _entry(action=AuditEntry.Action.INVOICE_MARKED_PAID, note="paid by cheque")
    client.force_login(administrator)

    page = client.get(URL, {"action": "invoice_marked_paid", "actor": "FAY.finance"}).content.decode()

    assert "paid by BACS" in page
    assert "sent in error" not in page
    assert "paid by cheque" not in page


def test_the_log_filters_by_the_days_things_happened(client, administrator):
    _entry(note="done today")
    client.force_login(administrator)
    today = timezone.localdate()

    assert "done today" in client.get(URL, {"start": today, "end": today}).content.decode()
    assert "done today" not in client.get(URL, {"end": today - dt.timedelta(days=1)}).content.decode()
    assert "done today" not in client.get(URL, {"start": today + dt.timedelta(days=1)}).content.decode()


def test_a_period_that_ends_before_it_starts_is_explained(client, administrator):
    client.force_login(administrator)
    today = timezone.localdate()

    page = client.get(URL, {"start": today, "end": today - dt.timedelta(days=1)}).content.decode()

    assert "The last day of the period must be the same as or after the first day" in page


@pytest.mark.parametrize("params", [{"end": "9999-12-31"}, {"start": "31/12/9999", "end": "31/12/9999"}])
def test_a_day_past_2099_is_explained_not_a_server_error(client, administrator, params):
    _entry(note="still listed")
    client.force_login(administrator)

    response = client.get(URL, params)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a date between 2000 and 2099" in page
    assert "still listed" in page


@pytest.mark.parametrize("params", [{"action": "no_such_action"}, {"actor": "x" * 300}, {"page": "nonsense"}])
def test_a_filter_the_form_does_not_know_is_refused_without_a_server_error(client, administrator, params):
    client.force_login(administrator)

    assert client.get(URL, params).status_code in (200, 404)


def test_an_entry_by_someone_whose_account_is_gone_still_says_who(client, administrator):
    gone = UserFactory(role=Role.FINANCE, email="left.in.2025@example.org")
    _entry(actor=gone)
    gone.delete()
    client.force_login(administrator)

    assert "left.in.2025@example.org" in client.get(URL).content.decode()


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_page_runs_the_same_queries_however_long_the_log(client, administrator):
    client.force_login(administrator)
    for _ in range(3):
        _entry(before={"Charging band": None}, after={"Charging band": "Voluntary sector"})
    few = _queries(client)

    for _ in range(60):
        _entry(before={"Charging band": None}, after={"Charging band": "Voluntary sector"})

    assert _queries(client) == few
