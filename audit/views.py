from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from accounts import permissions

from . import selectors
from .forms import AuditFilterForm
from .tables import AuditEntryTable

PER_PAGE = 50


@login_required
@require_safe
def entry_list(request):
    """The audit log, newest first, for the training team and finance. Read only."""
    if not permissions.can_read_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    table = AuditEntryTable(selectors.audit_entries(**form.filters()))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "audit/entry_list.html", {"form": form, "table": table})
