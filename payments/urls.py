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
    path("finance/uptake/", finance_views.finance_uptake, name="finance_uptake"),
    path("finance/invoices/", finance_views.invoice_list, name="invoice_list"),
    path("finance/invoices/<int:pk>/", finance_views.invoice_detail, name="invoice_detail"),
    path("finance/invoices/<int:pk>/pdf/", finance_views.invoice_download, name="invoice_pdf"),
    path("finance/invoices/<int:pk>/paid/", finance_views.invoice_mark_paid, name="invoice_mark_paid"),
    path("finance/invoices/<int:pk>/cancel/", finance_views.invoice_cancel, name="invoice_cancel"),
    path("finance/fees/", finance_views.fee_list, name="fee_list"),
    path("finance/fees/<int:pk>/waive/", finance_views.fee_waive, name="fee_waive"),
    path("staff/charging-bands/", finance_views.BandListView.as_view(), name="band_list"),
    path("staff/charging-bands/new/", finance_views.BandCreateView.as_view(), name="band_create"),
    path("staff/charging-bands/<int:pk>/", finance_views.BandUpdateView.as_view(), name="band_update"),
    path("staff/charging-bands/sectors/", finance_views.SectorBandsView.as_view(), name="sector_bands"),
]
