from django.urls import path
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from core.views import staff_record_urls

from . import selectors, services, views
from .forms import CourseForm, SessionForm, TrainerForm, VenueForm
from .models import Course, Trainer, Venue
from .tables import CourseTable, SessionTable, TrainerTable, VenueTable

app_name = "courses"

urlpatterns = [
    path("", views.calendar_list, name="calendar"),
    path("calendar/month/", views.calendar_month, name="calendar_month"),
    path("calendar.ics", views.programme_ics, name="programme_ics"),
    path("courses/<slug:slug>/", views.course_detail, name="course_detail"),
    path("courses/<slug:slug>/calendar.ics", views.course_ics, name="course_ics"),
    *staff_record_urls(
        prefix="staff/sessions/",
        name="staff_session",
        app=app_name,
        form_class=SessionForm,
        table_class=SessionTable,
        queryset=selectors.session_staff_list(),
        plural=_("Sessions"),
        add_title=_("Add a session"),
        change_title=_("Change a session"),
        on_save=services.session_places_changed,
    ),
    *staff_record_urls(
        prefix="staff/courses/",
        name="staff_course",
        app=app_name,
        form_class=CourseForm,
        table_class=CourseTable,
        queryset=Course.objects.all(),
        plural=_("Courses"),
        add_title=_("Add a course"),
        change_title=_("Change a course"),
        audit=[(AuditEntry.Action.PRICE_CHANGED, ["charging", "fixed_price_pence"])],
    ),
    *staff_record_urls(
        prefix="staff/venues/",
        name="staff_venue",
        app=app_name,
        form_class=VenueForm,
        table_class=VenueTable,
        queryset=Venue.objects.all(),
        plural=_("Venues"),
        add_title=_("Add a venue"),
        change_title=_("Change a venue"),
    ),
    *staff_record_urls(
        prefix="staff/trainers/",
        name="staff_trainer",
        app=app_name,
        form_class=TrainerForm,
        table_class=TrainerTable,
        queryset=Trainer.objects.all(),
        plural=_("Trainers"),
        add_title=_("Add a trainer"),
        change_title=_("Change a trainer"),
    ),
]
