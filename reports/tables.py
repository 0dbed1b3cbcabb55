"""The dashboard's tables (django-tables2), fed by reports.selectors. Each sorts
in the browser's request and exports to CSV and XLSX (core.exports keeps the
exports formula-safe). Rates show as 81.3% and export as the number 81.3;
blank when there is nothing to divide by."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.models import CourseFormat

YES_NO = (_("Yes"), _("No"))


class RateColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", "–")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value:.1f}%"

    def value(self, value):
        return value


class ChangeColumn(tables.Column):
    """A difference from the year before: +5, −3 or 0."""

    def render(self, value):
        return f"+{value:,}" if value > 0 else (f"−{-value:,}" if value < 0 else "0")

    def value(self, value):
        return value


class CountColumn(tables.Column):
    def render(self, value):
        return f"{value:,}"

    def value(self, value):
        return value


def _count(label, **kwargs):
    return CountColumn(verbose_name=label, **kwargs)


class UptakeTable(tables.Table):
    """What every table of bookings shows."""

    booked = _count(_("Booked"))
    attended = _count(_("Attended"))
    left_early = _count(_("Of whom left early"))
    no_shows = _count(_("No-shows"))
    no_show_rate = RateColumn(verbose_name=_("No-show rate"))
    booked_before = _count(_("Booked, year before"))
    attended_before = _count(_("Attended, year before"))
    attended_change = ChangeColumn(verbose_name=_("Change in attended"))

    class Meta:
        empty_text = _("No bookings on sessions that ran in this period.")


class CourseUptakeTable(tables.Table):
    course = tables.Column(verbose_name=_("Course"))
    format = tables.Column(verbose_name=_("Format"))
    sessions_run = _count(_("Sessions run"))
    sessions_cancelled = _count(_("Sessions cancelled"))
    cancellation_reasons = tables.Column(verbose_name=_("Why cancelled"), empty_values=(), orderable=False)
    places = _count(_("Places"))
    booked = _count(_("Booked"))
    attended = _count(_("Attended"))
    left_early = _count(_("Of whom left early"))
    attendance_rate = RateColumn(verbose_name=_("Attendance rate"))
    turnout_rate = RateColumn(verbose_name=_("Turnout"))
    no_shows = _count(_("No-shows"))
    late_cancellations = _count(_("Late cancellations"))
    views = _count(_("Views"))
    evaluation_responses = tables.Column(
        accessor="evaluation__responses", verbose_name=_("Evaluations returned"), default="–"
    )
    knowledge_increased = RateColumn(
        accessor="evaluation__knowledge_increased_rate", verbose_name=_("Knowledge, skills or confidence rose")
    )
    trainer_good = RateColumn(
        accessor="evaluation__trainer_good_or_better_rate", verbose_name=_("Trainer rated good or better")
    )
    share_learning = RateColumn(
        accessor="evaluation__share_learning_rate", verbose_name=_("Agreed to share the learning")
    )

    class Meta:
        empty_text = _("No course had a session, a booking or a page view in this period.")

    def render_format(self, value):
        return CourseFormat(value).label

    def value_format(self, value):
        return value

    def render_cancellation_reasons(self, record):
        return "; ".join(
            f"{item['reason'] or _('no reason recorded')} ({item['sessions']})"
            for item in record.get("cancellations", [])
        )

    value_cancellation_reasons = render_cancellation_reasons


class AgencyUptakeTable(UptakeTable):
    agency = tables.Column(verbose_name=_("Agency"))
    sector = tables.Column(verbose_name=_("Sector"))
    contributes = tables.BooleanColumn(verbose_name=_("Contributes"), yesno=YES_NO)
    confirmed = _count(_("Confirmed"))

    class Meta(UptakeTable.Meta):
        sequence = [
            "agency",
            "sector",
            "contributes",
            "booked",
            "confirmed",
            "attended",
            "left_early",
            "no_shows",
            "no_show_rate",
            "...",
        ]


class NoShowTable(tables.Table):
    agency = tables.Column(verbose_name=_("Agency"))
    sector = tables.Column(verbose_name=_("Sector"))
    confirmed = _count(_("Confirmed places"))
    no_shows = _count(_("No-shows"))
    no_show_rate = RateColumn(verbose_name=_("No-show rate"))

    class Meta:
        empty_text = _("Everyone with a confirmed place came, or their attendance is not yet marked.")


class SectorUptakeTable(UptakeTable):
    sector = tables.Column(verbose_name=_("Sector"))
    agencies = _count(_("Agencies that booked"))

    class Meta(UptakeTable.Meta):
        sequence = ["sector", "agencies", "..."]


class ContributionTable(UptakeTable):
    group = tables.Column(verbose_name=_("Agencies"))
    agencies = _count(_("Number that booked"))
    turnout_rate = RateColumn(verbose_name=_("Turnout"))

    class Meta(UptakeTable.Meta):
        orderable = False
        sequence = ["group", "agencies", "booked", "attended", "left_early", "turnout_rate", "no_shows", "..."]


class RoleUptakeTable(UptakeTable):
    role = tables.Column(verbose_name=_("Job role"))

    class Meta(UptakeTable.Meta):
        sequence = ["role", "..."]


class PriorityUptakeTable(tables.Table):
    priority = tables.Column(verbose_name=_("Partnership priority"))
    sessions_run = _count(_("Sessions run"))
    places = _count(_("Places"))
    booked = _count(_("Booked"))
    attended = _count(_("Attended"))
    attendance_rate = RateColumn(verbose_name=_("Attendance rate"))
    attended_before = _count(_("Attended, year before"))
    attended_change = ChangeColumn(verbose_name=_("Change in attended"))

    class Meta:
        empty_text = _("No sessions in this period.")


class UndersubscribedTable(tables.Table):
    course = tables.Column(accessor="course__title", verbose_name=_("Course"))
    start = tables.Column(verbose_name=_("Date"))
    venue = tables.Column(accessor="venue__name", verbose_name=_("Venue"), default=_("Online"))
    capacity = _count(_("Places"))
    minimum_numbers = _count(_("Minimum numbers"))
    places_taken = _count(_("Places taken"))
    attended = _count(_("Attended"))

    class Meta:
        empty_text = _("No session in this period had fewer places taken than its minimum numbers.")

    def render_start(self, value):
        return date_format(timezone.localtime(value), "j M Y, H:i")

    value_start = render_start


def _measure(record, value, *, signed=False):
    if value is None:
        return "–"
    if record["kind"] == "rate":
        text = f"{abs(value):.1f}" if signed else f"{value:.1f}%"
        return text if not signed else (f"+{text} points" if value > 0 else f"−{text} points" if value < 0 else "0")
    if signed:
        return f"+{value:,}" if value > 0 else (f"−{-value:,}" if value < 0 else "0")
    return f"{value:,}"


class YearOnYearTable(tables.Table):
    measure = tables.Column(verbose_name=_("Figure"))
    now = tables.Column(verbose_name=_("This period"), empty_values=())
    before = tables.Column(verbose_name=_("Year before"), empty_values=())
    change = tables.Column(verbose_name=_("Change"), empty_values=())

    class Meta:
        orderable = False

    def render_now(self, record, value):
        return _measure(record, value)

    def render_before(self, record, value):
        return _measure(record, value)

    def render_change(self, record, value):
        return _measure(record, value, signed=True)

    def value_now(self, value):
        return value

    def value_before(self, value):
        return value

    def value_change(self, value):
        return value
