from django.apps import AppConfig


class ElearningConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'elearning'
