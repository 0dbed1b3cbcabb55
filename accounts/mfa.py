"""One way in: allauth's sign-in, which asks for the second factor, and for
those who must use one (accounts.permissions.must_use_two_factor) nothing but
setting it up until they have."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .permissions import must_use_two_factor, needs_two_factor_setup

# What someone who must set up two-factor sign-in may still open: the setup
# itself (with the password check before it and the recovery codes after),
# signing in and out, the password reset and e-mail confirmation steps, and
# the health check. Static files are served before any of this runs.
SETUP_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_authenticate",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_confirm_email",
        "account_email_verification_sent",
        "account_inactive",
        "core:health",
    }
)


class TwoFactorRequiredMiddleware:
    """Sends someone who must use two-factor sign-in but has no authenticator
    to set one up, from every page but those in SETUP_URL_NAMES. Marks the
    request (`two_factor_required`, `two_factor_setup_needed`) so the
    two-factor pages can say why without asking the database again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.two_factor_required = must_use_two_factor(request.user)
        request.two_factor_setup_needed = needs_two_factor_setup(request.user, required=request.two_factor_required)
        if request.two_factor_setup_needed and request.resolver_match.view_name not in SETUP_URL_NAMES:
            return redirect("mfa_activate_totp")
        return None


def admin_login(request):
    """Django admin's log-in page signs nobody in: it would take a password
    alone. It sends people to the site's sign-in, which asks for the second
    factor, and back to the admin page they wanted."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, login_url=reverse("account_login"))
    if admin.site.has_permission(request):
        return redirect(next_url)
    # Sending a signed-in person without access back to the sign-in page would loop.
    raise PermissionDenied(_("The Django admin is for the site's superusers."))
