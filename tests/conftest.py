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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests that commit for real (browser journeys, concurrency) after all
    the others. Their teardown empties the tables, including the rows data
    migrations made (roles, sectors), which the ordinary tests rely on; and the
    e2e marks are added by a hook that may run after pytest-django's own sort."""

    def commits_for_real(item):
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction"))
        return transactional or "live_server" in getattr(item, "fixturenames", ())

    items.sort(key=commits_for_real)
