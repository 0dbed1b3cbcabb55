from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableView

from accounts import permissions
from audit.services import audit_changes, audit_snapshot

from . import selectors
from .tables import FailedEmailTable


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

        return super().get_context_data(
            pending_requests=agency_request_pending_count(), failed_emails=selectors.emails_failed().count(), **kwargs
        )


class StaffListView(ProgrammeStaffRequiredMixin, SingleTableView):
    """A table of one kind of record in the staff area, with an "add" link."""

    template_name = "core/staff_list.html"
    paginate_by = 50
    title = ""
    add_url_name = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, add_url_name=self.add_url_name, **kwargs)


class FailedEmailListView(StaffListView):
    """E-mails that never reached their recipients, for the training team to follow up."""

    table_class = FailedEmailTable
    title = gettext_lazy("E-mails that could not be sent")

    def get_queryset(self):
        return selectors.emails_failed()


class StaffFormView(ProgrammeStaffRequiredMixin, FormView):
    """Add or change one record from the staff area. The form is a ModelForm;
    the save happens in one transaction."""

    template_name = "core/staff_form.html"
    title = ""
    success_url_name = None
    model = None
    # Called with the saved record inside the same transaction, for follow-on
    # rules (e.g. offering new places on a session to its waiting list).
    on_save = None
    # [(audit action, field names), ...]: changes to these fields go in the
    # audit log in the same transaction, one entry for each action that has a
    # change (e.g. a course's price; an agency's band and its contribution).
    audit = ()

    def get_object(self):
        """The record to change, or None on an "add" page."""
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url_name=self.success_url_name, **kwargs)

    def _audited_before(self, instance) -> dict:
        """Each action's audited fields as stored before this save (a new record: its defaults)."""
        if not self.audit:
            return {}
        stored = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
        return {action: audit_snapshot(stored or type(instance)(), fields) for action, fields in self.audit}

    def form_valid(self, form):
        with transaction.atomic():
            before = self._audited_before(form.instance)
            record = form.save()
            for action, fields in self.audit:
                audit_changes(
                    actor=self.request.user, action=action, target=record, before=before[action],
                    after=audit_snapshot(record, fields),
                )
            if self.on_save:
                self.on_save(record)
        messages.success(self.request, _("Saved “%(record)s”.") % {"record": record})
        return redirect(self.success_url_name)


def staff_record_urls(
    *, prefix, name, app, form_class, table_class, queryset, plural, add_title, change_title, on_save=None, audit=()
):
    """The staff area's list, add and change pages for one kind of record, named
    `<app>:<name>_list`, `_create` and `_update`."""
    list_name, create_name, update_name = f"{name}_list", f"{name}_create", f"{name}_update"
    form_view = {
        "form_class": form_class,
        "model": form_class._meta.model,
        "success_url_name": f"{app}:{list_name}",
        "on_save": on_save,
        "audit": audit,
    }
    return [
        path(
            prefix,
            StaffListView.as_view(
                table_class=table_class, queryset=queryset, title=plural, add_url_name=f"{app}:{create_name}"
            ),
            name=list_name,
        ),
        path(f"{prefix}new/", StaffFormView.as_view(title=add_title, **form_view), name=create_name),
        path(f"{prefix}<int:pk>/", StaffFormView.as_view(title=change_title, **form_view), name=update_name),
    ]
