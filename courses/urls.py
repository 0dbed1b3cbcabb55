from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.calendar_list, name="calendar"),
    path("calendar/month/", views.calendar_month, name="calendar_month"),
    path("calendar.ics", views.programme_ics, name="programme_ics"),
    path("courses/<slug:slug>/", views.course_detail, name="course_detail"),
    path("courses/<slug:slug>/calendar.ics", views.course_ics, name="course_ics"),
    path("staff/sessions/", views.SessionListView.as_view(), name="staff_session_list"),
    path("staff/sessions/new/", views.SessionCreateView.as_view(), name="staff_session_create"),
    path("staff/sessions/<int:pk>/", views.SessionUpdateView.as_view(), name="staff_session_update"),
    path("staff/courses/", views.CourseListView.as_view(), name="staff_course_list"),
    path("staff/courses/new/", views.CourseCreateView.as_view(), name="staff_course_create"),
    path("staff/courses/<int:pk>/", views.CourseUpdateView.as_view(), name="staff_course_update"),
    path("staff/venues/", views.VenueListView.as_view(), name="staff_venue_list"),
    path("staff/venues/new/", views.VenueCreateView.as_view(), name="staff_venue_create"),
    path("staff/venues/<int:pk>/", views.VenueUpdateView.as_view(), name="staff_venue_update"),
    path("staff/trainers/", views.TrainerListView.as_view(), name="staff_trainer_list"),
    path("staff/trainers/new/", views.TrainerCreateView.as_view(), name="staff_trainer_create"),
    path("staff/trainers/<int:pk>/", views.TrainerUpdateView.as_view(), name="staff_trainer_update"),
]
