"""The uptake dashboard and Training Summaries (PPT reviewers and training
administrators), and the history import (the staff area)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from core.csvimport import ImportRejected
from core.exports import SafeTableExport
from core.periods import Period, period_from_request

from . import permissions, selectors, services
from .charts import bar_chart
from .definitions import DEFINITIONS
from .forms import HistoryUploadForm, SummaryCoursesForm, UptakeFilterForm
from .models import HistoryImport, ReportRun
from .services.history_rows import COLUMNS as HISTORY_COLUMNS
from .tables import (
    AgencyUptakeTable,
    ContributionTable,
    CourseUptakeTable,
    NoShowTable,
    PriorityUptakeTable,
    RoleUptakeTable,
    SectorUptakeTable,
    UndersubscribedTable,
    YearOnYearTable,
)

FILTERS = ("course", "format", "priority", "sector", "agency")


def _require(condition):
    if not condition:
        raise PermissionDenied


# name: (table, the dashboard's rows for it, caption)
TABLES = {
    "year_on_year": (YearOnYearTable, lambda d: d.year_on_year, gettext_lazy("Year on year")),
    "courses": (CourseUptakeTable, lambda d: d.report.courses, gettext_lazy("Courses")),
    "agencies": (AgencyUptakeTable, lambda d: d.report.agencies, gettext_lazy("Attendance by agency")),
    "no_shows": (NoShowTable, lambda d: d.no_shows, gettext_lazy("Agencies whose delegates booked but did not come")),
    "sectors": (SectorUptakeTable, lambda d: d.report.sectors, gettext_lazy("Attendance by sector")),
    "contributions": (
        ContributionTable,
        lambda d: d.report.contributions,
        gettext_lazy("Contributing and non-contributing agencies"),
    ),
    "roles": (RoleUptakeTable, lambda d: d.report.roles, gettext_lazy("Attendance by job role")),
    "priorities": (PriorityUptakeTable, lambda d: d.report.priorities, gettext_lazy("Uptake by partnership priority")),
    "undersubscribed": (UndersubscribedTable, lambda d: d.undersubscribed, gettext_lazy("Under-subscribed sessions")),
}


def _query(request, period: Period) -> str:
    """The period and filters of this page as a query string, for download links."""
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    params.update({name: request.GET[name] for name in FILTERS if request.GET.get(name)})
    return urlencode(params)


def _charts(data) -> dict:
    report = data.report
    return {
        "sectors": bar_chart(
            [row for row in report.sectors if row["booked"] or row["booked_before"]],
            label="sector",
            series=[("attended", _("This period")), ("attended_before", _("Year before"))],
        ),
        "contributions": bar_chart(
            report.contributions, label="group", series=[("booked", _("Booked")), ("attended", _("Attended"))]
        ),
        "no_shows": bar_chart(data.no_shows[:10], label="agency", series=[("no_shows", _("No-shows"))]),
        "priorities": bar_chart(
            report.priorities,
            label="priority",
            series=[("attended", _("This period")), ("attended_before", _("Year before"))],
        ),
    }


def _table(request, name, data, *, export=False):
    """One of the dashboard's tables, sorted as the request asks (each table
    has its own prefix, so sorting one leaves the others alone)."""
    table_class, rows, _caption = TABLES[name]
    table = table_class(rows(data), prefix=f"{name}-")
    paginate = {"per_page": 25} if name == "undersubscribed" and not export else False
    RequestConfig(request, paginate=paginate).configure(table)
    return table


@login_required
@require_safe
def dashboard(request):
    """Uptake of a period against the year before: courses, agencies, sectors,
    contributing partners, job roles, priorities and under-subscribed
    sessions, each table sortable and downloadable, with charts."""
    _require(permissions.can_view_uptake_reports(request.user))
    period, period_form = period_from_request(request)
    filter_form = UptakeFilterForm(request.GET, choices=selectors.filter_choices())
    context = {"form": period_form, "filter_form": filter_form, "period": period, "definitions": DEFINITIONS}
    if period is None or not filter_form.is_valid():
        return render(request, "reports/dashboard.html", context)
    data = selectors.uptake_dashboard(period, filter_form.filters())
    export_format, wanted = request.GET.get("_export"), request.GET.get("_table")
    if TableExport.is_valid_format(export_format) and wanted in TABLES:
        exporter = SafeTableExport(
            export_format,
            _table(request, wanted, data, export=True),
            dataset_kwargs={"title": str(TABLES[wanted][2])[:31]},
        )
        return exporter.response(filename=f"uptake-{wanted.replace('_', '-')}-{period.slug}.{export_format}")
    context.update(
        {
            "data": data,
            "totals": data.report.totals,
            "previous": data.report.previous,
            "tables": {name: _table(request, name, data) for name in TABLES},
            "captions": {name: caption for name, (_class, _rows, caption) in TABLES.items()},
            "charts": _charts(data),
            "query": _query(request, period),
            "chosen": filter_form.chosen(),
        }
    )
    return render(request, "reports/dashboard.html", context)


# --- the annual Training Summary -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def summary_request(request):
    """Choose a period and the courses that get a page, then make the PDF in the background."""
    _require(permissions.can_view_uptake_reports(request.user))
    period, period_form = period_from_request(request)
    courses = selectors.uptake_report(period).courses if period else []
    form = SummaryCoursesForm(
        request.POST if request.method == "POST" else None,
        courses=courses,
        initial={"courses": [row["course_id"] for row in courses]},
    )
    if request.method == "POST" and period is not None and form.is_valid():
        run = services.report_run_request(period=period, course_ids=form.cleaned_data["courses"], by=request.user)
        return redirect("reports:run_detail", pk=run.pk)
    return render(
        request,
        "reports/summary_request.html",
        {
            "form": form,
            "period_form": period_form,
            "period": period,
            "courses": courses,
            "runs": selectors.recent_report_runs(),
        },
    )


def _run(request, pk) -> ReportRun:
    _require(permissions.can_view_uptake_reports(request.user))
    return get_object_or_404(ReportRun, pk=pk)


def _run_state(run: ReportRun) -> dict:
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "progress": run.progress,
        "stage": run.stage,
        "download_url": reverse("reports:run_download", args=[run.pk]) if run.status == ReportRun.Status.DONE else None,
    }


@login_required
@require_safe
def run_detail(request, pk):
    """How far the PDF has got (the page asks again every few seconds) and, when ready, the download."""
    run = _run(request, pk)
    return render(request, "reports/run_detail.html", {"run": run, "state": _run_state(run)})


@login_required
@require_safe
def run_status(request, pk):
    return JsonResponse(_run_state(_run(request, pk)))


@login_required
@require_safe
def run_download(request, pk):
    """The PDF, as an attachment, to those who may see uptake reports; it is never served from MEDIA_URL."""
    run = _run(request, pk)
    if run.status != ReportRun.Status.DONE or not run.file:
        raise Http404("Not ready")
    return FileResponse(
        run.file.open("rb"), as_attachment=True, filename=run.download_name, content_type="application/pdf"
    )


# --- the history import (staff area) ------------------------------------------------------------


def _staff(request):
    _require(permissions.can_import_history(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def history_import(request):
    """Upload a spreadsheet of past years. What costs little is checked here
    (name, size, columns, rows); a task checks every row while the import's
    page shows how far it has got."""
    _staff(request)
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.history_import_upload(filename=upload.name, data=upload.read(), by=request.user)
        except ImportRejected as error:
            form.add_error("file", error.message)
        else:
            return redirect("reports:history_import_preview", pk=record.pk)
    return render(
        request,
        "reports/history_import.html",
        {
            "form": form,
            "imports": selectors.recent_history_imports(),
            "sectors": selectors.sector_slugs(),
            "columns": HISTORY_COLUMNS,
            "row_limit": settings.HISTORY_IMPORT_MAX_ROWS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def history_import_preview(request, pk):
    """An import's page: how far its check has got; then what the file will
    do, and a button to import it (in the background too); or why it cannot
    be imported; once imported, what it did."""
    _staff(request)
    record = get_object_or_404(HistoryImport.objects.defer("content"), pk=pk)
    if request.method == "POST":
        services.history_import_confirm(history_import=record)
        return redirect("reports:history_import_preview", pk=record.pk)
    return render(
        request,
        "reports/history_import_preview.html",
        {"record": record, "plan": record.summary},
    )
