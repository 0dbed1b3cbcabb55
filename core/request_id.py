"""One id per request, on every log line the request writes and on the Celery
tasks it enqueues, so a booking can be followed from the proxy's access log to
the worker that sent its e-mail.

The id comes from the X-Request-ID header the reverse proxy sets (docs/deployment.md)
when it is well-formed, else it is made here; it goes back in the response header.
"""

import contextvars
import logging
import re
import uuid

from celery import signals

HEADER = "X-Request-ID"
# Wide enough for nginx's $request_id (32 hex digits) and UUIDs; narrow enough
# that a forged value cannot carry line breaks or markup into the logs.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")
TASK_HEADER = "request_id"

current = contextvars.ContextVar("request_id", default=None)


def request_id_from_header(value: str | None) -> str:
    """The proxy's id when it is well-formed, otherwise a fresh one."""
    if value and WELL_FORMED.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id for the rest of the request and returns it in X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from_header(request.headers.get(HEADER))
        token = current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or "-" outside a request or task) on each record."""

    def filter(self, record):
        record.request_id = current.get() or "-"
        return True


@signals.before_task_publish.connect
def _task_carries_request_id(headers=None, **kwargs):
    value = current.get()
    if value and headers is not None:
        headers.setdefault(TASK_HEADER, value)


@signals.task_prerun.connect
def _task_takes_request_id(task=None, **kwargs):
    # Custom message headers arrive as attributes of the task's request.
    value = getattr(task.request, TASK_HEADER, None)
    if value and WELL_FORMED.fullmatch(str(value)):
        task.request.request_id_token = current.set(value)


@signals.task_postrun.connect
def _task_drops_request_id(task=None, **kwargs):
    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        current.reset(token)
        task.request.request_id_token = None
