"""Every request gets an id: returned in X-Request-ID, written on each log line
of the request, and carried into the Celery tasks it enqueues."""

import io
import logging

import pytest
from celery import Celery, current_app
from celery.contrib.testing.worker import start_worker
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core.request_id import HEADER, RequestIdFilter, RequestIdMiddleware, current

pytestmark = pytest.mark.django_db

logger = logging.getLogger("tests.request_id")


def _is_generated(value):
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


def test_every_response_carries_a_request_id(client):
    response = client.get(reverse("courses:calendar"))

    assert _is_generated(response[HEADER])


def test_each_request_gets_its_own_id(client):
    first, second = client.get(reverse("courses:calendar")), client.get(reverse("courses:calendar"))

    assert first[HEADER] != second[HEADER]


def test_the_proxys_well_formed_id_is_kept(client):
    response = client.get(reverse("courses:calendar"), headers={HEADER: "4f1c2a9e8b7d4c3a9e8b7d4c3a2f1e0d"})

    assert response[HEADER] == "4f1c2a9e8b7d4c3a9e8b7d4c3a2f1e0d"


@pytest.mark.parametrize(
    "forged",
    ["x" * 65, "short", "id with spaces", "id\r\nSet-Cookie: a=b", "<script>alert(1)</script>", "naïve-request-id"],
    ids=["oversized", "too short", "spaces", "header injection", "markup", "not ascii"],
)
def test_a_forged_or_oversized_id_is_replaced(client, forged):
    response = client.get(reverse("courses:calendar"), headers={HEADER: forged})

    assert _is_generated(response[HEADER])


@pytest.fixture
def log_lines():
    """What the site's configured log handler writes (the one with the request id filter)."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RequestIdFilter) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_a_log_line_written_in_a_view_carries_the_request_id(log_lines):
    def view(request):
        logger.warning("booking confirmed")
        return HttpResponse()

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))

    line = next(line for line in log_lines.getvalue().splitlines() if "booking confirmed" in line)
    assert response[HEADER] in line


def test_a_log_line_outside_a_request_has_no_request_id(log_lines):
    logger.warning("beat woke up")

    assert current.get() is None
    assert "[-]" in log_lines.getvalue() or '"request_id": "-"' in log_lines.getvalue()


@pytest.fixture
def worker_app():
    """A Celery app of its own with an in-memory broker and a real worker thread;
    the request id travels by the same signals as the site's tasks."""
    site_app = current_app._get_current_object()
    app = Celery("request-id-test", broker="memory://", backend="cache+memory://", fixups=[])

    @app.task(name="tests.request_id_in_worker")
    def request_id_in_worker():
        return current.get()

    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield request_id_in_worker
    finally:
        # start_worker makes its app the default; the site's shared tasks must find theirs again.
        site_app.set_default()
        site_app.set_current()


def test_a_task_enqueued_during_a_request_runs_under_its_request_id(worker_app):
    results = []

    def view(request):
        results.append(worker_app.delay())
        return HttpResponse()

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))

    assert results[0].get(timeout=10) == response[HEADER]
    assert current.get() is None
