import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Agency, AgencyRequest


class AgencyTable(tables.Table):
    name = tables.LinkColumn("accounts:agency_update", args=[tables.A("pk")])
    contributes = tables.BooleanColumn(verbose_name=_("Contributes"), yesno=(_("Yes"), _("No")))
    is_active = tables.BooleanColumn(verbose_name=_("Listed"), yesno=(_("Yes"), _("No")))
    staff_count = tables.Column(verbose_name=_("People"))

    class Meta:
        model = Agency
        fields = ["name", "sector", "contributes", "is_active", "staff_count"]
        order_by = "name"


class AgencyRequestTable(tables.Table):
    name = tables.LinkColumn("accounts:agency_request_decide", args=[tables.A("pk")], verbose_name=_("Organisation"))
    kind = tables.Column(verbose_name=_("Request"), accessor="requested_agency_id", default="", empty_values=())
    user = tables.Column(verbose_name=_("Requested by"))
    created_at = tables.DateTimeColumn(format="j M Y", verbose_name=_("Requested"))

    class Meta:
        model = AgencyRequest
        fields = ["name", "kind", "sector", "user", "created_at", "status"]
        orderable = False

    def render_kind(self, record):
        if record.is_unlisted:
            return _("Organisation not listed")
        return _("Change to an agency already listed")
