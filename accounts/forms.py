from allauth.account import forms as allauth_forms
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.widgets import LongSelect

from .models import Agency, AgencyRequest, JobRole, Sector, User
from .selectors import user_email_addresses

NOT_LISTED = "not_listed"


class AgencyChoiceMixin(forms.Form):
    """The agency picker shared by sign-up and the profile: the partnership's
    list grouped by sector, or "my organisation is not listed" with its name
    and sector, which becomes a request for the training administrator."""

    agency_choice = forms.ChoiceField(
        label=_("Your organisation"),
        help_text=_(
            "Choose from the partnership's list. If it is not there, choose "
            "“My organisation is not listed” and tell us its name and sector."
        ),
        error_messages={
            "required": _("Select your organisation"),
            "invalid_choice": _("Select your organisation from the list, or choose “My organisation is not listed”"),
        },
        widget=LongSelect,
    )
    new_agency_name = forms.CharField(
        label=_("Organisation name, if not listed"),
        max_length=200,
        required=False,
    )
    new_agency_sector = forms.ModelChoiceField(
        label=_("Organisation sector, if not listed"),
        queryset=Sector.objects.all(),
        required=False,
        empty_label=_("Choose a sector"),
        error_messages={"invalid_choice": _("Select a sector from the list")},
    )

    def __init__(self, *args, current_agency: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency_choice"].choices = self._agency_choices(current_agency)
        self.fields["new_agency_name"].conditional = True
        self.fields["new_agency_sector"].conditional = True

    @staticmethod
    def _agency_choices(current_agency: Agency | None):
        # The person's own agency stays choosable (so their details can be saved)
        # even once it is no longer shown in the list.
        listed = Agency.objects.filter(Q(is_active=True) | Q(pk=getattr(current_agency, "pk", None)))
        groups = {}
        for agency in listed.select_related("sector"):
            groups.setdefault(agency.sector.name, []).append((str(agency.pk), agency.name))
        return [
            ("", _("Choose your organisation")),
            *sorted(groups.items()),
            (NOT_LISTED, _("My organisation is not listed")),
        ]

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("agency_choice")
        if choice == NOT_LISTED:
            if not cleaned.get("new_agency_name", "").strip():
                self.add_error("new_agency_name", _("Enter the name of your organisation"))
            if not cleaned.get("new_agency_sector"):
                self.add_error("new_agency_sector", _("Select your organisation's sector"))
        elif choice:
            cleaned["agency"] = Agency.objects.get(pk=int(choice))
        return cleaned

    @property
    def chosen_agency(self):
        return self.cleaned_data.get("agency")

    @property
    def requested_agency(self):
        """(name, sector) when the user asked for an unlisted organisation."""
        if self.cleaned_data.get("agency_choice") == NOT_LISTED:
            return self.cleaned_data["new_agency_name"].strip(), self.cleaned_data["new_agency_sector"]
        return None


class PersonDetailsMixin(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=150, error_messages={"required": _("Enter your first name")}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, error_messages={"required": _("Enter your last name")}
    )
    job_role = forms.ChoiceField(
        label=_("Job role"),
        choices=[("", _("Choose your job role")), *JobRole.choices],
        error_messages={"required": _("Select your job role"), "invalid_choice": _("Select a job role from the list")},
    )
    line_manager_name = forms.CharField(
        label=_("Line manager's name"),
        max_length=200,
        error_messages={"required": _("Enter your line manager's name")},
    )
    line_manager_email = forms.EmailField(
        label=_("Line manager's email address"),
        help_text=_("We ask your line manager to approve some bookings and may copy them on follow-up evaluations."),
        error_messages={
            "required": _("Enter your line manager's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )

    def person_details(self):
        fields = ("first_name", "last_name", "job_role", "line_manager_name", "line_manager_email")
        return {name: self.cleaned_data[name] for name in fields}

    def account_email_addresses(self) -> set[str]:
        """The person's own addresses, lower-cased. At sign-up, the one they sign
        up with; the profile form adds every address of the account."""
        email = self.cleaned_data.get("email") or ""
        return {email.lower()} if email else set()

    def clean(self):
        # The line manager approves some places: the person must not be able to
        # approve their own by giving one of their addresses (issue 12, item 9).
        cleaned = super().clean()
        line_manager_email = cleaned.get("line_manager_email") or ""
        if line_manager_email and line_manager_email.lower() in self.account_email_addresses():
            self.add_error("line_manager_email", _("Your line manager's email address must not be your own"))
        return cleaned


class SignupForm(PersonDetailsMixin, AgencyChoiceMixin):
    """Extra sign-up fields; allauth adds e-mail and password to these and calls
    `signup()` after creating the user."""

    field_order = [
        "email",
        "first_name",
        "last_name",
        "job_role",
        "agency_choice",
        "new_agency_name",
        "new_agency_sector",
        "line_manager_name",
        "line_manager_email",
        "password1",
        "password2",
    ]

    def signup(self, request, user):
        from .services import user_signup_complete

        user_signup_complete(
            user=user, details=self.person_details(), agency=self.chosen_agency, unlisted=self.requested_agency
        )


class ProfileForm(PersonDetailsMixin, AgencyChoiceMixin):
    """A person's own details. The organisation shown is the one they have, or
    the one they asked for while that request waits: choosing another makes a
    request for staff to decide (see services.user_details_update)."""

    def __init__(self, *args, user: User, pending_request: AgencyRequest | None = None, **kwargs):
        initial = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_role": user.job_role,
            "line_manager_name": user.line_manager_name,
            "line_manager_email": user.line_manager_email,
            "agency_choice": str(user.agency_id) if user.agency_id else "",
        }
        if pending_request is not None and pending_request.is_unlisted:
            initial.update(
                agency_choice=NOT_LISTED,
                new_agency_name=pending_request.name,
                new_agency_sector=pending_request.sector_id,
            )
        elif pending_request is not None:
            initial["agency_choice"] = str(pending_request.requested_agency_id)
        super().__init__(*args, initial=initial, current_agency=user.agency, **kwargs)
        self.fields["agency_choice"].help_text = _(
            "To change your organisation, choose it (or “My organisation is not listed”): the training team "
            "confirms the change before it takes effect."
        )
        self.user = user

    def account_email_addresses(self) -> set[str]:
        return user_email_addresses(self.user)


class AgencyRequestDecisionForm(forms.Form):
    """A training administrator's decision. An unlisted organisation is added
    as a new agency or matched to a listed one; a move to a listed agency is
    approved as asked. Either may be declined."""

    DECISIONS = [
        ("create", _("Approve: add it as a new agency")),
        ("match", _("Approve: it is the same as an agency already listed")),
        ("decline", _("Decline the request")),
    ]
    LISTED_DECISIONS = [
        ("approve", _("Approve: move them to this agency")),
        ("decline", _("Decline the request: they stay where they are")),
    ]

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a decision")},
    )
    existing_agency = forms.ModelChoiceField(
        label=_("Agency already listed"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=_("Choose an agency"),
        widget=LongSelect,
    )
    contributes = forms.BooleanField(label=_("The new agency contributes to the partnership budget"), required=False)

    def __init__(self, *args, agency_request: AgencyRequest, **kwargs):
        super().__init__(*args, **kwargs)
        if not agency_request.is_unlisted:
            self.fields["decision"].choices = self.LISTED_DECISIONS
            del self.fields["existing_agency"], self.fields["contributes"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "match" and not cleaned.get("existing_agency"):
            self.add_error("existing_agency", _("Select the agency it is the same as"))
        return cleaned


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "sector", "contributes", "is_active", "charging_band"]
        error_messages = {"name": {"required": _("Enter the agency's name")}}
        labels = {"charging_band": _("Charging band of its own")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charging_band"].empty_label = _("None: its sector's band, or free if it contributes")


class LoginForm(allauth_forms.LoginForm):
    """allauth's log-in form in GOV.UK wording; the password reset link sits
    under the button rather than inside the field's hint."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email address")
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")

