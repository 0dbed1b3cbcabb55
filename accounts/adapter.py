from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.translation import gettext_lazy as _

from core.services import email_enqueue

from .permissions import can_turn_off_authenticator


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Account e-mails (verification, password reset) go through the same
        Celery task as every other e-mail, after the transaction commits."""
        message = self.render_mail(template_prefix, email, context)
        html_body = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        email_enqueue(subject=message.subject, body=message.body, to=message.to, html_body=html_body)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your role needs two-factor sign-in, so you cannot turn it off. To move to a new phone, add this "
            "service to its authenticator app with your setup key, or ask the site's administrator to reset it."
        ),
    }

    def can_delete_authenticator(self, authenticator):
        return can_turn_off_authenticator(authenticator)
