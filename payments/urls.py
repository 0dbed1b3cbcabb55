from django.urls import path

from . import finance_views, views

app_name = "payments"

urlpatterns = [
    # Card payment (payments/views.py)
    path("bookings/<int:pk>/pay/", views.booking_pay, name="pay"),
    path("bookings/<int:pk>/pay/return/", views.booking_pay_return, name="pay_return"),
    path("payments/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    # Finance and charging bands (payments/finance_views.py)
    path("finance/", finance_views.finance_summary, name="finance_summary"),
]
