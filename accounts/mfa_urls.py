"""allauth's two-factor pages, open only to those offered two-factor sign-in.

Included in config/urls.py ahead of allauth's own URLs at the same addresses
and names, so these are the ones resolved. To anyone else signed in the pages
do not exist; the sign-in step that asks for the code is open as before (its
visitor is not signed in yet)."""

from functools import wraps

from allauth.mfa import urls as allauth_mfa_urls
from django.http import Http404
from django.urls import URLResolver, include, path

from .permissions import can_use_two_factor


def two_factor_offered_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not can_use_two_factor(request.user):
            raise Http404("Two-factor sign-in is not offered to this account")
        return view(request, *args, **kwargs)

    return wrapped


def _offered_only(patterns):
    return [
        path(str(pattern.pattern), include(_offered_only(pattern.url_patterns)))
        if isinstance(pattern, URLResolver)
        else path(str(pattern.pattern), two_factor_offered_required(pattern.callback), name=pattern.name)
        for pattern in patterns
    ]


urlpatterns = _offered_only(allauth_mfa_urls.urlpatterns)
