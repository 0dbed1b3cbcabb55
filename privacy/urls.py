from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_notice, name="notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("account/my-data/", views.my_data, name="my_data"),
    path("staff/privacy/retention/", views.RetentionPolicyView.as_view(), name="retention"),
    path("staff/privacy/erasure/", views.ErasureSearchView.as_view(), name="erasure_search"),
    path("staff/privacy/erasure/<int:pk>/", views.ErasureConfirmView.as_view(), name="erasure_confirm"),
]
