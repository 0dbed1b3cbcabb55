from django.urls import path

from . import views
from .health import HealthView, JobsHealthView

app_name = "core"

urlpatterns = [
    path("staff/", views.StaffHomeView.as_view(), name="staff_home"),
    path("staff/emails/failed/", views.FailedEmailListView.as_view(), name="email_failed_list"),
    path("health/", HealthView.as_view(), name="health"),
    path("health/jobs/", JobsHealthView.as_view(), name="health_jobs"),
]
