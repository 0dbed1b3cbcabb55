"""The signed link a line manager follows to add their view to a delegate's
follow-up evaluation. It names the request; the request's own dates decide
whether it is still open."""

from django.core import signing

LINE_MANAGER_SALT = "evaluations.line_manager"
MAX_AGE = 60 * 60 * 24 * 120  # an outer limit; the request's closing date is the real one


def make(request_id: int) -> str:
    return signing.dumps({"request": request_id}, salt=LINE_MANAGER_SALT, compress=True)


def read(token: str) -> int | None:
    """The request id, or None for a forged, altered or very old token."""
    try:
        return int(signing.loads(token, salt=LINE_MANAGER_SALT, max_age=MAX_AGE)["request"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
