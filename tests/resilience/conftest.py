"""A real Celery worker for the resilience tests: the project's own app
consuming from Redis in a thread of the test process (celery.contrib.testing),
so tasks run as in production, not eagerly, on data the test has committed.

    broker             the site's broker is the test Redis, eager mode off
    running_worker()   a context manager: a worker runs while inside it
    celery_worker      a worker for the whole test
    own_redis          a Redis server of the test's own, which it may restart
    own_broker         the site's broker is own_redis, eager mode off
    worker_on_own_redis()  like running_worker(), consuming from own_redis
    running_beat()     a context manager: Celery beat runs while inside it, with
                       the outbox sweep (which queues e-mail retries) every second

Redis is TEST_REDIS_URL (database 7 of 127.0.0.1:6379 unless told); own_redis
is Debian's redis-server started on a free port. When either is missing the
tests are skipped on a developer's machine but fail in CI (the environment
variable CI is set), which must really run them."""

import contextlib
import os

import pytest
import redis
from celery import beat
from celery.contrib.testing.worker import start_worker
from kombu import pools

from config.celery import app
from tests.stripe_server import free_port

from .redis_server import redis_server, redis_server_installed

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def pytest_collection_modifyitems(items):
    """Every test that uses the broker is a `worker` test (`-m "not worker"` leaves them out)."""
    for item in items:
        if {"broker", "own_broker"} & set(getattr(item, "fixturenames", ())):
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


def _needed(reason: str):
    """Skip on a developer's machine; fail in CI, which must run every test."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def _tasks_sent_to(settings, url: str):
    """Tasks go to the broker at `url`, not run in-process; an empty queue to start."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # The worker must leave the test run's logging (and caplog) alone.
    settings.CELERY_WORKER_HIJACK_ROOT_LOGGER = False
    point_broker_at(settings, url)
    app.control.purge()  # nothing left over from an earlier run
    yield url
    app.control.purge()
    point_broker_at(settings, url)


@pytest.fixture
def broker(settings):
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        _needed(f"the worker tests need Redis at {TEST_REDIS_URL} (set TEST_REDIS_URL): {error}")
    with _tasks_sent_to(settings, TEST_REDIS_URL) as url:
        yield url


@pytest.fixture
def own_redis(tmp_path):
    if not redis_server_installed():
        _needed("the broker restart tests need redis-server (Debian package redis-server; `make test` installs it)")
    with redis_server(tmp_path) as server:
        yield server


@pytest.fixture
def own_broker(settings, own_redis):
    with _tasks_sent_to(settings, own_redis.url):
        yield own_redis


@contextlib.contextmanager
def _worker():
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        yield


@pytest.fixture
def running_worker(broker, transactional_db):
    """`with running_worker():` runs a worker (in a thread) for the block."""
    return _worker


@pytest.fixture
def worker_on_own_redis(own_broker, transactional_db):
    return _worker


@pytest.fixture
def running_beat(settings, tmp_path):
    @contextlib.contextmanager
    def run():
        settings.CELERY_BEAT_SCHEDULE = {
            "email-outbox-sweep": {"task": "core.tasks.email_outbox_sweep", "schedule": 1},
        }
        service = beat.EmbeddedService(app, thread=True, schedule_filename=str(tmp_path / "beat-schedule"))
        service.start()
        try:
            yield
        finally:
            service.stop()
            service.join(10)

    return run


@pytest.fixture
def celery_worker(running_worker):
    with running_worker():
        yield
