"""The e-mails e-learning sends: templates under templates/elearning/email/
whose first line is the subject, sent through the outbox (core.services)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.services import email_enqueue


def renewal_due(completion):
    module = completion.module
    text = render_to_string(
        "elearning/email/renewal_due.txt",
        {
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
            "completion": completion,
            "module": module,
            "user": completion.user,
            "module_url": settings.SITE_URL.rstrip("/") + module.get_absolute_url(),
            "record_url": settings.SITE_URL.rstrip("/") + reverse("elearning:training_record"),
        },
    )
    subject, _, body = text.strip().partition("\n")
    email_enqueue(subject=subject.strip(), body=body.strip() + "\n", to=[completion.user.email])
