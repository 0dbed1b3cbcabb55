import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

NOTHING = "–"


def _shown(value):
    if value is None or value == "":
        return NOTHING
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or NOTHING
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


class AuditEntryTable(tables.Table):
    at = tables.DateTimeColumn(format="j M Y, H:i", verbose_name=_("When"))
    actor_label = tables.Column(verbose_name=_("Who"), default=_("The website"))
    action = tables.Column(verbose_name=_("What"))
    object_label = tables.Column(verbose_name=_("Record"))
    changes = tables.Column(verbose_name=_("Change"), accessor="pk", orderable=False)
    note = tables.Column(verbose_name=_("Note"), default="")

    class Meta:
        model = AuditEntry
        fields = ["at", "actor_label", "action", "object_label", "changes", "note"]
        orderable = False
        empty_text = _("Nothing in the log matches.")

    def render_changes(self, record):
        """Each field as "field: before → after"."""
        if not record.changes:
            return NOTHING
        return format_html(
            '<ul class="govuk-list govuk-!-font-size-16">{}</ul>',
            format_html_join(
                "",
                "<li>{}: {} → {}</li>",
                ((field, _shown(before), _shown(after)) for field, before, after in record.changes),
            ),
        )
