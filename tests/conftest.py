import pytest
from django.core.cache import cache

from accounts.roles import Role

from .factories import UserFactory
from .stripe_server import localstripe, stripe_api, stripe_webhook  # noqa: F401  (fixtures for every test)


@pytest.fixture(autouse=True)
def _email_in_memory(settings):
    """Mail goes to django.core.mail.outbox; Celery runs tasks in-process;
    passwords use a fast hasher, as no test is about hashing strength."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def user_with_role(db):
    """Make a user in one of the site's roles (or none, with role=None)."""

    def make(role=None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def administrator(user_with_role):
    return user_with_role(Role.TRAINING_ADMINISTRATOR)


@pytest.fixture
def delegate(user_with_role):
    return user_with_role(Role.DELEGATE)
