"""The password reset form. Not in accounts/forms.py: allauth imports that
module (for ACCOUNT_SIGNUP_FORM_CLASS) half-way through its own forms module,
before allauth's ResetPasswordForm exists to be subclassed."""

from allauth.account import forms as allauth_forms
from django import forms


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """allauth's password reset form, answering the same for any address: an
    address with no account is e-mailed to say so (allauth's "unknown account"
    e-mail) instead of being refused on the page, which would tell anyone
    whether an address has an account here."""

    def clean_email(self):
        try:
            return super().clean_email()
        except forms.ValidationError as error:
            if error.code != "unknown_email":
                raise
            return self.cleaned_data["email"]  # (self.users is empty: save() sends the "unknown account" e-mail)
