"""The health checks (django-health-check), in two parts:

    /health/        the web host's liveness, for load balancers: the database.
                    Nothing shared by every host besides it (broker, cache,
                    file storage) is here, or one outage of Redis, which the
                    web survives, would take every host out of service.
    /health/jobs/   for monitoring: the broker, a worker seen lately (the
                    heartbeat job beat schedules every minute), the cache and
                    file storage.

Open to anyone, as load balancers do not sign in, so they say only which parts
are up: no host names, versions or error text. The reasons go to the log,
under the request id returned in X-Request-ID.
"""

import asyncio
import dataclasses

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu import Connection

from .models import Heartbeat
from .selectors import heartbeat_seen_at


@dataclasses.dataclass
class Broker(HealthCheck):
    """Connects to Celery's broker. Without one, tasks run in-process and
    there is nothing to reach."""

    def run(self):
        url = settings.CELERY_BROKER_URL
        if not url:
            return
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        try:
            with Connection(url, transport_options=options, connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=3)
        except Exception as error:
            raise ServiceUnavailable("The broker cannot be reached") from error


@dataclasses.dataclass
class Worker(HealthCheck):
    """A worker ran the heartbeat job within JOBS_HEARTBEAT_STALE_SECONDS.
    With tasks run in-process (no broker) there is no worker to see."""

    seen_seconds_ago: int | None = dataclasses.field(default=None, repr=False)

    async def run(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return
        # The request's own thread and connection (thread-sensitive), not a pool thread's.
        seen_at = await sync_to_async(heartbeat_seen_at)(name=Heartbeat.JOBS)
        if seen_at is not None:
            self.seen_seconds_ago = max(0, int((timezone.now() - seen_at).total_seconds()))
        if self.seen_seconds_ago is None or self.seen_seconds_ago > settings.JOBS_HEARTBEAT_STALE_SECONDS:
            raise ServiceUnavailable("No worker has run the heartbeat job lately")


class HealthView(HealthCheckView):
    """JSON in every case: 200 when every part is up, 503 when any is down."""

    parts = {"database": Database}

    def get_checks(self):
        return [check() for check in self.parts.values()]

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        named = zip(self.parts, results, strict=True)
        parts = {name: "unavailable" if result.error else "ok" for name, result in named}
        healthy = "unavailable" not in parts.values()
        body = {"status": "ok" if healthy else "unavailable", "checks": parts}
        for result in results:
            if isinstance(result.check, Worker):
                body["worker_seen_seconds_ago"] = result.check.seen_seconds_ago
        return JsonResponse(body, status=200 if healthy else 503)


class JobsHealthView(HealthView):
    parts = {"broker": Broker, "worker": Worker, "cache": Cache, "storage": Storage}
