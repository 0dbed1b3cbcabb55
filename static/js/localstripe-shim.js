/*
 * Stripe.js's confirmPayment() for localstripe, the fake Stripe of `make run` and the tests.
 *
 * Why this file exists: localstripe serves a stand-in for Stripe.js, but it has no Payment Element
 * and no confirmPayment(). Its elements().create() ignores the type asked for and mounts a fake card
 * element made of plain text inputs. This file wraps window.Stripe so that static/js/payment.mjs,
 * written for the real Stripe.js, runs unchanged against the fake: it adds confirmPayment(), which
 * reads the card from the fake element's inputs and confirms the PaymentIntent at localstripe with
 * the publishable key and the client secret, as Stripe.js does. (localstripe itself only takes a
 * secret key for that call; `manage.py localstripe` adds the browser's route, see
 * payments/management/commands/localstripe.py.) A card that asks for 3-D Secure gets localstripe's
 * own authentication dialog; on success the browser goes to the return URL with
 * ?payment_intent=<id>, and a decline comes back as {error}, both as with real Stripe.js.
 *
 * It also names the fake inputs (they have only placeholders), so the demo card form can be used
 * with a screen reader and passes the accessibility scan.
 *
 * Loaded only when STRIPE_API_BASE points at localstripe, after localstripe's script and before
 * payment.mjs (templates/payments/booking_pay.html). Production loads the real Stripe.js from
 * js.stripe.com and never loads this file.
 */
(function () {
  "use strict";

  const fakeStripe = window.Stripe;
  // Set by localstripe's script (a global of classic scripts): where the fake server is.
  const base = LOCALSTRIPE_BASE_API; // eslint-disable-line no-undef

  const LABELS = {
    number: ["Card number", "cc-number"],
    exp_month: ["Expiry month, for example 04", "cc-exp-month"],
    exp_year: ["Expiry year, for example 30", "cc-exp-year"],
    cvc: ["Security code (the last 3 digits on the back of the card)", "cc-csc"],
    postal_code: ["Postcode", "postal-code"],
  };

  function labelInputs(element) {
    const mount = element.mount.bind(element);
    element.mount = (target) => {
      mount(target);
      Object.entries(LABELS).forEach(([field, [label, autocomplete]]) => {
        const input = element._inputs && element._inputs[field];
        if (input) {
          input.setAttribute("aria-label", label);
          input.setAttribute("autocomplete", autocomplete);
          input.setAttribute("inputmode", field === "postal_code" ? "text" : "numeric");
        }
      });
    };
    return element;
  }

  function invalid(code, message) {
    return { error: { type: "validation_error", code, message } };
  }

  // The card as Stripe's API takes it, or Stripe.js's message for what is missing.
  function readCard(element) {
    const inputs = element && element._inputs;
    if (!inputs) {
      return invalid("incomplete_number", "Your card number is incomplete.");
    }
    const number = inputs.number.value.replace(/\s+/g, "");
    const month = inputs.exp_month.value.trim();
    let year = inputs.exp_year.value.trim();
    if (/^\d{2}$/.test(year)) {
      year = "20" + year;
    }
    const cvc = inputs.cvc.value.trim();
    if (!/^\d{16}$/.test(number)) {
      return invalid("incomplete_number", "Your card number is incomplete.");
    }
    if (!/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
      return invalid("incomplete_expiry", "Your card's expiration date is incomplete.");
    }
    if (!/^\d{3}$/.test(cvc)) {
      return invalid("incomplete_cvc", "Your card's security code is incomplete.");
    }
    return { card: { number, exp_month: month, exp_year: year, cvc } };
  }

  // localstripe reports a decline as an invalid request with code card_declined; Stripe.js says card_error.
  function stripeError(error, status) {
    const copy = Object.assign({ message: "The payment could not be taken." }, error || {});
    if (status === 402 || copy.code === "card_declined") {
      copy.type = "card_error";
    }
    return copy;
  }

  async function post(path, body) {
    // No Content-Type header: a "simple" request, so the browser sends no CORS preflight
    // (localstripe reads the JSON body all the same, as its own script relies on).
    const response = await fetch(base + path, { method: "POST", body: JSON.stringify(body) });
    const json = await response.json().catch(() => ({}));
    return { ok: response.ok && !json.error, status: response.status, json };
  }

  async function confirmPayment(stripe, key, elements, confirmParams) {
    const clientSecret = elements._clientSecret;
    const read = readCard(elements.getElement("payment"));
    if (read.error) {
      return read;
    }
    const intentId = clientSecret.split("_secret_")[0];
    let intent;
    try {
      const result = await post(`/v1/payment_intents/${intentId}/confirm`, {
        key,
        client_secret: clientSecret,
        payment_method_data: { type: "card", card: read.card },
        return_url: confirmParams.return_url,
      });
      if (!result.ok) {
        return { error: stripeError(result.json.error, result.status) };
      }
      intent = result.json;
    } catch (err) {
      return { error: { type: "api_connection_error", message: String(err) } };
    }
    if (intent.status === "requires_action") {
      // localstripe's 3-D Secure dialog, and its /_authenticate call.
      const result = await stripe.confirmCardPayment(clientSecret);
      if (result.error) {
        return { error: stripeError(result.error) };
      }
      intent = result.paymentIntent;
      if (intent.status === "requires_payment_method") {
        return {
          error: {
            type: "card_error",
            code: "payment_intent_authentication_failure",
            message: "We are unable to authenticate your payment method. Please choose a different payment " +
              "method and try again.",
          },
        };
      }
    }
    const next = new URL(confirmParams.return_url, window.location.href);
    next.searchParams.set("payment_intent", intent.id);
    next.searchParams.set("payment_intent_client_secret", clientSecret);
    next.searchParams.set("redirect_status", intent.status === "succeeded" ? "succeeded" : intent.status);
    window.location.assign(next.toString());
    return new Promise(() => {}); // as with Stripe.js, success leaves the page
  }

  window.Stripe = function (key, options) {
    const stripe = fakeStripe(key, options);
    const makeElements = stripe.elements;
    stripe.elements = (elementsOptions) => {
      const elements = makeElements(elementsOptions);
      const create = elements.create.bind(elements);
      elements._clientSecret = elementsOptions && elementsOptions.clientSecret;
      elements.create = (type, createOptions) => labelInputs(create(type, createOptions));
      return elements;
    };
    stripe.confirmPayment = ({ elements, confirmParams }) => confirmPayment(stripe, key, elements, confirmParams);
    return stripe;
  };
})();
