"""Nobody can change or remove an audit entry: not through the model, not
through a queryset, not with SQL behind the ORM's back."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry, AuditLogIsAppendOnly
from audit.services import audit_record
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL=postgres://...); SQLite refuses UPDATE only, see audit/migrations",
)


@pytest.fixture
def entry(administrator):
    agency = AgencyFactory()
    return audit_record(
        actor=administrator,
        action=AuditEntry.Action.BAND_ASSIGNED,
        target=agency,
        before={"Charging band": None},
        after={"Charging band": "Voluntary sector"},
    )


def _stored(entry):
    return AuditEntry.objects.values("action", "object_label", "before", "after", "note").get(pk=entry.pk)


def test_an_entry_cannot_be_saved_again(entry):
    stored = _stored(entry)
    entry.note = "nothing to see here"

    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()

    assert _stored(entry) == stored


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_log_cannot_be_updated_or_emptied_in_bulk(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_the_database_refuses_an_update_in_raw_sql(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = 'rewritten' WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).note == ""


@needs_postgresql
@pytest.mark.postgres
def test_the_database_refuses_a_delete_in_raw_sql(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_the_person_who_acted_keeps_the_entry_and_who_it_was(entry, administrator):
    email = administrator.email

    administrator.delete()

    kept = AuditEntry.objects.get(pk=entry.pk)
    assert (kept.actor, kept.actor_label, kept.after) == (None, email, {"Charging band": "Voluntary sector"})


def test_the_django_admin_shows_the_log_but_changes_nothing(client, entry):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"note": "rewritten"})
    assert AuditEntry.objects.get(pk=entry.pk).note == ""
