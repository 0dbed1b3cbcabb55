"""The health check the load balancer and monitoring poll (django-health-check).

Open to anyone, as load balancers do not sign in, so it says only which parts
are up: no host names, versions or error text. The reasons go to the log,
under the request id returned in X-Request-ID.
"""

import asyncio
import dataclasses

from django.conf import settings
from django.http import JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu import Connection


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


CHECKS = {"database": Database, "cache": Cache, "broker": Broker, "storage": Storage}


class HealthView(HealthCheckView):
    """JSON in every case: 200 when every part is up, 503 when any is down."""

    checks = tuple(CHECKS.values())

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        parts = {name: "unavailable" if result.error else "ok" for name, result in zip(CHECKS, results, strict=True)}
        healthy = "unavailable" not in parts.values()
        return JsonResponse(
            {"status": "ok" if healthy else "unavailable", "checks": parts}, status=200 if healthy else 503
        )
