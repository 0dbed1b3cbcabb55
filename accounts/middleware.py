"""How long a signed-in session lasts: SESSION_COOKIE_AGE seconds without a
request (the idle timeout), and never more than SESSION_ABSOLUTE_AGE seconds
after signing in."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

SIGNED_IN_AT = "signed_in_at"
RENEWED_AT = "session_renewed_at"
# Renewing the idle timeout means writing the session, so a busy person's
# session is renewed at most once a minute, not on every request.
RENEW_EVERY_SECONDS = 60


def session_sign_in_record(sender, request, user, **kwargs):
    """On every sign-in (a `user_logged_in` receiver): remember when, in the session."""
    request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = time.time()


class SessionLifetimeMiddleware:
    """Keeps an active person's session alive for another SESSION_COOKIE_AGE
    seconds, and signs them out SESSION_ABSOLUTE_AGE seconds after they signed
    in however busy they have been, so a stolen or forgotten session cannot be
    kept alive for ever."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session, now = request.session, time.time()
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)  # (a session from before this rule starts now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                messages.info(
                    request,
                    _("For your security we sign you out %(hours)s hours after you sign in. Sign in again to carry on.")
                    % {"hours": round(settings.SESSION_ABSOLUTE_AGE / 3600)},
                )
            elif now - session.get(RENEWED_AT, 0) > RENEW_EVERY_SECONDS:
                # A changed session is saved with a fresh expiry date.
                session[RENEWED_AT] = now
        return self.get_response(request)
