from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.views import staff_record_urls

from . import views
from .forms import ModuleForm
from .models import Module
from .tables import ModuleTable

app_name = "elearning"

urlpatterns = [
    path("e-learning/", views.catalogue, name="catalogue"),
    path("e-learning/report/", views.report, name="report"),
    path("e-learning/agency-completions/", views.agency_completions, name="agency_completions"),
    path("e-learning/images/<int:pk>/", views.image, name="image"),
    path("e-learning/attempts/<int:pk>/", views.attempt_result, name="attempt_result"),
    path("e-learning/<slug:slug>/", views.module_detail, name="module_detail"),
    path("e-learning/<slug:slug>/pages/<int:position>/", views.module_page, name="module_page"),
    path("e-learning/<slug:slug>/check/", views.knowledge_check, name="knowledge_check"),
    path("training-record/", views.training_record, name="training_record"),
    *staff_record_urls(
        prefix="staff/e-learning/modules/",
        name="staff_module",
        app=app_name,
        form_class=ModuleForm,
        table_class=ModuleTable,
        queryset=Module.objects.all(),
        plural=_("E-learning modules"),
        add_title=_("Add an e-learning module"),
        change_title=_("Change an e-learning module"),
    ),
    path("staff/e-learning/modules/<int:pk>/content/", views.staff_module_content, name="staff_module_content"),
    path("staff/e-learning/modules/<int:module_pk>/pages/new/", views.staff_page_edit, name="staff_page_create"),
    path("staff/e-learning/pages/<int:pk>/", views.staff_page_edit, name="staff_page_update"),
    path(
        "staff/e-learning/modules/<int:module_pk>/questions/new/",
        views.staff_question_edit,
        name="staff_question_create",
    ),
    path("staff/e-learning/questions/<int:pk>/", views.staff_question_edit, name="staff_question_update"),
    path("staff/e-learning/modules/<int:module_pk>/pictures/new/", views.staff_image_create, name="staff_image_create"),
    path(
        "staff/e-learning/<str:kind>/<int:pk>/delete/",
        views.staff_content_delete,
        name="staff_content_delete",
    ),
    path("staff/e-learning/import/", views.staff_import, name="staff_import"),
    path("staff/e-learning/import/<int:pk>/", views.staff_import_preview, name="staff_import_preview"),
]
