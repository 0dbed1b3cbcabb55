import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


class PeriodForm(forms.Form):
    """A period of days for a report (both days included)."""

    DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
    # The days a period may start and end on; None for no limit.
    DATE_RANGE: tuple[dt.date, dt.date] | None = (EARLIEST, LATEST)

    start = forms.DateField(
        label=_("From"),
        input_formats=DATE_FORMATS,
        # A date input reads and writes ISO dates, whatever the locale's format.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the first day of the period"),
            "invalid": _("The first day of the period must be a real date"),
        },
    )
    end = forms.DateField(
        label=_("To"),
        input_formats=DATE_FORMATS,
        # A date input reads and writes ISO dates, whatever the locale's format.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the last day of the period"),
            "invalid": _("The last day of the period must be a real date"),
        },
    )

    def clean(self):
        cleaned = super().clean()
        if self.DATE_RANGE is not None:
            earliest, latest = self.DATE_RANGE
            for name in ("start", "end"):
                day = cleaned.get(name)
                if day and not earliest <= day <= latest:
                    self.add_error(name, _("Enter a date between 2000 and 2099"))
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and not self.has_error("start") and not self.has_error("end") and end < start:
            self.add_error("end", _("The last day of the period must be the same as or after the first day"))
        return cleaned
