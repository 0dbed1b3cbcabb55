"""Tables of the finance pages and the charging bands, fed by payments.selectors.
Money shows as £1,250.00 on the page and exports as a number of pounds (1250.00)
that a spreadsheet can add up."""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.money import pounds
from courses.models import CourseFormat

from .models import Charge, ChargingBand, Invoice

YES_NO = (_("Yes"), _("No"))


class MoneyColumn(tables.Column):
    def render(self, value):
        return pounds(value)

    def value(self, value):
        return Decimal(value or 0).scaleb(-2)


class MoneyTable(tables.Table):
    """The four figures the finance summary gives for each row."""

    received_pence = MoneyColumn(verbose_name=_("Received"))
    outstanding_pence = MoneyColumn(verbose_name=_("Outstanding"))
    refunded_pence = MoneyColumn(verbose_name=_("Refunded"))
    waived_pence = MoneyColumn(verbose_name=_("Waived"))

    class Meta:
        orderable = False
        empty_text = _("No charges for training in this period.")


class SectorIncomeTable(MoneyTable):
    sector = tables.Column(verbose_name=_("Sector"), default=_("No organisation"))

    class Meta(MoneyTable.Meta):
        sequence = ["sector", "..."]


class AgencyIncomeTable(MoneyTable):
    agency = tables.Column(verbose_name=_("Agency"), default=_("No organisation"))
    sector = tables.Column(verbose_name=_("Sector"), default="")
    contributes = tables.BooleanColumn(verbose_name=_("Contributes"), yesno=YES_NO)

    class Meta(MoneyTable.Meta):
        sequence = ["agency", "sector", "contributes", "..."]


class CourseIncomeTable(MoneyTable):
    course = tables.Column(verbose_name=_("Course"))
    format = tables.Column(verbose_name=_("Format"))

    class Meta(MoneyTable.Meta):
        sequence = ["course", "format", "..."]

    def render_format(self, value):
        return CourseFormat(value).label


class InvoiceTable(tables.Table):
    reference = tables.LinkColumn(
        "payments:invoice_detail",
        args=[tables.A("pk")],
        verbose_name=_("Number"),
        text=lambda invoice: invoice.reference,
    )
    buyer_name = tables.Column(verbose_name=_("Organisation"))
    purchase_order = tables.Column(verbose_name=_("Purchase order"))
    issued_at = tables.DateTimeColumn(format="j M Y", verbose_name=_("Issued"))
    due_on = tables.DateColumn(format="j M Y", verbose_name=_("Due"))
    total_pence = MoneyColumn(verbose_name=_("Total"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Invoice
        fields = ["reference", "kind", "buyer_name", "purchase_order", "issued_at", "due_on", "total_pence", "status"]
        orderable = False
        empty_text = _("No invoices match.")


class FeeTable(tables.Table):
    delegate = tables.Column(accessor="booking__user", verbose_name=_("Delegate"))
    agency = tables.Column(accessor="booking__user__agency", verbose_name=_("Agency"), default="")
    session = tables.Column(accessor="booking__session", verbose_name=_("Session"))
    kind = tables.Column(verbose_name=_("Fee"))
    amount_pence = MoneyColumn(verbose_name=_("Amount"))
    status = tables.Column(verbose_name=_("Status"))
    waived_reason = tables.Column(verbose_name=_("Reason waived"), default="")
    waive = tables.Column(verbose_name=_("Action"), empty_values=(), exclude_from_export=True)

    class Meta:
        model = Charge
        fields = ["delegate", "agency", "session", "kind", "amount_pence", "status", "waived_reason"]
        orderable = False
        empty_text = _("No fees match.")

    def render_waive(self, record):
        if record.status != Charge.Status.INVOICED:
            return ""
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            reverse("payments:fee_waive", args=[record.pk]),
            _("Waive"),
            _("the fee for %(person)s") % {"person": record.booking.user},
        )


class RateColumn(tables.Column):
    """One course format's price and fee in a band (from the prefetched rates)."""

    def __init__(self, format_, **kwargs):
        self.format = format_
        super().__init__(accessor="pk", orderable=False, **kwargs)

    def render(self, record):
        rate = next((rate for rate in record.rates.all() if rate.format == self.format), None)
        if rate is None:
            return _("Not set")
        return _("%(price)s, fee %(fee)s") % {"price": pounds(rate.price_pence), "fee": pounds(rate.fee_pence)}


class BandTable(tables.Table):
    name = tables.LinkColumn("payments:band_update", args=[tables.A("pk")], verbose_name=_("Band"))
    invoicing_allowed = tables.BooleanColumn(verbose_name=_("Invoices"), yesno=YES_NO)
    agency_count = tables.Column(verbose_name=_("Agencies with it as their own band"))

    class Meta:
        model = ChargingBand
        fields = ["name", "invoicing_allowed"]
        sequence = ["name", "invoicing_allowed", "...", "agency_count"]
        orderable = False

    def __init__(self, *args, **kwargs):
        rates = [
            (f"rate_{format_}", RateColumn(format_, verbose_name=label)) for format_, label in CourseFormat.choices
        ]
        super().__init__(*args, extra_columns=rates, **kwargs)
