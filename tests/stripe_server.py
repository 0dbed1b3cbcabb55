"""localstripe, a real HTTP fake of Stripe, for the tests: the real `stripe`
library talks to it, and it sends signed webhooks as Stripe does.

Fixtures (made available to every test by tests/conftest.py):

    localstripe       the server's base URL; one server for the whole run, started on first use
    stripe_api        points the site's Stripe settings at it for one test
    stripe_webhook    for one test, a localstripe of its own that sends signed events to the live server

and helpers for the payer's side and for crafting webhook deliveries.
"""

import contextlib
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import stripe
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
TEST_CARD = "4242424242424242"
# localstripe declines the charge, not the card, only for these numbers (its
# 4000000000000002 is declined when saved to a customer, never when paying).
DECLINED_CARD = "4000000000000341"
WEBHOOK_SECRET = "whsec_test_localstripe"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def _localstripe_running(*args: str):
    """`manage.py localstripe` (localstripe plus the browser's confirm call) on
    a free port, empty; stopped on leaving."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "localstripe", "--port", str(port), "--from-scratch", *args],
            cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET},
        )
        try:
            deadline = time.monotonic() + 30
            while not _answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"localstripe did not start:\n{log.read().decode(errors='replace')}")
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def localstripe():
    """One localstripe for the whole run, started on first use. It delivers no
    webhooks: its events would reach whichever test runs a second later."""
    with _localstripe_running() as url:
        yield url


def _point_stripe_settings_at(overrides, url):
    overrides.STRIPE_API_BASE = url
    overrides.STRIPE_JS_URL = f"{url}/js.stripe.com/v3/"
    overrides.STRIPE_SECRET_KEY = "sk_test_localstripe"
    overrides.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
    overrides.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def stripe_api(localstripe, settings):
    """The site's Stripe settings, pointing at localstripe for this test."""
    _point_stripe_settings_at(settings, localstripe)
    return localstripe


@pytest.fixture
def stripe_webhook(stripe_api, live_server, settings):
    """A localstripe of this test's own that delivers its signed events to the
    live server's webhook (about a second after each event), as `make run`
    starts it. Its own, so no other test's events reach the site."""
    url = live_server.url + reverse("payments:stripe_webhook")
    with _localstripe_running("--webhook-url", url) as base:
        _point_stripe_settings_at(settings, base)
        yield url


# --- the payer's side ------------------------------------------------------------

def stripe_test_client() -> stripe.StripeClient:
    """A client of our own for what the payer's browser (Stripe.js) would do."""
    return stripe.StripeClient(api_key=settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE})


def pay(intent_id: str, *, card: str = TEST_CARD):
    """Pay a PaymentIntent with a test card, as the payer's browser would.
    Raises stripe.CardError for a declined card."""
    client = stripe_test_client()
    method = client.v1.payment_methods.create(params={
        "type": "card", "card": {"number": card, "exp_month": 12, "exp_year": 2034, "cvc": "123"}})
    # localstripe takes no payment method on confirm itself, so it is set first.
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    return client.v1.payment_intents.confirm(intent_id)


# --- webhook deliveries ------------------------------------------------------------

def event_payload(intent_id: str, *, event_type: str = "payment_intent.succeeded", event_id: str = "") -> dict:
    """A Stripe event as Stripe sends it. Only its id, type and the object's id
    matter to us: the site fetches the intent from Stripe again."""
    return {
        "id": event_id or f"evt_test_{intent_id}_{event_type.rsplit('.', 1)[-1]}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "livemode": False,
        "api_version": "2024-06-20",
        "data": {"object": {"id": intent_id, "object": "payment_intent"}},
    }


def signature_header(body: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Stripe's scheme: HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + body
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def deliver(client, payload: dict, *, body: bytes | None = None, **signing):
    """POST an event to the webhook as Stripe would, signed unless told otherwise."""
    signed_body = json.dumps(payload).encode()
    return client.post(reverse("payments:stripe_webhook"), data=body if body is not None else signed_body,
                       content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature_header(signed_body, **signing))


def wait_for(condition, *, timeout: float = 10, message: str = "condition"):
    """Poll until `condition()` is true (a webhook arrives a second or so after
    its event). On SQLite the live server's write transaction locks the tables
    the test reads; such a read is simply tried again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OperationalError as error:
            if "locked" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.1)
