"""Input checking for the questionnaires, the equal opportunities questions and
the staff pages. Saving is the services' job."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.periods import financial_year_label

from .models import CHOICE_KINDS, TEXT_KINDS, EqualOpportunitiesReturn, Kind, Section, Timing

OTHER = "Other"
YES, NO = "1", "0"


def _name(question) -> str:
    return f"q{question.pk}"


def _required_message(question) -> str:
    if question.is_outcome_rating:
        when = _("before the course, looking back") if question.timing == Timing.THEN else _("now")
        return _("Select your %(dimension)s rating (%(when)s) for “%(outcome)s”") % {
            "dimension": question.get_dimension_display().lower(),
            "when": when,
            "outcome": question.outcome,
        }
    if question.kind in TEXT_KINDS:
        return _("Enter an answer to “%(question)s”") % {"question": question.text}
    if question.kind == Kind.MULTIPLE_CHOICE:
        return _("Select at least one answer to “%(question)s”") % {"question": question.text}
    return _("Select an answer to “%(question)s”") % {"question": question.text}


def _field(question) -> forms.Field:
    common = {
        "label": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": {"required": _required_message(question), "invalid_choice": _required_message(question)},
    }
    if question.kind == Kind.RATING:
        choices = [(str(point), f"{point} – {label}") for point, label in enumerate(question.options, start=1)]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == Kind.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
    if question.kind in CHOICE_KINDS:
        choices = [(option, option) for option in question.options]
        if question.allow_other:
            choices.append((OTHER, _("Other")))
        if question.kind == Kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == Kind.SHORT_TEXT:
        return forms.CharField(max_length=300, **common)
    return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)


class QuestionnaireForm(forms.Form):
    """A frozen questionnaire's questions for one stage, one field each
    (`q<question id>`), plus "say what" boxes for "Other". The form carries
    the version it was drawn from, so answers stay with the questions shown
    even if the template is edited meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["version"].initial = version.pk
        for question in questions:
            self.fields[_name(question)] = _field(question)
            if question.allow_other and question.kind in CHOICE_KINDS:
                other = forms.CharField(label=_("If you chose “Other”, say what"), max_length=300, required=False)
                other.conditional = True
                self.fields[f"{_name(question)}_other"] = other

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if not question.allow_other:
                continue
            chosen = cleaned.get(_name(question)) or []
            chosen = chosen if isinstance(chosen, list) else [chosen]
            if OTHER in chosen and not (cleaned.get(f"{_name(question)}_other") or "").strip():
                self.add_error(f"{_name(question)}_other", _("Say what you mean by “Other”"))
        return cleaned

    def answers(self) -> dict[int, dict]:
        """{question id: {"number", "choices", "text"}} for the services."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(_name(question))
            if question.kind in (Kind.RATING, Kind.YES_NO):
                values[question.pk] = {"number": int(value) if value not in (None, "") else None}
            elif question.kind in CHOICE_KINDS:
                chosen = value if isinstance(value, list) else ([value] if value else [])
                values[question.pk] = {
                    "choices": chosen,
                    "text": self.cleaned_data.get(f"{_name(question)}_other", ""),
                }
            else:
                values[question.pk] = {"text": value or ""}
        return values

    def blocks(self):
        """The questions as the page lays them out: each learning outcome's
        ratings together (now, and looking back), then one question at a time."""
        blocks, by_outcome = [], {}
        for question in self.questions:
            bound = self[_name(question)]
            if question.is_outcome_rating:
                block = by_outcome.get(question.outcome)
                if block is None:
                    block = {"kind": "outcome", "outcome": question.outcome, "now": [], "then": []}
                    by_outcome[question.outcome] = block
                    blocks.append(block)
                block["then" if question.timing == Timing.THEN else "now"].append(bound)
            else:
                other = self[f"{_name(question)}_other"] if f"{_name(question)}_other" in self.fields else None
                blocks.append({"kind": "question", "question": question, "field": bound, "other": other})
        return blocks

    def add_missing(self, question_ids):
        """Mark questions a service found unanswered (the form's own checks
        normally catch them first)."""
        for question in self.questions:
            if question.pk in question_ids and _name(question) not in self.errors:
                self.add_error(_name(question), _required_message(question))


class QuoteConsentForm(forms.Form):
    """After the course: whether the delegate's comments may be quoted."""

    may_quote = forms.BooleanField(
        label=_("My comments may be quoted anonymously"),
        required=False,
        help_text=_(
            "For example in the partnership's annual report, without your name or anything else that identifies "
            "you. If you leave this unticked, your comments are read by the training team only."
        ),
    )


class LineManagerCopyForm(forms.Form):
    """On the follow-up: whether to ask the line manager for their view."""

    ask_line_manager = forms.BooleanField(
        label=_("Ask my line manager to add their view"),
        required=False,
        help_text=_("We e-mail them a link to two short questions. They do not need an account."),
    )
    line_manager_email = forms.EmailField(
        label=_("Your line manager's email address"),
        required=False,
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.org")},
    )
    line_manager_email.conditional = True  # needed when the box above is ticked

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("ask_line_manager")
            and not cleaned.get("line_manager_email")
            and not self.has_error("line_manager_email")
        ):
            self.add_error("line_manager_email", _("Enter your line manager's email address"))
        return cleaned

    @property
    def email(self) -> str:
        return self.cleaned_data["line_manager_email"] if self.cleaned_data.get("ask_line_manager") else ""


class EqualOpportunitiesForm(forms.ModelForm):
    """Every question optional, every one with "Prefer not to say"."""

    class Meta:
        model = EqualOpportunitiesReturn
        fields = EqualOpportunitiesReturn.MONITORED_FIELDS
        widgets = {name: forms.RadioSelect for name in EqualOpportunitiesReturn.MONITORED_FIELDS}
        labels = {
            "age_band": _("What is your age?"),
            "sex": _("What is your sex?"),
            "gender_same_as_birth": _("Is the gender you identify with the same as your sex registered at birth?"),
            "ethnicity": _("What is your ethnic group?"),
            "disability": _("Do you consider yourself to have a disability?"),
            "religion": _("What is your religion or belief?"),
            "sexual_orientation": _("Which of the following best describes your sexual orientation?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            # A radio group offers no blank choice: leaving it unanswered is the blank.
            field.choices = [(value, label) for value, label in field.choices if value]


# --- staff ----------------------------------------------------------------------------


class QuestionForm(forms.Form):
    """A template question. Options are one a line."""

    kind = forms.ChoiceField(label=_("Kind of question"), choices=Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Question"), max_length=300, error_messages={"required": _("Enter the question")})
    help_text = forms.CharField(
        label=_("Hint"), max_length=300, required=False, help_text=_("Shown under the question, in grey.")
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line. A rating scale needs five labels, lowest first (for example Poor, Fair, Good, Very good, "
            "Excellent). Not used for yes or no and text questions."
        ),
    )
    allow_other = forms.BooleanField(
        label=_("Offer “Other” with a box to say what"),
        required=False,
        help_text=_("For single and multiple choice questions."),
    )
    correct_option = forms.CharField(
        label=_("Correct answer"),
        max_length=200,
        required=False,
        help_text=_("Copy the correct option exactly."),
    )

    def __init__(self, *args, section=None, locked_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = Kind.choices
        if section == Section.KNOWLEDGE:
            kinds = [(Kind.KNOWLEDGE.value, Kind.KNOWLEDGE.label)]
        elif section is not None:
            kinds = [(value, label) for value, label in Kind.choices if value != Kind.KNOWLEDGE]
        if locked_kind:
            kinds = [(value, label) for value, label in Kind.choices if value == locked_kind]
            self.fields["kind"].help_text = _("The reports read this question, so its kind cannot change.")
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        self.fields["kind"].error_messages["required"] = _("Select the kind of question")
        # Only the fields a question of this section can use.
        del self.fields["allow_other" if section == Section.KNOWLEDGE else "correct_option"]
        for name in ("options", "correct_option"):
            if name in self.fields:
                self.fields[name].conditional = True  # needed by some kinds of question only

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        options = [line.strip() for line in (cleaned.get("options") or "").splitlines() if line.strip()]
        cleaned["options"] = options
        if kind == Kind.RATING and len(options) != 5:
            self.add_error("options", _("Give five labels for a rating scale, one a line"))
        elif kind in CHOICE_KINDS and len(options) < 2:
            self.add_error("options", _("Give at least two options, one a line"))
        elif kind in CHOICE_KINDS and len(set(options)) != len(options):
            self.add_error("options", _("Each option must be different"))
        if kind == Kind.KNOWLEDGE and (cleaned.get("correct_option") or "").strip() not in options:
            self.add_error("correct_option", _("Copy the correct answer exactly from the options"))
        if kind in (Kind.YES_NO, *TEXT_KINDS):
            cleaned["options"] = []
        return cleaned


class RatingLabelsForm(forms.Form):
    """The five labelled points for rating each learning outcome."""

    def __init__(self, *args, labels=(), **kwargs):
        super().__init__(*args, **kwargs)
        for point in range(1, 6):
            self.fields[f"point_{point}"] = forms.CharField(
                label=_("Point %(n)s") % {"n": point},
                max_length=60,
                initial=labels[point - 1] if len(labels) >= point else "",
                error_messages={"required": _("Enter a label for point %(n)s") % {"n": point}},
            )

    @property
    def labels(self) -> list[str]:
        return [self.cleaned_data[f"point_{point}"] for point in range(1, 6)]


class QuoteForm(forms.Form):
    text = forms.CharField(
        label=_("Words of the quote"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Remove anything that could identify the delegate, a child or a family. It is published anonymously."
        ),
        error_messages={"required": _("Enter the words of the quote")},
    )


class EqualityYearForm(forms.Form):
    """The one choice the equality figures allow: a whole financial year that
    has ended. Anything else asked for (a period, a course, a session) is
    refused rather than ignored, so no one can compare two overlapping sets of
    figures to single out a person's answers."""

    year = forms.TypedChoiceField(
        label=_("Financial year"),
        coerce=int,
        error_messages={
            "required": _("Choose a financial year"),
            "invalid_choice": _("Choose one of the financial years listed"),
        },
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(year), financial_year_label(year)) for year in years]

    def clean(self):
        cleaned = super().clean()
        if set(self.data) - {"year"}:
            raise ValidationError(
                _(
                    "Equal opportunities figures are given only for a whole financial year across the whole "
                    "programme, never for another period, a course or a session, so that no one's answers can "
                    "be worked out by comparing two sets of figures."
                )
            )
        return cleaned
