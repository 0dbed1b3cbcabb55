import hashlib

from django.conf import settings
from django.utils import timezone

from .models import Course, CourseView


def viewer_key_for(request) -> str:
    """Who is looking, without storing who: a signed-in user's id, or a hash of
    the browser's session key (salted with the secret key) for everyone else."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{request.session.session_key}".encode())
    return f"anon:{digest.hexdigest()[:48]}"


def course_view_record(*, course: Course, viewer_key: str, on=None) -> None:
    """Count a viewer of a course page once a day. One INSERT that ignores the
    duplicate, so concurrent views of the same page never fail."""
    CourseView.objects.bulk_create(
        [CourseView(course=course, viewer_key=viewer_key, viewed_on=on or timezone.localdate())],
        ignore_conflicts=True,
    )


def session_places_changed(session) -> None:
    """After a session is saved, offer any places now free (e.g. capacity was
    raised) to its waiting list."""
    from bookings.services import waitlist_refill

    waitlist_refill(session_id=session.pk)
