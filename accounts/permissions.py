"""Who may do what. Pure predicates over a user and, where it matters, an object."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

# What counts as a second factor: recovery codes alone only stand in for one.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def _has(user, perm):
    return bool(user and user.is_authenticated and user.has_perm(perm))


def can_manage_programme(user):
    """Training administrators run the staff area: agencies, venues, courses, sessions."""
    return _has(user, "accounts.manage_programme")


def can_view_uptake_reports(user):
    return _has(user, "accounts.view_uptake_reports")


def can_view_finance(user):
    """The finance team: income, invoices, refunds. Training administrators do
    not have this unless they are also given the Finance role."""
    return _has(user, "accounts.view_finance")


def can_waive_fees(user):
    """Waiving a late-cancellation or no-show fee is the business unit's call,
    usually made by the training administrator who hears why the delegate
    could not come, and sometimes by finance when an organisation disputes the
    invoice; either may do it, and the reason is recorded."""
    return can_manage_programme(user) or can_view_finance(user)


def can_view_uptake_vs_income(user):
    """The PPT subgroup weighs uptake against income, so whoever sees uptake
    reports, or finance, sees the two side by side."""
    return can_view_uptake_reports(user) or can_view_finance(user)


def can_coordinate_agency(user, agency):
    """Agency coordinators act for their own agency only."""
    return (
        _has(user, "accounts.coordinate_agency")
        and user.agency_id is not None
        and (agency is not None and user.agency_id == agency.pk)
    )


def can_deliver_training(user):
    return _has(user, "accounts.deliver_training")


def can_read_audit_log(user):
    """The audit log is read by those answerable for what it records: the
    training team (prices, registers, roles) and finance (money)."""
    return can_manage_programme(user) or can_view_finance(user)


def can_use_two_factor(user):
    """Two-factor sign-in is offered to the staff roles, who see many people's
    records: training administrators, finance and PPT reviewers, and to anyone
    who must use it. Anyone who has already turned it on keeps it whatever
    their roles (and may turn it off unless they must use it)."""
    return bool(
        user
        and user.is_authenticated
        and (
            can_manage_programme(user)
            or can_view_finance(user)
            or can_view_uptake_reports(user)
            or must_use_two_factor(user)
            or is_mfa_enabled(user)
        )
    )


def must_use_two_factor(user):
    """Those who see other people's personal data must sign in with a second
    factor: the roles named in MFA_REQUIRED_ROLES (training administrators,
    finance and PPT reviewers unless configured otherwise) and superusers, who
    see everything through the Django admin."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or user.groups.filter(name__in=settings.MFA_REQUIRED_ROLES).exists())
    )


def needs_two_factor_setup(user, *, required: bool | None = None):
    """Someone who must use two-factor sign-in and has no authenticator yet:
    setting one up is all they may do. `required` is must_use_two_factor(user)
    when the caller has it already."""
    if required is None:
        required = must_use_two_factor(user)
    return required and not is_mfa_enabled(user, SECOND_FACTORS)


def can_turn_off_authenticator(authenticator):
    """A second factor may be turned off unless it is the last one of someone
    who must use two-factor sign-in (recovery codes go with the last one)."""
    if authenticator.type not in SECOND_FACTORS:
        return True
    others = Authenticator.objects.filter(user_id=authenticator.user_id, type__in=SECOND_FACTORS).exclude(
        pk=authenticator.pk
    )
    return others.exists() or not must_use_two_factor(authenticator.user)
