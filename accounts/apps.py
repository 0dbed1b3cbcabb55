from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_sign_in_record

        user_logged_in.connect(session_sign_in_record, dispatch_uid="accounts.session_sign_in_record")
