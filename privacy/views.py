import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import FormView

from core.exceptions import DomainError
from core.views import ProgrammeStaffRequiredMixin

from . import selectors, services
from .forms import ErasureConfirmForm, PersonSearchForm, RetentionPolicyForm
from .subject_access import subject_access_json

ACCESSIBILITY_STATEMENT_PREPARED = dt.date(2026, 11, 22)


@require_safe
def privacy_notice(request):
    return render(
        request,
        "privacy/privacy_notice.html",
        {
            "retention": selectors.retention_policy(),
            "contact_email": settings.DATA_PROTECTION_EMAIL,
            "suppress_below": settings.EQUALITY_SUPPRESS_BELOW,
        },
    )


@require_safe
def accessibility_statement(request):
    return render(
        request,
        "privacy/accessibility_statement.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL, "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED},
    )


@login_required
@require_safe
def my_data(request):
    """Subject access: everything held about the signed-in person, as a JSON file."""
    # Not put in the audit log: it is the person's own data, and the log keeps
    # its actors' e-mail addresses for good, which would outlive their erasure.
    response = HttpResponse(subject_access_json(request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.json"'
    response["Cache-Control"] = "no-store, private"
    return response


class RetentionPolicyView(ProgrammeStaffRequiredMixin, FormView):
    template_name = "privacy/retention_policy.html"
    form_class = RetentionPolicyForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": selectors.retention_policy()}

    def form_valid(self, form):
        policy = services.retention_policy_update(years=form.cleaned_data["years"], by=self.request.user)
        messages.success(
            self.request,
            _("Saved: records are kept %(years)s years after a person's last training.") % {"years": policy.years},
        )
        return redirect("privacy:retention")


class ErasureSearchView(ProgrammeStaffRequiredMixin, FormView):
    """Find the person who asked to be erased; the erasures so far below. The
    search is POSTed so that the name asked for never reaches an address bar,
    the browser's history or the web server's access logs."""

    template_name = "privacy/erasure_search.html"
    form_class = PersonSearchForm

    def get_context_data(self, **kwargs):
        kwargs.setdefault("people", None)  # None: not searched yet
        return super().get_context_data(records=selectors.erasure_records()[:50], **kwargs)

    def form_valid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, people=selectors.person_search(form.cleaned_data["q"]))
        )


class ErasureConfirmView(ProgrammeStaffRequiredMixin, FormView):
    template_name = "privacy/erasure_confirm.html"
    form_class = ErasureConfirmForm

    @cached_property
    def person(self):
        # Fetched only after the permission check.
        return selectors.erasure_candidate(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person, blockers=selectors.erasure_blockers(self.person, timezone.now()), **kwargs
        )

    def form_valid(self, form):
        try:
            record = services.person_erase(user=self.person, by=self.request.user)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Erased: account %(id)s no longer holds anything that identifies them.") % {"id": record.user_id},
        )
        return redirect("privacy:erasure_search")
