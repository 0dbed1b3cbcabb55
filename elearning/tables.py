"""Tables of the e-learning staff pages and report, fed by elearning.selectors.
Report tables export as CSV or XLSX through core.exports.SafeTableExport."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Completion, Module

YES_NO = (_("Yes"), _("No"))


class ModuleTable(tables.Table):
    title = tables.LinkColumn("elearning:staff_module_update", args=[tables.A("pk")])
    is_published = tables.BooleanColumn(verbose_name=_("In the catalogue"), yesno=YES_NO)
    content = tables.Column(verbose_name=_("Pages and questions"), accessor="pk", orderable=False)

    class Meta:
        model = Module
        fields = ["title", "level", "delivery", "renewal_months", "is_published", "content"]
        empty_text = _("No modules yet.")

    def render_content(self, record):
        if not record.is_hosted:
            return "–"
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            reverse("elearning:staff_module_content", args=[record.pk]), _("Pages and questions"), record.title,
        )


class CountsTable(tables.Table):
    """Completions and the distinct people who made them."""

    completions = tables.Column(verbose_name=_("Completions"), attrs={"td": {"class": "govuk-table__cell--numeric"}})
    people = tables.Column(verbose_name=_("People"), attrs={"td": {"class": "govuk-table__cell--numeric"}})

    class Meta:
        orderable = False
        empty_text = _("No completions in this period.")


class ModuleCompletionsTable(CountsTable):
    module_title = tables.Column(verbose_name=_("Module"))
    level = tables.Column(verbose_name=_("Level"), default="")

    class Meta(CountsTable.Meta):
        sequence = ["module_title", "level", "..."]


class RoleCompletionsTable(tables.Table):
    role = tables.Column(verbose_name=_("Delegate role"))
    level_1 = tables.Column(verbose_name=_("Level 1"), attrs={"td": {"class": "govuk-table__cell--numeric"}})
    level_2 = tables.Column(verbose_name=_("Level 2"), attrs={"td": {"class": "govuk-table__cell--numeric"}})
    completions = tables.Column(verbose_name=_("All modules"), attrs={"td": {"class": "govuk-table__cell--numeric"}})
    people = tables.Column(verbose_name=_("People"), attrs={"td": {"class": "govuk-table__cell--numeric"}})

    class Meta:
        orderable = False
        empty_text = _("No completions in this period.")


class AgencyCompletionsTable(CountsTable):
    agency_name = tables.Column(verbose_name=_("Agency"), default=_("No agency given"))
    sector_name = tables.Column(verbose_name=_("Sector"), default="")
    contributes = tables.BooleanColumn(verbose_name=_("Contributes"), yesno=YES_NO, null=True)

    class Meta(CountsTable.Meta):
        sequence = ["agency_name", "sector_name", "contributes", "..."]


class SectorCompletionsTable(CountsTable):
    sector_name = tables.Column(verbose_name=_("Sector"), default=_("No agency given"))

    class Meta(CountsTable.Meta):
        sequence = ["sector_name", "..."]


class YearCompletionsTable(CountsTable):
    label = tables.Column(verbose_name=_("Financial year"))
    level_1 = tables.Column(verbose_name=_("Level 1"), attrs={"td": {"class": "govuk-table__cell--numeric"}})
    level_2 = tables.Column(verbose_name=_("Level 2"), attrs={"td": {"class": "govuk-table__cell--numeric"}})

    class Meta(CountsTable.Meta):
        sequence = ["label", "level_1", "level_2", "completions", "people"]
        empty_text = _("No completions yet.")


class CompletionTable(tables.Table):
    """An agency's completions, one line a completion."""

    user = tables.Column(verbose_name=_("Name"), accessor="user", order_by=("user__last_name", "user__first_name"))
    email = tables.Column(verbose_name=_("E-mail"), accessor="user__email")
    module = tables.Column(verbose_name=_("Module"), accessor="module__title")
    completed_on = tables.DateColumn(format="j M Y", verbose_name=_("Completed"))
    expires = tables.Column(verbose_name=_("Renew by"), accessor="expires_on", orderable=False, default="")
    source = tables.Column(verbose_name=_("Where"))

    class Meta:
        model = Completion
        fields = ["user", "email", "module", "completed_on", "expires", "source"]
        empty_text = _("No e-learning completions for your agency yet.")

    def render_expires(self, value):
        return value.strftime("%-d %b %Y") if value else ""

    def value_user(self, record):
        return record.user.get_full_name()
