from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/profile/", views.ProfileView.as_view(), name="profile"),
    path("staff/agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("staff/agencies/new/", views.AgencyCreateView.as_view(), name="agency_create"),
    path("staff/agencies/<int:pk>/", views.AgencyUpdateView.as_view(), name="agency_update"),
    path("staff/agency-requests/", views.AgencyRequestListView.as_view(), name="agency_request_list"),
    path("staff/agency-requests/<int:pk>/", views.AgencyRequestDecideView.as_view(), name="agency_request_decide"),
]
