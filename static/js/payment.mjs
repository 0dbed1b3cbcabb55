// Card payment on our own page with Stripe's Payment Element (templates/payments/booking_pay.html).
// Stripe.js collects the card in its own frame and handles 3-D Secure (SCA); on success it sends the
// browser to the return URL, where the server fetches the PaymentIntent from Stripe again. The amount
// is fixed on the PaymentIntent by the server: nothing here can change it.

const form = document.getElementById("payment-form");
if (form) {
  start(form);
}

function start(form) {
  const { publishableKey, clientSecret, returnUrl, errorFallback } = form.dataset;
  const stripe = window.Stripe(publishableKey);
  const elements = stripe.elements({ clientSecret });
  elements.create("payment").mount("#payment-element");
  const button = form.querySelector("#pay-button");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    hideError();
    setWorking(button, true);
    const { error } = await stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl } });
    // Only a failure comes back here: on success Stripe.js has left the page.
    if (error) {
      // Stripe's own wording for card and validation problems; anything else is ours to explain.
      const plain = error.type === "card_error" || error.type === "validation_error";
      showError(plain && error.message ? error.message : errorFallback);
    }
    setWorking(button, false);
  });
}

function setWorking(button, working) {
  button.disabled = working;
  button.setAttribute("aria-disabled", working ? "true" : "false");
}

function showError(message) {
  const summary = document.getElementById("payment-error-summary");
  document.getElementById("payment-error-link").textContent = message;
  document.getElementById("payment-error-text").textContent = message;
  document.getElementById("payment-error").hidden = false;
  document.getElementById("payment-form-group").classList.add("govuk-form-group--error");
  summary.hidden = false;
  summary.focus();
}

function hideError() {
  document.getElementById("payment-error-summary").hidden = true;
  document.getElementById("payment-error").hidden = true;
  document.getElementById("payment-form-group").classList.remove("govuk-form-group--error");
}
