from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodForm as CorePeriodForm

from .markdown import markdown_problems
from .models import Module

ANSWER_COUNT = 5


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = [
            "title", "slug", "level", "delivery", "summary", "audience", "learning_outcomes", "estimated_minutes",
            "provider", "external_url", "access_instructions", "pass_mark_percent", "renewal_months",
            "is_published",
        ]
        widgets = {"delivery": forms.RadioSelect}
        help_texts = {"slug": _("The module's web address, e.g. recognising-neglect")}

    def clean_pass_mark_percent(self):
        mark = self.cleaned_data["pass_mark_percent"]
        if not 1 <= mark <= 100:
            raise forms.ValidationError(_("The pass mark must be between 1 and 100"))
        return mark

    def clean(self):
        cleaned = super().clean()
        external = cleaned.get("delivery") == Module.Delivery.EXTERNAL
        if external and cleaned.get("is_published") and not cleaned.get("external_url"):
            self.add_error("external_url", _("Give the link to the provider's module, or do not show it yet"))
        return cleaned


class ModulePageForm(forms.Form):
    title = forms.CharField(label=_("Page title"), max_length=200)
    position = forms.IntegerField(
        label=_("Page number"), min_value=1, required=False,
        help_text=_("Leave blank to put the page last. Other pages move along to make room."),
    )
    body = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Markdown: ## for a heading, * for a bullet, **bold**, [link text](https://…). Pictures: upload "
                    "them to the module first and paste the Markdown shown beside each."),
        error_messages={"required": _("Write the page's content")},
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        problems = markdown_problems(body)
        if problems:
            raise forms.ValidationError(problems)
        return body


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write the question")})
    correct = forms.TypedChoiceField(
        label=_("Which answer is correct?"), coerce=int, widget=forms.RadioSelect,
        choices=[(n, _("Answer %(n)s") % {"n": n}) for n in range(1, ANSWER_COUNT + 1)],
        error_messages={"required": _("Choose which answer is correct")},
    )
    explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Shown with the results: why the correct answer is right."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answers = [f"answer_{n}" for n in range(1, ANSWER_COUNT + 1)]
        for n, name in enumerate(answers, start=1):
            self.fields[name] = forms.CharField(
                label=_("Answer %(n)s") % {"n": n}, max_length=500, required=n <= 2,
                error_messages={"required": _("Give at least two answers")},
            )
        self.order_fields(["text", *answers, "correct", "explanation"])

    def clean(self):
        cleaned = super().clean()
        correct = cleaned.get("correct")
        if correct and not cleaned.get(f"answer_{correct}"):
            self.add_error("correct", _("The correct answer must be one you have written"))
        return cleaned

    def answers(self) -> tuple[list[str], int]:
        """The answers written (gaps closed up) and the correct one's index among them."""
        written = [(n, self.cleaned_data.get(f"answer_{n}", "")) for n in range(1, ANSWER_COUNT + 1)]
        kept = [(n, text) for n, text in written if text.strip()]
        correct = [n for n, _text in kept].index(self.cleaned_data["correct"])
        return [text for _n, text in kept], correct


class ModuleImageForm(forms.Form):
    image = forms.FileField(
        label=_("Picture"), help_text=_("A PNG, JPEG, GIF or WebP file, smaller than 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
        error_messages={"required": _("Choose a picture to upload")},
    )
    alt_text = forms.CharField(
        label=_("Describe the picture"), max_length=300,
        help_text=_("For people who cannot see it, e.g. “The four categories of abuse”."),
        error_messages={"required": _("Describe what the picture shows")},
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Provider's CSV file"),
        help_text=_("UTF-8 CSV whose first row names the columns email, name, agency, sector, role, module and "
                    "completed_at."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Choose a CSV file to upload")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ELEARNING_IMPORT_MAX_BYTES
        # Checked before the file is read: a huge upload is never loaded into memory.
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s. The largest file that can be imported is %(limit)s: split it into smaller "
                  "files.") % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class KnowledgeCheckForm(forms.Form):
    """One set of radios per question, in the attempt's shuffled order."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for row in questions:
            question = row["question"]
            self.fields[f"question_{question.pk}"] = forms.TypedChoiceField(
                label=_("%(number)s. %(text)s") % {"number": row["number"], "text": question.text},
                choices=[(choice.pk, choice.text) for choice in row["choices"]],
                coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer to question %(n)s") % {"n": row["number"]}},
            )

    def answers(self) -> dict[int, int]:
        return {int(name.removeprefix("question_")): value for name, value in self.cleaned_data.items()}


class PeriodForm(CorePeriodForm):
    """A period of days for the e-learning report (both days included), any
    real dates at all."""

    DATE_RANGE = None
