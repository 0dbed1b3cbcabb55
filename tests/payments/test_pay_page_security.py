"""The payment page is the one page whose Content-Security-Policy lets Stripe in
(the site-wide policy: tests/core/test_security.py)."""

import pytest
from django.urls import reverse

from payments.views import stripe_csp_sources

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_api")]


def _directives(header):
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_the_pay_page_lets_in_stripe_and_the_fake_stripe_of_the_tests(client, card_booking, settings):
    booking = card_booking()
    client.force_login(booking.user)

    response = client.get(reverse("payments:pay", args=[booking.pk]))

    policy = _directives(response["Content-Security-Policy"])
    localstripe = settings.STRIPE_API_BASE.rstrip("/")
    assert {"'self'", "https://js.stripe.com", localstripe} <= set(policy["script-src"])
    assert {"https://api.stripe.com", localstripe} <= set(policy["connect-src"])
    assert {"https://js.stripe.com", "https://hooks.stripe.com"} <= set(policy["frame-src"])
    # The rest of the policy is the site's own.
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_with_real_stripe_only_stripes_own_hosts_are_added(settings):
    settings.STRIPE_API_BASE = ""

    sources = stripe_csp_sources()

    added = {source for sources_of_one in sources.values() for source in sources_of_one} - {"'self'"}
    assert all(source.startswith("https://") and ".stripe.com" in source for source in added)


def test_other_pages_of_the_booking_do_not_let_stripe_in(client, card_booking):
    booking = card_booking()
    client.force_login(booking.user)

    response = client.get(reverse("bookings:detail", args=[booking.pk]))

    assert "stripe" not in response["Content-Security-Policy"]
    assert "connect-src" not in response["Content-Security-Policy"]
