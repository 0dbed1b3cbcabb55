from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/uptake/", views.dashboard, name="dashboard"),
    path("reports/training-summary/", views.summary_request, name="summary_request"),
    path("reports/training-summary/<int:pk>/", views.run_detail, name="run_detail"),
    path("reports/training-summary/<int:pk>/status/", views.run_status, name="run_status"),
    path("reports/training-summary/<int:pk>/download/", views.run_download, name="run_download"),
    path("staff/history-import/", views.history_import, name="history_import"),
    path("staff/history-import/<int:pk>/", views.history_import_preview, name="history_import_preview"),
]
