"""iCalendar feeds of sessions: data in, bytes out."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def sessions_to_ical(sessions, *, name: str, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PARTNERSHIP_NAME}//Training programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for session in sessions:
        url = base_url + session.course.get_absolute_url()
        event = Event()
        event.add("uid", f"session-{session.pk}@{base_url.split('://')[-1]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.start)
        event.add("dtend", session.end)
        event.add("summary", session.course.title)
        event.add("location", session.venue.name if session.venue else "Online")
        event.add("description", f"{session.course.get_format_display()}. {session.course.summary}\n\n{url}")
        event.add("url", url)
        if session.is_cancelled:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
