from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableView

from accounts import permissions


class ProgrammeStaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Training administrators only: others get a log-in page or 403."""

    raise_exception = False

    def test_func(self):
        return permissions.can_manage_programme(self.request.user)

    def handle_no_permission(self):
        self.raise_exception = self.request.user.is_authenticated
        return super().handle_no_permission()


class StaffHomeView(ProgrammeStaffRequiredMixin, TemplateView):
    template_name = "core/staff_home.html"

    def get_context_data(self, **kwargs):
        from accounts.selectors import agency_request_pending_count

        return super().get_context_data(pending_requests=agency_request_pending_count(), **kwargs)


class StaffListView(ProgrammeStaffRequiredMixin, SingleTableView):
    """A table of one kind of record in the staff area, with an "add" link."""

    template_name = "core/staff_list.html"
    paginate_by = 50
    title = ""
    add_url_name = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, add_url_name=self.add_url_name, **kwargs)


class StaffFormView(ProgrammeStaffRequiredMixin, FormView):
    """Add or change one record from the staff area. The form is a ModelForm;
    the save happens in one transaction."""

    template_name = "core/staff_form.html"
    title = ""
    success_url_name = None
    model = None

    def get_object(self):
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url_name=self.success_url_name, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            record = form.save()
        messages.success(self.request, _("Saved “%(record)s”.") % {"record": record})
        return redirect(self.success_url_name)
