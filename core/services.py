from django.db import transaction

from .tasks import email_send


def email_enqueue(*, subject, body, to, html_body=None, from_email=None):
    """Queue an e-mail to go once the current transaction commits, so a rolled
    back change never sends mail and a slow mail server never holds a lock."""
    transaction.on_commit(
        lambda: email_send.delay(
            subject=subject, body=body, to=list(to), html_body=html_body, from_email=from_email
        )
    )
