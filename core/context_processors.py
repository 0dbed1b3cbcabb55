from django.conf import settings

from accounts import permissions


def site(request):
    """The partnership's name and the navigation a user's roles allow."""
    user = request.user
    return {
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "can_manage_programme": permissions.can_manage_programme(user),
    }
