from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("sessions/<int:pk>/book/", views.session_book, name="book"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="detail"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("bookings/<int:pk>/offer/", views.offer_respond, name="offer_respond"),
    path("bookings/<int:pk>/substitute/", views.booking_substitute, name="substitute"),
    path("bookings/<int:pk>/non-attendance/", views.non_attendance, name="non_attendance"),
    path("bookings/approval/<str:token>/", views.approval, name="approval"),
    path("bookings/release/<str:token>/", views.release, name="release"),
    path("agency/bookings/", views.agency_bookings, name="agency_bookings"),
    path("agency/sessions/<int:pk>/book/", views.agency_book, name="agency_book"),
    path("trainer/sessions/", views.trainer_sessions, name="trainer_sessions"),
    path("sessions/<int:pk>/register/", views.register, name="register"),
    path("sessions/<int:pk>/sign-in-sheet.pdf", views.sign_in_sheet, name="sign_in_sheet"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("staff/sessions/<int:pk>/bookings/", views.session_bookings, name="session_bookings"),
    path("staff/bookings/<int:pk>/move/", views.booking_move, name="move"),
    path("staff/bookings/<int:pk>/approval/", views.staff_approval, name="staff_approval"),
    path("staff/undersubscribed/", views.undersubscribed, name="undersubscribed"),
]
