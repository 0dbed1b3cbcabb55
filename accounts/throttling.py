"""How django-axes tells one sign-in attempt from another, and the page it
answers once an e-mail address and client address are locked out."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def attempted_email(request, credentials=None) -> str:
    """The e-mail address an attempt was for: as allauth (`email`) or Django's
    admin (`username`) hands it to authenticate(), or as their forms posted it.
    Lower-cased, so "Ann@x.org" and "ann@x.org" are one address to count."""
    credentials, posted = credentials or {}, getattr(request, "POST", {})
    email = credentials.get("email") or credentials.get("username") or posted.get("login") or posted.get("username")
    return (email or "").strip().lower()


def client_address(request) -> str | None:
    """Who is trying to sign in. Directly, REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT
    reverse proxies, each appending the address it was reached from to
    X-Forwarded-For, the entry that many places from the right: the outermost
    proxy wrote it. Anything further left is whatever the client claimed."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """429 with a page saying when to try again and how to reset the password."""
    cool_off = settings.AXES_COOLOFF_TIME
    response = render(
        request,
        "account/lockout.html",
        {
            "try_again_at": timezone.now() + cool_off,
            "cool_off_minutes": round(cool_off.total_seconds() / 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
