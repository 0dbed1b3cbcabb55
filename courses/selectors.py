import calendar
import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from bookings.models import Booking

from .filters import CalendarFilter
from .models import Course, Session


def places_taken_annotation():
    """Places held on a session (confirmed, offered, or waiting for approval), as
    a correlated subquery so a list of sessions costs one query."""
    taken = (
        Booking.objects.filter(session=OuterRef("pk"), status__in=Booking.PLACE_STATUSES)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def session_listing() -> QuerySet[Session]:
    """Published sessions with what the calendar shows about each, in one query:
    course, venue and the count of places taken (for "places left")."""
    return (
        Session.objects.filter(course__is_published=True)
        .select_related("course", "venue")
        .annotate(places_taken=places_taken_annotation())
        .order_by("start", "pk")
    )


def session_staff_list() -> QuerySet[Session]:
    """Every session, newest first, for the staff area (published or not)."""
    return (
        Session.objects.select_related("course", "venue")
        .annotate(places_taken=places_taken_annotation())
        .order_by("-start", "pk")
    )


def calendar_filter(params) -> CalendarFilter:
    return CalendarFilter(params or None, queryset=session_listing())


def calendar_sessions(filterset: CalendarFilter, *, now: dt.datetime | None = None) -> QuerySet[Session]:
    """The list view: the chosen month, or every session from now on.
    Invalid filters give no sessions; the page shows the errors instead."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    sessions = filterset.qs
    if filterset.chosen_month is None:
        sessions = sessions.filter(end__gte=now or timezone.now())
    return sessions


def calendar_month(filterset: CalendarFilter, month: dt.date) -> list[list[dict]]:
    """The month view: weeks of days (Monday first), each day with its sessions.
    The filterset must carry the month; days of the next and previous months
    that fill the first and last weeks are shown empty."""
    by_day: dict[dt.date, list[Session]] = {}
    if filterset.is_valid():
        for session in filterset.qs:
            by_day.setdefault(timezone.localdate(session.start), []).append(session)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [
        [{"date": day, "in_month": day.month == month.month, "sessions": by_day.get(day, [])} for day in week]
        for week in weeks
    ]


def course_for_page(slug: str) -> Course:
    try:
        return Course.objects.prefetch_related("priorities").get(slug=slug, is_published=True)
    except Course.DoesNotExist:
        raise Http404("No such course") from None


def course_upcoming_sessions(course: Course, *, now: dt.datetime | None = None) -> QuerySet[Session]:
    return session_listing().filter(course=course, end__gte=now or timezone.now())


def course_past_session_count(course: Course, *, now: dt.datetime | None = None) -> int:
    return Session.objects.filter(course=course, end__lt=now or timezone.now(), status=Session.Status.SCHEDULED).count()


def programme_feed_sessions(*, since: dt.datetime) -> QuerySet[Session]:
    return session_listing().filter(start__gte=since).prefetch_related(None)


def course_views_count(course: Course, *, start: dt.date, end: dt.date) -> int:
    """Distinct viewers of a course page between two dates, inclusive."""
    return course.views.filter(viewed_on__gte=start, viewed_on__lte=end).values("viewer_key").distinct().count()
