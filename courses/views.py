import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import selectors, services
from .ical import sessions_to_ical


def _query_without(request, *names):
    """The current filters as a query string, minus some parameters (for
    pagination and month links that must keep every other filter)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@require_safe
def calendar_list(request):
    """The public course calendar: upcoming sessions, filtered by GET parameters."""
    filterset = selectors.calendar_filter(request.GET)
    sessions = selectors.calendar_sessions(filterset)
    page = Paginator(sessions, settings.CALENDAR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/session_calendar.html",
        {
            "filter": filterset,
            "page": page,
            "month": filterset.chosen_month,
            "query": _query_without(request, "page"),
            "month_query": _query_without(request, "page", "month"),
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@require_safe
def calendar_month(request):
    """The calendar as a month grid; the month comes from ?month=YYYY-MM (this month by default)."""
    params = request.GET.copy()
    params.pop("page", None)
    if not params.get("month"):
        params["month"] = timezone.localdate().strftime("%Y-%m")
    filterset = selectors.calendar_filter(params)
    month = filterset.chosen_month or timezone.localdate().replace(day=1)
    weeks = selectors.calendar_month(filterset, month)
    previous_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "courses/session_calendar_month.html",
        {
            "filter": filterset,
            "weeks": weeks,
            "month": month,
            "previous_month": previous_month.strftime("%Y-%m"),
            "next_month": next_month.strftime("%Y-%m"),
            "month_query": _query_without(request, "page", "month"),
        },
    )


@require_safe
def course_detail(request, slug):
    course = selectors.course_for_page(slug)
    services.course_view_record(course=course, viewer_key=services.viewer_key_for(request))
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "sessions": selectors.course_upcoming_sessions(course),
            "past_session_count": selectors.course_past_session_count(course),
        },
    )


def _ical_response(sessions, *, name, filename):
    body = sessions_to_ical(sessions, name=name, base_url=settings.SITE_URL.rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# Feeds carry a year of history so subscribers keep past sessions in their calendar.
FEED_HISTORY = dt.timedelta(days=365)


@require_safe
def programme_ics(request):
    sessions = selectors.programme_feed_sessions(since=timezone.now() - FEED_HISTORY)
    return _ical_response(sessions, name=f"{settings.PARTNERSHIP_NAME} training", filename="training-programme.ics")


@require_safe
def course_ics(request, slug):
    course = selectors.course_for_page(slug)
    sessions = selectors.programme_feed_sessions(since=timezone.now() - FEED_HISTORY).filter(course=course)
    return _ical_response(sessions, name=course.title, filename=f"{course.slug}.ics")
