from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payments"

    def ready(self):
        from core.attachments import attachment_renderer_register

        from .emails import INVOICE_ATTACHMENT, invoice_attachment

        attachment_renderer_register(INVOICE_ATTACHMENT, invoice_attachment)
