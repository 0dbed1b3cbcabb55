from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    # Delegates, and line managers by e-mailed link
    path("evaluations/", views.my_evaluations, name="mine"),
    path("evaluations/bookings/<int:pk>/equal-opportunities/", views.equal_opportunities, name="equal_opportunities"),
    path("evaluations/bookings/<int:pk>/<slug:stage>/", views.respond, name="respond"),
    path("evaluations/line-manager/<str:token>/", views.line_manager, name="line_manager"),
    # Results: trainers (their sessions), administrators and the PPT subgroup
    path("evaluations/results/", views.result_sessions, name="result_sessions"),
    path("evaluations/results/sessions/<int:pk>/", views.report_session, name="report_session"),
    path("evaluations/results/courses/<int:pk>/", views.report_course, name="report_course"),
    path("evaluations/results/programme/", views.report_programme, name="report_programme"),
    path("evaluations/results/equal-opportunities/", views.report_equality, name="report_equality"),
    path("evaluations/quotes/", views.quotes, name="quotes"),
    path("evaluations/quotes/answers/<int:pk>/", views.quote_publish, name="quote_publish"),
    path("evaluations/quotes/answers/<int:pk>/withdraw/", views.quote_withdraw, name="quote_withdraw"),
    # Templates (training administrators)
    path("staff/evaluations/", views.template_list, name="template_list"),
    path("staff/evaluations/default/", views.template_default, name="template_default"),
    path("staff/evaluations/default/rating-scale/", views.rating_labels, name="rating_labels"),
    path(
        "staff/evaluations/default/questions/new/<slug:section>/",
        views.question_create,
        name="default_question_create",
    ),
    path("staff/evaluations/courses/<int:course_pk>/", views.template_course, name="template_course"),
    path(
        "staff/evaluations/courses/<int:course_pk>/questions/new/<slug:section>/",
        views.question_create,
        name="course_question_create",
    ),
    path(
        "staff/evaluations/courses/<int:course_pk>/questions/<int:pk>/change-for-course/",
        views.question_override,
        name="question_override",
    ),
    path("staff/evaluations/questions/<int:pk>/", views.question_update, name="question_update"),
    path("staff/evaluations/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("staff/evaluations/questions/<int:pk>/move/", views.question_move, name="question_move"),
]
