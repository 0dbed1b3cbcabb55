from allauth.account.views import SignupView as AllauthSignupView
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from audit.models import AuditEntry
from core.exceptions import DomainError
from core.views import ProgrammeStaffRequiredMixin, StaffFormView, StaffListView

from . import permissions, selectors, services
from .forms import AgencyForm, AgencyRequestDecisionForm, ProfileForm
from .models import Agency
from .tables import AgencyRequestTable, AgencyTable


class SignupView(AllauthSignupView):
    # allauth creates the user, its e-mail address and our profile details in
    # separate writes; one transaction keeps a failure from leaving half an
    # account behind. Verification mail is queued on commit.
    @transaction.atomic
    def form_valid(self, form):
        return super().form_valid(form)


class ProfileView(LoginRequiredMixin, FormView):
    """A person's own details; nobody else's are reachable from here."""

    template_name = "accounts/user_profile.html"

    @cached_property
    def pending_request(self):
        return selectors.agency_request_pending_for(self.request.user)

    def get_form(self, form_class=None):
        # Bound on every POST, even an empty one, so missing answers are reported.
        return ProfileForm(
            self.request.POST if self.request.method == "POST" else None,
            user=self.request.user,
            pending_request=self.pending_request,
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            pending_request=self.pending_request,
            roles=user.groups.all(),
            two_factor_offered=permissions.can_use_two_factor(user),
            two_factor_enabled=is_mfa_enabled(user),
            **kwargs,
        )

    def form_valid(self, form):
        pending = services.user_details_update(
            user=self.request.user,
            details=form.person_details(),
            agency=form.chosen_agency,
            unlisted=form.requested_agency,
        )
        if pending is None:
            messages.success(self.request, _("Your details have been saved."))
        else:
            messages.success(
                self.request,
                _("Your details have been saved. Your organisation changes only when the training team approves "
                  "your request."),
            )
        return redirect("accounts:profile")


class AgencyListView(StaffListView):
    table_class = AgencyTable
    title = _("Agencies")
    add_url_name = "accounts:agency_create"

    def get_queryset(self):
        return selectors.agency_list()


class AgencyCreateView(StaffFormView):
    form_class = AgencyForm
    model = Agency
    title = _("Add an agency")
    success_url_name = "accounts:agency_list"
    # Both decide what the agency's staff pay.
    audit = [
        (AuditEntry.Action.BAND_ASSIGNED, ["charging_band"]),
        (AuditEntry.Action.CONTRIBUTES_CHANGED, ["contributes"]),
    ]


class AgencyUpdateView(AgencyCreateView):
    title = _("Change an agency")


class AgencyRequestListView(StaffListView):
    table_class = AgencyRequestTable
    title = _("Organisation requests")

    def get_queryset(self):
        return selectors.agency_request_list()


class AgencyRequestDecideView(ProgrammeStaffRequiredMixin, FormView):
    template_name = "accounts/agencyrequest_decide.html"
    form_class = AgencyRequestDecisionForm

    @cached_property
    def agency_request(self):
        # Fetched only after the permission check, so nobody else learns which requests exist.
        return get_object_or_404(selectors.agency_request_list(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency_request": self.agency_request}

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency_request=self.agency_request, **kwargs)

    def form_valid(self, form):
        decision = form.cleaned_data["decision"]
        try:
            if decision == "decline":
                services.agency_request_decline(agency_request=self.agency_request, by=self.request.user)
                messages.success(self.request, _("The request was declined."))
            else:
                agency = services.agency_request_approve(
                    agency_request=self.agency_request,
                    by=self.request.user,
                    agency=form.cleaned_data["existing_agency"] if decision == "match" else None,
                    contributes=form.cleaned_data.get("contributes", False),
                )
                messages.success(
                    self.request,
                    _("Approved: %(user)s is now listed under %(agency)s.")
                    % {"user": self.agency_request.user, "agency": agency},
                )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return redirect("accounts:agency_request_list")
