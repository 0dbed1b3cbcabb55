import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import OutboundEmail


class FailedEmailTable(tables.Table):
    failed_at = tables.DateTimeColumn(format="D j M Y, H:i", verbose_name=_("Given up"))
    to = tables.Column(verbose_name=_("To"), orderable=False)
    last_error = tables.Column(verbose_name=_("The mail server's answer"), orderable=False)

    class Meta:
        model = OutboundEmail
        fields = ["failed_at", "to", "subject", "attempts", "last_error"]
        orderable = False

    def render_to(self, value):
        return ", ".join(value)
