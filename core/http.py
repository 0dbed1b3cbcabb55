"""Refusing someone else's record. It answers 404, exactly as a record that
does not exist, so nobody learns what exists; and the refusal is logged on the
`security` logger (ids only, no personal data) so probing can be seen.

Selectors and views raise `not_found_for(user, kind, pk)` where the record
exists but is not the user's; RefusalLogMiddleware writes the log line with the
URL the refusal answered."""

import logging

from django.http import Http404

security_log = logging.getLogger("security")


class NotFoundForUser(Http404):
    """A record that exists, asked for by someone who may not see it."""

    def __init__(self, *, user, kind: str, pk):
        super().__init__(f"No such {kind}")
        self.user_id = getattr(user, "pk", None)
        self.kind = kind
        self.object_id = pk


def not_found_for(user, kind: str, pk) -> NotFoundForUser:
    """The 404 to raise when `user` asks for `kind` number `pk`, which is not theirs."""
    return NotFoundForUser(user=user, kind=kind, pk=pk)


class RefusalLogMiddleware:
    """Logs each NotFoundForUser a view raises, with the URL it answered; Django
    then answers 404 as for any other Http404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFoundForUser):
            match = request.resolver_match
            security_log.warning(
                "Refused %s %s to user %s at %s (%s)",
                exception.kind,
                exception.object_id,
                exception.user_id,
                match.view_name if match else "-",
                request.path,
                extra={
                    "refused_kind": exception.kind,
                    "refused_object_id": exception.object_id,
                    "user_id": exception.user_id,
                    "url_name": match.view_name if match else "",
                    "path": request.path,
                },
            )
        return None
