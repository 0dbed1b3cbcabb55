from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking

from .models import Course, Session, Trainer, Venue


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "slug",
            "format",
            "level",
            "summary",
            "learning_outcomes",
            "audience",
            "provider",
            "priorities",
            "is_published",
            "charging",
            "fixed_price_pence",
            "requires_manager_approval",
            "agency_cap",
        ]
        widgets = {"priorities": forms.CheckboxSelectMultiple, "charging": forms.RadioSelect}
        help_texts = {"slug": _("The course's web address, e.g. neglect-an-analytical-approach")}


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "address", "postcode", "step_free_access", "accessibility_notes"]


class TrainerForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = ["name", "email", "organisation"]


class SessionForm(forms.ModelForm):
    start = forms.SplitDateTimeField(
        label=_("Starts"),
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"}),
        error_messages={
            "required": _("Enter the date and time the session starts"),
            "invalid_date": _("Enter a real date"),
            "invalid_time": _("Enter a real time"),
        },
    )
    end = forms.SplitDateTimeField(
        label=_("Ends"),
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"}),
        error_messages={
            "required": _("Enter the date and time the session ends"),
            "invalid_date": _("Enter a real date"),
            "invalid_time": _("Enter a real time"),
        },
    )

    class Meta:
        model = Session
        fields = [
            "course",
            "start",
            "end",
            "venue",
            "online_url",
            "capacity",
            "minimum_numbers",
            "booking_closes_at",
            "trainers",
        ]
        widgets = {
            "trainers": forms.CheckboxSelectMultiple,
            "booking_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The session must end after it starts"))
        if "venue" in cleaned and not cleaned.get("venue") and not cleaned.get("online_url"):
            self.add_error("venue", _("Choose a venue, or give an online joining link"))
        capacity, minimum = cleaned.get("capacity"), cleaned.get("minimum_numbers")
        if capacity is not None and capacity < 1:
            self.add_error("capacity", _("A session needs at least one place"))
        if capacity is not None and self.instance.pk:
            taken = self.instance.bookings.filter(status__in=Booking.PLACE_STATUSES).count()
            if capacity < taken:
                self.add_error(
                    "capacity", _("%(n)s places are already taken, so the session needs at least %(n)s") % {"n": taken}
                )
        if capacity is not None and minimum is not None and minimum > capacity:
            self.add_error("minimum_numbers", _("The minimum cannot be more than the number of places"))
        return cleaned
