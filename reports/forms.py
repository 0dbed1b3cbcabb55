from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .selectors import UptakeFilters


class UptakeFilterForm(forms.Form):
    """The dashboard's filters, beside the period. Every one is optional."""

    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    format = forms.ChoiceField(label=_("Format"), required=False)
    priority = forms.TypedChoiceField(label=_("Partnership priority"), required=False, coerce=int, empty_value=None)
    sector = forms.TypedChoiceField(label=_("Sector"), required=False, coerce=int, empty_value=None)
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        every = {
            "course": _("All courses"),
            "format": _("All formats"),
            "priority": _("All priorities"),
            "sector": _("All sectors"),
            "agency": _("All agencies"),
        }
        for name, options in (
            ("course", choices["courses"]),
            ("format", choices["formats"]),
            ("priority", choices["priorities"]),
            ("sector", choices["sectors"]),
            ("agency", choices["agencies"]),
        ):
            self.fields[name].choices = [("", every[name]), *options]
            self.fields[name].error_messages["invalid_choice"] = _("Select one from the list")

    def filters(self) -> UptakeFilters:
        if not self.is_valid():
            return UptakeFilters()
        data = self.cleaned_data
        return UptakeFilters(
            course_id=data["course"],
            format=data["format"],
            priority_id=data["priority"],
            sector_id=data["sector"],
            agency_id=data["agency"],
        )

    def chosen(self) -> list[tuple[str, str]]:
        """(filter, what was chosen) for the filters in use, to say so above the figures."""
        if not self.is_valid():
            return []
        return [
            (field.label, dict(field.choices)[self.cleaned_data[name]])
            for name, field in self.fields.items()
            if self.cleaned_data[name]
        ]


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet of past sessions and bookings (CSV)"),
        help_text=_("A UTF-8 CSV file, one row per booking, whose first row names the columns listed below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "class": "govuk-file-upload"}),
        error_messages={"required": _("Choose a CSV file to upload")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.HISTORY_IMPORT_MAX_BYTES
        # Checked before the file is read: a huge upload is never loaded into memory.
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s. The largest file that can be imported is %(limit)s: split it into smaller "
                    "files."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The file must be a CSV file (its name ending .csv)"))
        return upload


class SummaryCoursesForm(forms.Form):
    """Which courses get a page of their own in the Training Summary."""

    courses = forms.TypedMultipleChoiceField(
        label=_("Courses with a page of their own"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Every course is in the summary's tables; those chosen also get a page like the annual "
            "report's, with evaluation results and delegates' quotes."
        ),
    )

    def __init__(self, *args, courses: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].choices = [(row["course_id"], row["course"]) for row in courses]
        self.fields["courses"].error_messages["invalid_choice"] = _("Choose courses from the list")
