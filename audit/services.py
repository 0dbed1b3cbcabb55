"""Writing the audit log. Services call these inside their own transaction, so
an entry commits or rolls back with the change it describes."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.money import pounds

from .models import AuditEntry


def audit_record(*, actor, action: str, target: models.Model, before=None, after=None, note: str = "") -> AuditEntry:
    """Record that `actor` (a user, or None for the site itself) did `action`
    to `target`. `before` and `after` are JSON-ready dicts of what changed; they
    name records by label or id, never copy people's details (the log is kept
    for good and cannot be anonymised)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.email if actor else "",
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_label=str(target)[:300],
        before=before,
        after=after,
        note=note,
    )


def audit_changes(*, actor, action: str, target: models.Model, before: dict, after: dict, note: str = ""):
    """Record only the fields whose value changed; nothing when none did."""
    changed = [field for field in after if before.get(field) != after[field]]
    if not changed:
        return None
    return audit_record(
        actor=actor,
        action=action,
        target=target,
        before={field: before.get(field) for field in changed},
        after={field: after[field] for field in changed},
        note=note,
    )


def audit_value(value, *, pence: bool = False):
    """A value as the log keeps it and people read it: records by their label,
    amounts in pence as pounds, dates as text, the rest as JSON has it."""
    if pence and value is not None:
        return pounds(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return str(value)
    return value


def audit_snapshot(instance: models.Model, fields) -> dict:
    """The named fields of a record, keyed by their labels, as the log keeps
    them: a choice by its label, an amount in pence as pounds."""
    snapshot = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if field.choices and value not in (None, ""):
            value = str(instance._get_FIELD_display(field))
        snapshot[capfirst(str(field.verbose_name))] = audit_value(value, pence=name.endswith("_pence"))
    return snapshot


def personal_data_export_record(*, by, target: models.Model, what: str, rows: int) -> AuditEntry:
    """Who took people's details out of the site, of which record, in what and
    how many rows; never the details themselves."""
    return audit_record(
        actor=by,
        action=AuditEntry.Action.PERSONAL_DATA_EXPORTED,
        target=target,
        after={_("Export"): what, _("Rows"): rows},
    )
