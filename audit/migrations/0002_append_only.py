"""The database itself refuses to change or delete an audit entry, so not even
code that skips the model (raw SQL, a bulk update) can rewrite the past.

One change is let through: when the person who acted is deleted, Django sets
actor_id to NULL (on_delete=SET_NULL); actor_label still says who it was.

PostgreSQL refuses UPDATE and DELETE. SQLite (development and the quick test
run) refuses UPDATE only: Django empties tables between transactional tests with
DELETE, where PostgreSQL uses TRUNCATE, which row triggers do not see."""

from django.db import migrations

COLUMNS = ["id", "at", "actor_label", "action", "object_type", "object_id", "object_label", "before", "after", "note"]

POSTGRESQL = [
    """
    CREATE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_append_only()",
]

_UNCHANGED = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in COLUMNS)
SQLITE = [
    f"""
    CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE ON audit_auditentry
    WHEN NOT (NEW.actor_id IS NULL AND {_UNCHANGED})
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_auditentry_append_only"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # no placeholders: % is literal

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
