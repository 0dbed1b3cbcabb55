from django.contrib import admin
from django.urls import include, path

from accounts.mfa import admin_login
from accounts.views import SignupView

urlpatterns = [
    # Ahead of the admin's own: its log-in page would sign in with a password alone.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    # Two-factor pages for the staff roles only; they shadow allauth's own at the same addresses.
    path("accounts/2fa/", include("accounts.mfa_urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("core.urls")),
    path("", include("courses.urls")),
    path("", include("bookings.urls")),
    path("", include("payments.urls")),
    path("", include("certificates.urls")),
    path("", include("evaluations.urls")),
    path("", include("elearning.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("", include("audit.urls")),
]
