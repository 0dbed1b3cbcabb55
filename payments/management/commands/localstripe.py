"""Run localstripe, the fake Stripe that `make run` and the tests use when no
Stripe keys are set (localstripe is a development dependency).

localstripe implements the Stripe API our server calls and serves a stand-in
for Stripe.js, but one call the browser makes is missing: Stripe.js confirms a
PaymentIntent itself, with the publishable key and the intent's client secret
and the card as `payment_method_data`; localstripe takes only a secret key
there, and no card. This command serves localstripe's own application with
that call added (its only caller is static/js/localstripe-shim.js), and can
register the site's webhook, so events reach the site signed with
STRIPE_WEBHOOK_SECRET, as Stripe's would.
"""

import re
import socket

from aiohttp import web
from django.conf import settings
from django.core.management.base import BaseCommand
from localstripe import server
from localstripe.errors import UserError
from localstripe.resources import PaymentIntent, PaymentMethod, store
from localstripe.webhooks import register_webhook

BROWSER_CONFIRM = re.compile(r"^/v1/payment_intents/(pi_\w+)/confirm$")


@web.middleware
async def browser_confirm(request, handler):
    """POST /v1/payment_intents/<id>/confirm as Stripe.js sends it: no secret
    key, but the publishable key, the client secret and the card."""
    match = BROWSER_CONFIRM.match(request.path)
    if request.method != "POST" or match is None or "Authorization" in request.headers:
        return await handler(request)
    data = await server.get_post_data(request, remove_auth=False) or {}
    intent = PaymentIntent._api_retrieve(match[1])
    if not str(data.get("key", "")).startswith("pk_") or data.get("client_secret") != intent.client_secret:
        raise UserError(401, "Unauthorized")
    if intent.status not in ("requires_payment_method", "requires_confirmation"):
        raise UserError(
            400,
            f"This PaymentIntent's status is {intent.status}, so it cannot be confirmed.",
            {"code": "payment_intent_unexpected_state"},
        )
    card = data.get("payment_method_data") or {}
    payment_method = PaymentMethod._api_create(
        type=card.get("type"), card=card.get("card"), billing_details=card.get("billing_details")
    )
    # A card tried after a declined one is a new attempt, as at Stripe; localstripe would keep the failed charge.
    intent.latest_charge = None
    intent.payment_method = payment_method.id
    intent._confirm(on_failure_now=intent._report_failure)
    return server.json_response(intent._export())


class Command(BaseCommand):
    help = "Run localstripe (a fake Stripe) for the demo and the tests, with the call Stripe.js makes to pay."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, help="default: LOCALSTRIPE_PORT")
        parser.add_argument(
            "--from-scratch", action="store_true", help="start empty and keep nothing on disk (for tests)"
        )
        parser.add_argument(
            "--webhook-url",
            default="",
            help="send signed events here, e.g. http://127.0.0.1:8000/payments/stripe/webhook/",
        )

    def handle(self, *args, port=None, from_scratch=False, webhook_url="", **options):
        port = port or settings.LOCALSTRIPE_PORT
        if from_scratch:
            # Nothing read from or written to /tmp/localstripe.pickle, which `make run` keeps.
            store.dump_to_disk = lambda: None
        else:
            store.try_load_from_disk()
        if webhook_url:
            register_webhook("site", webhook_url, settings.STRIPE_WEBHOOK_SECRET, None)
        # After localstripe's error handler (which turns UserError into a response), before its key check.
        server.app.middlewares.insert(1, browser_confirm)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.stdout.write(
            f"localstripe on http://127.0.0.1:{port}/" + (f", sending events to {webhook_url}" if webhook_url else "")
        )
        web.run_app(server.app, sock=sock, print=None)
