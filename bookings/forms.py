from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, JobRole, User
from core.money import pounds
from core.widgets import LongSelect
from courses.models import Session

from .models import Booking, NonAttendanceReason


class BookingForm(forms.Form):
    """Additional requirements asked for when booking."""

    NEEDS = [
        ("needs_step_free_access", _("Step-free access")),
        ("needs_bsl_interpreter", _("A British Sign Language (BSL) interpreter")),
        ("needs_hearing_loop", _("A hearing loop")),
    ]

    needs = forms.MultipleChoiceField(
        label=_("Do you need any of these?"),
        choices=NEEDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )
    dietary_requirements = forms.CharField(label=_("Dietary requirements"), max_length=300, required=False)
    requirements = forms.CharField(
        label=_("Anything else we should know to help you take part?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, price=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.price = price
        if price is not None and price.is_chargeable:
            self._add_payment_fields(price)

    def _add_payment_fields(self, price):
        """Chargeable agencies choose how to pay; the amount always comes from
        our records, never from the form."""
        amount = pounds(price.price_pence)
        choices = [("card", _("Pay by card now (%(amount)s)") % {"amount": amount})]
        if price.invoicing_allowed:
            choices.append(("invoice", _("Invoice my organisation (%(amount)s)") % {"amount": amount}))
        self.fields["payment_method"] = forms.ChoiceField(
            label=_("How will you pay?"),
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose how to pay"), "invalid_choice": _("Choose how to pay")},
        )
        if not price.invoicing_allowed:
            return
        self.fields["purchase_order"] = forms.CharField(
            label=_("Purchase order number, if your organisation uses them"), max_length=100, required=False
        )
        self.fields["billing_contact_name"] = forms.CharField(
            label=_("Name of the person who pays invoices"), max_length=200, required=False
        )
        self.fields["billing_contact_email"] = forms.EmailField(
            label=_("Their email address"),
            required=False,
            error_messages={"invalid": _("Enter an email address in the correct format, like name@example.org")},
        )
        for name in ("purchase_order", "billing_contact_name", "billing_contact_email"):
            self.fields[name].conditional = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("payment_method") == "invoice":
            if not cleaned.get("billing_contact_name", "").strip():
                self.add_error("billing_contact_name", _("Enter the name of the person who pays invoices"))
            if not cleaned.get("billing_contact_email"):
                self.add_error("billing_contact_email", _("Enter the email address invoices should go to"))
        return cleaned

    def payment_terms(self):
        """Keyword arguments for booking_create about paying."""
        names = ("payment_method", "purchase_order", "billing_contact_name", "billing_contact_email")
        return {name: self.cleaned_data.get(name) or "" for name in names if name in self.fields}

    def needs_dict(self):
        chosen = set(self.cleaned_data["needs"])
        return {name: name in chosen for name, _label in self.NEEDS} | {
            "dietary_requirements": self.cleaned_data["dietary_requirements"].strip()
        }


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name()} ({user.email})"


class CoordinatorBookingForm(BookingForm):
    """A coordinator books a colleague from their own agency."""

    colleague = ColleagueChoiceField(
        label=_("Colleague"),
        queryset=User.objects.none(),
        empty_label=_("Choose a colleague"),
        error_messages={
            "required": _("Choose the colleague to book"),
            "invalid_choice": _("Choose a colleague from your agency"),
        },
    )
    field_order = ["colleague", "needs", "dietary_requirements", "requirements"]

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = User.objects.filter(agency=agency, is_active=True).order_by(
            "last_name", "first_name"
        )


class SubstituteForm(forms.Form):
    colleague_email = forms.EmailField(
        label=_("Your colleague's email address"),
        help_text=_("They must have an account and work for the same agency."),
        error_messages={
            "required": _("Enter your colleague's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.booking = booking

    def clean_colleague_email(self):
        email = self.cleaned_data["colleague_email"].lower()
        colleague = User.objects.filter(
            email__iexact=email, agency_id=self.booking.user.agency_id, is_active=True
        ).first()
        if colleague is None:
            raise forms.ValidationError(_("We could not find a colleague with that email address in your agency."))
        self.colleague = colleague
        return email


class MoveForm(forms.Form):
    to_session = forms.ModelChoiceField(
        label=_("Move to session"),
        queryset=Session.objects.none(),
        empty_label=_("Choose a session"),
        error_messages={"required": _("Choose the session to move to")},
    )

    def __init__(self, *args, booking: Booking, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_session"].queryset = sessions


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the session cancelled?"),
        max_length=300,
        help_text=_(
            "For example, “cancelled by the trainer due to service pressures”. "
            "Delegates see this, and the annual report quotes it."
        ),
        error_messages={"required": _("Enter the reason for cancelling")},
    )


class NonAttendanceReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why could you not attend?"),
        choices=NonAttendanceReason.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a reason")},
    )
    details = forms.CharField(
        label=_("Tell us more"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class WalkInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter the delegate's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, error_messages={"required": _("Enter the delegate's first name")}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, error_messages={"required": _("Enter the delegate's last name")}
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose their agency"),
        widget=LongSelect,
    )
    job_role = forms.ChoiceField(
        label=_("Job role"), choices=[("", _("Choose their job role")), *JobRole.choices], required=False
    )
