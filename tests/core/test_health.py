"""The health check that load balancers poll: JSON, 200 when every part is up,
503 when one is down, and nothing in it that tells an outsider about the servers."""

import pytest
from django.urls import reverse

from tests.stripe_server import free_port  # nothing listens on it

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the storage check writes and deletes a file


def test_the_default_set_up_is_healthy(client):
    response = client.get(reverse("core:health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_broker_that_cannot_be_reached_makes_the_site_unhealthy(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/9"

    response = client.get(reverse("core:health"))

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["broker"] == "unavailable"
    assert response.json()["checks"]["database"] == "ok"


def test_an_unhealthy_answer_names_no_host_port_or_error(client, settings):
    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/9"

    body = client.get(reverse("core:health"), HTTP_ACCEPT="text/html").content.decode()

    assert str(port) not in body
    assert "127.0.0.1" not in body
    assert "refused" not in body.lower()
