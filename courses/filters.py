"""The calendar's filters. They are plain GET parameters, so a filtered calendar
can be bookmarked and shared; unknown values become form errors, never a 500."""

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Course, CourseFormat, CourseLevel, Priority, Venue

ONLINE = "online"


class MonthField(forms.CharField):
    """A month written as YYYY-MM, cleaned to the first day of that month."""

    default_error_messages = {"invalid": _("Enter a month as year and month, like 2026-12")}

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            month = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not 2000 <= month.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


def month_bounds(first_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants a local calendar month starts and ends (Europe/London)."""
    next_month = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(first_day, dt.time.min, tz), dt.datetime.combine(next_month, dt.time.min, tz))


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        start, end = month_bounds(value)
        return qs.filter(start__gte=start, start__lt=end)


def venue_choices():
    return [(ONLINE, _("Online")), *((str(pk), name) for pk, name in Venue.objects.values_list("pk", "name"))]


class CalendarFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=100)
    priority = django_filters.ModelChoiceFilter(
        label=_("Partnership priority"),
        queryset=Priority.objects.all(),
        to_field_name="slug",
        method="filter_priority",
        empty_label=_("All priorities"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"),
        field_name="course__format",
        choices=CourseFormat.choices,
        empty_label=_("All formats"),
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"),
        field_name="course__level",
        choices=CourseLevel.choices,
        empty_label=_("All levels"),
    )
    month = MonthFilter(label=_("Month"), help_text=_("For example, 2026-12"))
    venue = django_filters.ChoiceFilter(
        label=_("Venue"),
        choices=venue_choices,
        method="filter_venue",
        empty_label=_("All venues"),
    )

    def filter_text(self, qs, name, value):
        words = value.split()
        for word in words:
            qs = qs.filter(
                course__in=Course.objects.filter(title__icontains=word) | Course.objects.filter(summary__icontains=word)
            )
        return qs

    def filter_priority(self, qs, name, value):
        # A subquery rather than a join, so a course with several priorities
        # is not listed once per priority.
        return qs.filter(course__in=Course.objects.filter(priorities=value))

    def filter_venue(self, qs, name, value):
        if value == ONLINE:
            return qs.filter(venue__isnull=True)
        return qs.filter(venue_id=int(value))

    @property
    def chosen_month(self):
        """The chosen month's first day, when the filter is valid and has one."""
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("month")
        return None
