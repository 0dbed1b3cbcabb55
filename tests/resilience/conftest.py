"""A real Celery worker for the resilience tests: the project's own app
consuming from Redis in a thread of the test process (celery.contrib.testing),
so tasks run as in production, not eagerly, on data the test has committed.

    broker             the site's broker is the test Redis, eager mode off
    running_worker()   a context manager: a worker runs while inside it
    celery_worker      a worker for the whole test

Redis is TEST_REDIS_URL (database 7 of 127.0.0.1:6379 unless told). When it
cannot be reached the tests are skipped on a developer's machine but fail in
CI (the environment variable CI is set), which must really run them."""

import contextlib
import os

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from kombu import pools

from config.celery import app
from tests.stripe_server import free_port

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def pytest_collection_modifyitems(items):
    """Every test that uses the broker is a `worker` test (`-m "not worker"` leaves them out)."""
    for item in items:
        if "broker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)


def closed_port_url() -> str:
    """A broker URL where nothing listens: the broker is down."""
    return f"redis://127.0.0.1:{free_port()}/0"


def point_broker_at(settings, url: str) -> None:
    """Send tasks to `url` from now on. Celery keeps its connections in pools
    made on first use, so those are dropped too."""
    settings.CELERY_BROKER_URL = url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """Tasks go to the test Redis, not run in-process; an empty queue to start."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        reason = f"the worker tests need Redis at {TEST_REDIS_URL} (set TEST_REDIS_URL): {error}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # The worker must leave the test run's logging (and caplog) alone.
    settings.CELERY_WORKER_HIJACK_ROOT_LOGGER = False
    point_broker_at(settings, TEST_REDIS_URL)
    app.control.purge()  # nothing left over from an earlier run
    yield TEST_REDIS_URL
    app.control.purge()
    point_broker_at(settings, TEST_REDIS_URL)


@pytest.fixture
def running_worker(broker, transactional_db):
    """`with running_worker():` runs a worker (in a thread) for the block."""
    @contextlib.contextmanager
    def run():
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
            yield

    return run


@pytest.fixture
def celery_worker(running_worker):
    with running_worker():
        yield
