import secrets

from django.db import IntegrityError, transaction

from .models import Certificate

# No 0/O or 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def certificate_issue(
    *, source: str, kind: str, user, title: str, awarded_on, duration: str = "", learning_outcomes: str = ""
) -> Certificate:
    """Issue the certificate for `source` (e.g. "booking:12"), or return the one
    already issued: a certificate, once issued, never changes."""
    existing = Certificate.objects.filter(source=source).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=_new_code(),
                    source=source,
                    kind=kind,
                    user=user,
                    holder_name=user.get_full_name(),
                    title=title,
                    awarded_on=awarded_on,
                    duration=duration,
                    learning_outcomes=learning_outcomes,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(source=source).first()
            if existing is not None:  # issued by a concurrent request
                return existing
    raise RuntimeError("Could not find a free certificate code")
