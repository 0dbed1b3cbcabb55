from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodForm

from .models import AuditEntry


class AuditFilterForm(PeriodForm):
    """Narrow the log by what was done, by whom and when; every field may be left empty.
    Days keep PeriodForm's 2000-2099 range: the selector adds a day to the end,
    which a year-9999 date cannot take."""

    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Anything")), *AuditEntry.Action.choices]
    )
    actor = forms.CharField(
        label=_("Who (e-mail address, or part of it)"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    field_order = ["action", "actor", "start", "end"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].required = self.fields["end"].required = False

    def filters(self) -> dict:
        """The chosen filters, for audit.selectors.audit_entries (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
