"""The finance pages (finance role), fee waivers (the business unit), uptake
against income (PPT subgroup) and charging bands (training administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView
from django_tables2 import RequestConfig

from accounts import permissions
from audit.services import personal_data_export_record
from core.exceptions import DomainError
from core.exports import SafeTableExport
from core.http import not_found_for
from core.periods import period_from_request
from core.views import ProgrammeStaffRequiredMixin, StaffFormView, StaffListView

from . import selectors, services
from .forms import BandForm, FeeFilterForm, InvoiceFilterForm, SectorBandsForm, WaiveForm
from .models import ChargingBand
from .pdf import invoice_pdf
from .tables import AgencyIncomeTable, BandTable, CourseIncomeTable, FeeTable, InvoiceTable, SectorIncomeTable

PER_PAGE = 50


def _require(condition):
    if not condition:
        raise PermissionDenied


BREAKDOWNS = {
    "sector": (SectorIncomeTable, selectors.finance_by_sector, gettext_lazy("By sector")),
    "agency": (AgencyIncomeTable, selectors.finance_by_agency, gettext_lazy("By agency")),
    "course": (CourseIncomeTable, selectors.finance_by_course, gettext_lazy("By course")),
}


@login_required
def finance_summary(request):
    """Income, outstanding, refunds and waivers for training held in a period,
    in total and by sector, agency and course; each table exports as CSV or XLSX."""
    _require(permissions.can_view_finance(request.user))
    period, form = period_from_request(request)
    context = {"form": form, "period": period}
    if period is not None:
        export_format, wanted = request.GET.get("_export"), request.GET.get("_table")
        if SafeTableExport.is_valid_format(export_format) and wanted in BREAKDOWNS:
            table_class, rows, caption = BREAKDOWNS[wanted]
            exporter = SafeTableExport(export_format, table_class(rows(period)), dataset_kwargs={"title": str(caption)})
            return exporter.response(filename=f"income-by-{wanted}-{period.slug}.{export_format}")
        context["totals"] = selectors.finance_totals(period)
        context["breakdowns"] = [
            {"name": name, "caption": caption, "table": table_class(rows(period))}
            for name, (table_class, rows, caption) in BREAKDOWNS.items()
        ]
    return render(request, "payments/finance_summary.html", context)


@login_required
def finance_uptake(request):
    """Contributing and non-contributing agencies side by side: places taken,
    attendance and income, for the PPT subgroup."""
    _require(permissions.can_view_uptake_vs_income(request.user))
    period, form = period_from_request(request)
    groups = selectors.uptake_vs_income(period) if period is not None else []
    return render(request, "payments/finance_uptake.html", {"form": form, "period": period, "groups": groups})


@login_required
def invoice_list(request):
    _require(permissions.can_view_finance(request.user))
    form = InvoiceFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    table = InvoiceTable(selectors.invoice_list(**filters))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "payments/invoice_list.html", {"form": form, "table": table})


def _invoice(request, pk):
    """An invoice, for finance; to anyone else it does not exist (404, logged)."""
    invoice = selectors.invoice_for_finance(pk)
    if not permissions.can_view_finance(request.user):
        raise not_found_for(request.user, "invoice", invoice.pk)
    return invoice


@login_required
def invoice_detail(request, pk):
    return render(request, "payments/invoice_detail.html", {"invoice": _invoice(request, pk)})


@login_required
def invoice_download(request, pk):
    invoice = _invoice(request, pk)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    personal_data_export_record(
        by=request.user, target=invoice, what=_("Invoice (PDF)"), rows=len(invoice.lines.all())
    )
    response["Content-Disposition"] = f'attachment; filename="{invoice.reference}.pdf"'
    return response


@login_required
@require_POST
def invoice_mark_paid(request, pk):
    invoice = _invoice(request, pk)
    try:
        services.invoice_mark_paid(invoice=invoice, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(reference)s is marked as paid.") % {"reference": invoice.reference})
    return redirect("payments:invoice_detail", pk=invoice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_cancel(request, pk):
    """Asks first; then cancels the invoice with a credit note e-mailed to the
    billing contact."""
    invoice = _invoice(request, pk)
    if request.method == "POST":
        try:
            credit = services.invoice_cancel(invoice=invoice, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(reference)s is cancelled. Credit note %(credit)s has been e-mailed to %(email)s.")
                % {"reference": invoice.reference, "credit": credit.reference, "email": credit.billing_contact_email},
            )
        return redirect("payments:invoice_detail", pk=invoice.pk)
    return render(request, "payments/invoice_cancel.html", {"invoice": invoice})


@login_required
def fee_list(request):
    _require(permissions.can_waive_fees(request.user))
    form = FeeFilterForm(request.GET)
    table = FeeTable(selectors.fee_list(**(form.cleaned_data if form.is_valid() else {})))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "payments/fee_list.html", {"form": form, "table": table})


@login_required
@require_http_methods(["GET", "POST"])
def fee_waive(request, pk):
    _require(permissions.can_waive_fees(request.user))
    fee = selectors.fee_for_waiver(pk)
    form = WaiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.charge_waive(charge=fee, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The fee is waived. A credit note has been e-mailed to the organisation."))
            return redirect("payments:fee_list")
    return render(request, "payments/fee_waive.html", {"fee": fee, "form": form})


# Charging bands, in the staff area


class BandListView(StaffListView):
    table_class = BandTable
    title = gettext_lazy("Charging bands")
    add_url_name = "payments:band_create"
    template_name = "payments/band_list.html"

    def get_queryset(self):
        return selectors.band_list()


class BandCreateView(StaffFormView):
    form_class = BandForm
    model = ChargingBand
    title = gettext_lazy("Add a charging band")
    success_url_name = "payments:band_list"
    template_name = "payments/band_form.html"

    def form_valid(self, form):
        try:
            band = services.band_save(band=form.instance, by=self.request.user, **form.band_data())
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved “%(band)s”. Bookings already made keep their price.") % {"band": band})
        return redirect(self.success_url_name)


class BandUpdateView(BandCreateView):
    title = gettext_lazy("Change a charging band")


class SectorBandsView(ProgrammeStaffRequiredMixin, FormView):
    form_class = SectorBandsForm
    template_name = "payments/sector_bands.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "sectors": selectors.sector_band_list(),
            "bands": ChargingBand.objects.all(),
        }

    def form_valid(self, form):
        changed = services.sector_default_bands_set(bands=form.bands(), by=self.request.user)
        message = ngettext("Saved: %(n)s sector changed band.", "Saved: %(n)s sectors changed band.", changed)
        messages.success(self.request, message % {"n": changed})
        return redirect("payments:band_list")
