from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RetentionPolicy


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["years"]
        error_messages = {
            "years": {
                "required": _("Enter how many years to keep records"),
                "invalid": _("Enter a whole number of years"),
                "min_value": _("Keep records for at least 1 year"),
                "max_value": _("Keep records for no more than 100 years"),
            }
        }


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail address"),
        max_length=200,
        error_messages={"required": _("Enter a name or e-mail address")},
    )


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked this is the person who asked, and that nothing needs their details"),
        error_messages={"required": _("Confirm you have checked before erasing their details")},
    )
