from allauth.account.adapter import DefaultAccountAdapter

from core.services import email_enqueue


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
