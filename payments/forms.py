from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from courses.models import CourseFormat

from .models import Charge, ChargingBand, Invoice

MAX_PENCE = 10_000_000  # £100,000: far above any fee, far below the column's limit


def pence_as_pounds(pence: int | None) -> str:
    """50.00 for 5000: how an amount is shown in a form field."""
    return "" if pence is None else f"{pence // 100}.{pence % 100:02d}"


class PoundsField(forms.Field):
    """An amount typed in pounds and pence ("50", "50.00", "£1,250.50"),
    cleaned to whole pence. `what` names the amount in the error messages."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})

    def __init__(self, *, what, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "required": _("Enter %(what)s, or 0 if there is none") % {"what": what},
                "invalid": _("Enter %(what)s in pounds and pence, like 50.00") % {"what": what},
                "negative": _("%(what)s must be £0 or more") % {"what": str(what).capitalize()},
                "decimals": _("Enter %(what)s with no more than 2 numbers after the decimal point, like 50.00")
                % {"what": what},
                "too_large": _("%(what)s must be £100,000 or less") % {"what": str(what).capitalize()},
            }
        )

    def to_python(self, value):
        text = str(value or "").replace("£", "").replace(",", "").strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not amount.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if amount < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")
        # Compared before any arithmetic, which a huge number would overflow.
        if amount > Decimal(MAX_PENCE) / 100:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        if amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(self.error_messages["decimals"], code="decimals")
        return int(amount * 100)


class BandForm(forms.Form):
    """A charging band and, for each course format, the price of a place and
    the late-cancellation or no-show fee."""

    name = forms.CharField(label=_("Name"), max_length=100, error_messages={"required": _("Enter the band's name")})
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Who is in this band, for the training team's reference."),
    )
    invoicing_allowed = forms.BooleanField(
        label=_("Organisations may ask for an invoice"),
        required=False,
        help_text=_("If not, delegates in this band pay by card when they book."),
    )

    def __init__(self, *args, instance: ChargingBand | None = None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        rates = {rate.format: rate for rate in instance.rates.all()} if instance else {}
        if instance:
            self.initial.update(
                name=instance.name, description=instance.description, invoicing_allowed=instance.invoicing_allowed
            )
        else:
            self.initial.setdefault("invoicing_allowed", True)
        for format_, label in CourseFormat.choices:
            rate = rates.get(format_)
            lowered = str(label).lower()
            self.fields[f"price_{format_}"] = PoundsField(
                label=_("Price of a place (£)"), what=_("the price of a %(format)s place") % {"format": lowered}
            )
            self.fields[f"fee_{format_}"] = PoundsField(
                label=_("Late-cancellation or no-show fee (£)"),
                what=_("the %(format)s late-cancellation or no-show fee") % {"format": lowered},
            )
            if rate:
                self.initial.setdefault(f"price_{format_}", pence_as_pounds(rate.price_pence))
                self.initial.setdefault(f"fee_{format_}", pence_as_pounds(rate.fee_pence))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = ChargingBand.objects.exclude(pk=self.instance.pk if self.instance else None)
        if others.filter(name__iexact=name).exists():
            raise ValidationError(_("A band called “%(name)s” already exists. Choose another name") % {"name": name})
        if not slugify(name):
            raise ValidationError(_("The band's name must contain letters or numbers"))
        return name

    def format_fields(self):
        """(format label, price field, fee field) for each course format, for the template."""
        return [(label, self[f"price_{format_}"], self[f"fee_{format_}"]) for format_, label in CourseFormat.choices]

    def band_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "invoicing_allowed": data["invoicing_allowed"],
            "rates": {format_: (data[f"price_{format_}"], data[f"fee_{format_}"]) for format_ in CourseFormat.values},
        }


FREE_CHOICE = ("", _("None: free"))


class SectorBandsForm(forms.Form):
    """Each sector's default band, which its non-contributing agencies pay
    unless an agency has a band of its own."""

    def __init__(self, *args, sectors, bands, **kwargs):
        super().__init__(*args, **kwargs)
        self.sectors = list(sectors)
        self._bands = {str(band.pk): band for band in bands}
        choices = [FREE_CHOICE, *((pk, band.name) for pk, band in self._bands.items())]
        for sector in self.sectors:
            self.fields[f"sector_{sector.pk}"] = forms.ChoiceField(
                label=sector.name,
                choices=choices,
                required=False,
                initial=str(sector.default_band_id or ""),
                error_messages={"invalid_choice": _("Select a band from the list")},
            )

    def bands(self) -> dict:
        """{sector: band or None} from the cleaned form."""
        return {sector: self._bands.get(self.cleaned_data[f"sector_{sector.pk}"]) for sector in self.sectors}


def _status_choices(model_status, everything):
    return [("", everything), *model_status.choices]


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_status_choices(Invoice.Status, _("Any status"))
    )
    kind = forms.ChoiceField(
        label=_("Invoices or credit notes"), required=False, choices=[("", _("Both")), *Invoice.Kind.choices]
    )


class FeeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_status_choices(Charge.Status, _("Any status"))
    )


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the fee waived?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, the delegate was ill or had a family emergency. Finance and auditors see this."),
        error_messages={
            "required": _("Enter why the fee is waived"),
            "max_length": _("The reason must be 300 characters or fewer"),
        },
    )
