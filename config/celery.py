import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("lscp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _log_as_django_does(**kwargs):
    """Workers and beat log through settings.LOGGING (JSON lines with the request
    id in production) instead of Celery's own format. django.setup() has usually
    applied it already; it is left alone then (in tests, pytest's handlers too)."""
    import logging
    from logging.config import dictConfig

    from django.conf import settings

    if not logging.getLogger().handlers:
        dictConfig(settings.LOGGING)
