from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record

from .exceptions import AccountError
from .models import Agency, AgencyRequest, Sector, User
from .roles import Role

Unlisted = tuple[str, Sector]  # "my organisation is not listed": its name and sector


@transaction.atomic
def user_signup_complete(
    *, user: User, details: dict, agency: Agency | None, unlisted: Unlisted | None = None
) -> User:
    """A new account's details and its first claim to an agency: a listed agency
    is set at once; an unlisted organisation becomes a request for staff. Every
    later change of agency is a request (see user_details_update)."""
    for name, value in details.items():
        setattr(user, name, value)
    user.agency = agency
    user.save()
    # Everyone who signs up may book places; other roles are given by staff.
    user.groups.add(Group.objects.get(name=Role.DELEGATE))
    if unlisted is not None:
        _agency_request_replace(user=user, agency=None, unlisted=unlisted)
    return user


@transaction.atomic
def user_details_update(
    *, user: User, details: dict, agency: Agency | None = None, unlisted: Unlisted | None = None
) -> AgencyRequest | None:
    """Save a person's own details. Choosing another agency, or an unlisted
    organisation, changes nothing yet: it records one pending request for a
    training administrator to decide, replacing any earlier one; choosing the
    agency they have withdraws it. Returns the pending request, if any."""
    user = User.objects.select_for_update().get(pk=user.pk)
    for name, value in details.items():
        setattr(user, name, value)
    user.save(update_fields=list(details))
    return _agency_request_replace(user=user, agency=agency, unlisted=unlisted)


def _agency_request_replace(*, user: User, agency: Agency | None, unlisted: Unlisted | None) -> AgencyRequest | None:
    pending = AgencyRequest.objects.filter(user=user, status=AgencyRequest.Status.PENDING).first()
    if unlisted is None and (agency is None or agency.pk == user.agency_id):
        wanted = None
    elif unlisted is not None:
        name, sector = unlisted
        wanted = {"requested_agency": None, "name": name, "sector": sector}
    else:
        wanted = {"requested_agency": agency, "name": agency.name, "sector": agency.sector}
    if pending is not None and wanted is not None and _asks_for(pending, wanted):
        return pending  # the same request again keeps its place in the queue
    if pending is not None:
        pending.delete()
    return AgencyRequest.objects.create(user=user, **wanted) if wanted is not None else None


def _asks_for(agency_request: AgencyRequest, wanted: dict) -> bool:
    if wanted["requested_agency"] is not None:
        return agency_request.requested_agency_id == wanted["requested_agency"].pk
    return (
        agency_request.is_unlisted
        and agency_request.name.casefold() == wanted["name"].casefold()
        and agency_request.sector_id == wanted["sector"].pk
    )


def _pending_request_locked(agency_request: AgencyRequest) -> AgencyRequest:
    locked = AgencyRequest.objects.select_for_update().get(pk=agency_request.pk)
    if locked.status != AgencyRequest.Status.PENDING:
        raise AccountError(_("This request has already been decided."))
    return locked


def _decided(locked: AgencyRequest, *, status: str, by: User, agency: Agency | None = None) -> None:
    locked.status = status
    locked.agency = agency
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save()


def _agency_label(agency: Agency | None) -> str:
    return agency.name if agency is not None else _("None")


def _requested_note(locked: AgencyRequest) -> str:
    asked_for = (
        _("“%(name)s” (listed)") if not locked.is_unlisted else _("“%(name)s” (not listed, %(sector)s)")
    ) % {"name": locked.name, "sector": locked.sector}
    return _("Requested by %(person)s on %(date)s: %(asked_for)s.") % {
        "person": locked.user,
        "date": timezone.localdate(locked.created_at).isoformat(),
        "asked_for": asked_for,
    }


@transaction.atomic
def agency_request_approve(
    *, agency_request: AgencyRequest, by: User, agency: Agency | None = None, contributes: bool = False
) -> Agency:
    """Approve a request: the requester moves to the listed agency they asked
    for or, for an unlisted organisation, to a new agency (contributing or not)
    or one already listed under another name. The move is audited."""
    locked = _pending_request_locked(agency_request)
    created = False
    if not locked.is_unlisted:
        if agency is not None and agency.pk != locked.requested_agency_id:
            raise AccountError(_("This request asks for an agency already listed: approve it as asked, or decline it."))
        agency = locked.requested_agency
    elif agency is None:
        if Agency.objects.annotate(lname=Lower("name")).filter(lname=locked.name.lower()).exists():
            raise AccountError(
                _("An agency called “%(name)s” is already listed: approve the request as that agency instead.")
                % {"name": locked.name}
            )
        agency = Agency.objects.create(name=locked.name, sector=locked.sector, contributes=contributes)
        created = True
    _decided(locked, status=AgencyRequest.Status.APPROVED, by=by, agency=agency)
    requester = User.objects.select_for_update(of=("self",)).select_related("agency").get(pk=locked.user_id)
    before = _agency_label(requester.agency)
    requester.agency = agency
    requester.save(update_fields=["agency"])
    after = {_("Agency"): agency.name}
    if created:
        # A new agency's "contributes" decides what its staff pay, so it is kept with the move.
        after[_("New agency contributes")] = agency.contributes
    audit_record(
        actor=by, action=AuditEntry.Action.AGENCY_CHANGED, target=requester,
        before={_("Agency"): before}, after=after, note=_requested_note(locked),
    )
    return agency


@transaction.atomic
def agency_request_decline(*, agency_request: AgencyRequest, by: User) -> AgencyRequest:
    """Decline a request: the requester's agency stays as it was. Audited."""
    locked = _pending_request_locked(agency_request)
    _decided(locked, status=AgencyRequest.Status.DECLINED, by=by)
    requester = User.objects.select_related("agency").get(pk=locked.user_id)
    unchanged = {_("Agency"): _agency_label(requester.agency)}
    audit_record(
        actor=by, action=AuditEntry.Action.AGENCY_REQUEST_DECLINED, target=requester,
        before=unchanged, after=unchanged, note=_requested_note(locked),
    )
    return locked


# Flags that give powers beyond any role, audited as roles are.
POWER_FLAGS = ["is_staff", "is_superuser"]


def user_power_flags_record(*, user: User, before: dict[str, bool], by: User) -> None:
    """Audit each of POWER_FLAGS the user's saved record has changed from `before`."""
    for flag in POWER_FLAGS:
        now = getattr(user, flag)
        if before.get(flag, now) != now:
            label = capfirst(str(User._meta.get_field(flag).verbose_name))
            audit_record(
                actor=by, action=AuditEntry.Action.ROLE_GRANTED if now else AuditEntry.Action.ROLE_REMOVED,
                target=user, before={label: not now}, after={label: now}, note=label,
            )


@transaction.atomic
def user_roles_set(*, user: User, groups, by: User) -> None:
    """Give a person exactly these roles (Django groups). Each role granted or
    removed goes in the audit log with the roles held before and after."""
    before = set(user.groups.values_list("name", flat=True))
    user.groups.set(groups)
    after = set(user.groups.values_list("name", flat=True))
    for action, roles in (
        (AuditEntry.Action.ROLE_GRANTED, after - before),
        (AuditEntry.Action.ROLE_REMOVED, before - after),
    ):
        for role in sorted(roles):
            audit_record(
                actor=by, action=action, target=user,
                before={_("Roles"): sorted(before)}, after={_("Roles"): sorted(after)}, note=role,
            )
