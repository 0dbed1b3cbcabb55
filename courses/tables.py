import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Course, Session, Trainer, Venue

YES_NO = (_("Yes"), _("No"))


class SessionTable(tables.Table):
    course = tables.LinkColumn("courses:staff_session_update", args=[tables.A("pk")])
    start = tables.DateTimeColumn(format="D j M Y, H:i")
    venue = tables.Column(default=_("Online"))
    places_taken = tables.LinkColumn(
        "bookings:session_bookings", args=[tables.A("pk")], verbose_name=_("Places taken"), orderable=False
    )

    class Meta:
        model = Session
        fields = ["course", "start", "venue", "capacity", "places_taken", "status"]


class CourseTable(tables.Table):
    title = tables.LinkColumn("courses:staff_course_update", args=[tables.A("pk")])
    is_published = tables.BooleanColumn(verbose_name=_("Published"), yesno=YES_NO)

    class Meta:
        model = Course
        fields = ["title", "format", "level", "provider", "is_published"]


class VenueTable(tables.Table):
    name = tables.LinkColumn("courses:staff_venue_update", args=[tables.A("pk")])
    step_free_access = tables.BooleanColumn(yesno=YES_NO)

    class Meta:
        model = Venue
        fields = ["name", "postcode", "step_free_access"]


class TrainerTable(tables.Table):
    name = tables.LinkColumn("courses:staff_trainer_update", args=[tables.A("pk")])

    class Meta:
        model = Trainer
        fields = ["name", "organisation", "email"]
