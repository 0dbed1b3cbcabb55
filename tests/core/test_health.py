"""The health checks. `/health/` is the web host's liveness, which load
balancers poll: 200 while it can reach the database, whatever the background
jobs are doing, so a broker outage that the web survives does not take every
host out of service. `/health/jobs/` is for monitoring: the broker, a worker
seen lately (the heartbeat job that beat schedules every minute), the cache and
file storage. Both answer JSON and tell an outsider nothing about the servers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Heartbeat
from core.tasks import jobs_heartbeat
from tests.stripe_server import free_port  # nothing listens on it

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the storage check writes and deletes a file


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/9"


@pytest.fixture
def with_a_worker(settings):
    """Tasks go to workers (not run in-process), so a worker must be seen."""
    settings.CELERY_BROKER_URL = ""  # the broker is not what these tests are about
    settings.CELERY_TASK_ALWAYS_EAGER = False


def _worker_last_seen(minutes_ago):
    Heartbeat.objects.update_or_create(
        name=Heartbeat.JOBS, defaults={"seen_at": timezone.now() - dt.timedelta(minutes=minutes_ago)}
    )


def test_the_default_set_up_is_healthy(client):
    response = client.get(reverse("core:health"))
    jobs = client.get(reverse("core:health_jobs"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]
    assert jobs.status_code == 200
    assert jobs.json()["status"] == "ok"
    assert jobs.json()["checks"] == {"broker": "ok", "worker": "ok", "cache": "ok", "storage": "ok"}


def test_a_broker_that_cannot_be_reached_leaves_the_web_live_and_the_jobs_unhealthy(client, broker_down):
    response = client.get(reverse("core:health"))
    jobs = client.get(reverse("core:health_jobs"))

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert jobs.status_code == 503
    assert jobs.json()["status"] == "unavailable"
    assert jobs.json()["checks"]["broker"] == "unavailable"


def test_a_worker_not_seen_for_ten_minutes_makes_the_jobs_unhealthy_but_not_the_web(client, with_a_worker):
    _worker_last_seen(minutes_ago=10)

    jobs = client.get(reverse("core:health_jobs"))

    assert jobs.status_code == 503
    assert jobs.json()["checks"]["worker"] == "unavailable"
    assert jobs.json()["worker_seen_seconds_ago"] >= 600
    assert client.get(reverse("core:health")).status_code == 200


def test_a_worker_never_seen_makes_the_jobs_unhealthy(client, with_a_worker):
    jobs = client.get(reverse("core:health_jobs"))

    assert jobs.status_code == 503
    assert jobs.json()["checks"]["worker"] == "unavailable"
    assert jobs.json()["worker_seen_seconds_ago"] is None


def test_the_heartbeat_job_shows_the_worker_alive(client, with_a_worker, settings):
    _worker_last_seen(minutes_ago=10)
    settings.JOBS_HEARTBEAT_STALE_SECONDS = 300

    jobs_heartbeat.apply()  # what beat has a worker run every minute

    jobs = client.get(reverse("core:health_jobs"))
    assert jobs.status_code == 200
    assert jobs.json()["checks"]["worker"] == "ok"
    assert jobs.json()["worker_seen_seconds_ago"] < 60


def test_how_long_a_worker_may_go_unseen_is_configurable(client, with_a_worker, settings):
    _worker_last_seen(minutes_ago=10)
    settings.JOBS_HEARTBEAT_STALE_SECONDS = 15 * 60

    assert client.get(reverse("core:health_jobs")).status_code == 200


@pytest.mark.parametrize("url", ["core:health_jobs"])  # /health/ checks only the database, which is up here
def test_an_unhealthy_answer_names_no_host_port_or_error(client, settings, url):
    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/9"

    response = client.get(reverse(url), HTTP_ACCEPT="text/html")
    assert response.status_code == 503  # the answer is an unhealthy one
    body = response.content.decode()

    assert str(port) not in body
    assert "127.0.0.1" not in body
    assert "refused" not in body.lower()
