"""Reads of certificates: by their public code, and a person's own."""

from .models import Certificate


def certificate_by_code(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code).first() if code else None


def certificates_for_user(user):
    return Certificate.objects.filter(user=user)
