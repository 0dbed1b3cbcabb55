from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("staff/", views.StaffHomeView.as_view(), name="staff_home"),
]
