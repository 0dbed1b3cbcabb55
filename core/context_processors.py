from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from accounts import permissions


def site(request):
    """The partnership's name and the navigation a user's roles allow."""
    # A request refused before authentication ran (a Host header the site does
    # not serve) has no user, and its error page must still render.
    user = getattr(request, "user", AnonymousUser())
    return {
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "can_manage_programme": permissions.can_manage_programme(user),
        "can_coordinate": user.is_authenticated
        and user.has_perm("accounts.coordinate_agency")
        and user.agency_id is not None,
        "can_deliver_training": permissions.can_deliver_training(user),
        "can_view_finance": permissions.can_view_finance(user),
        "can_view_uptake_vs_income": permissions.can_view_uptake_vs_income(user),
        "can_view_uptake_reports": permissions.can_view_uptake_reports(user),
    }
