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


@transaction.atomic
def user_details_update(
    *, user: User, details: dict, agency: Agency | None, requested_agency: tuple[str, Sector] | None = None
) -> User:
    """Save a person's own details. Asking for an unlisted organisation leaves
    their agency as it was and records one pending request for staff to decide."""
    for name, value in details.items():
        setattr(user, name, value)
    if agency is not None:
        user.agency = agency
    user.save()
    # Everyone who signs up may book places; other roles are given by staff.
    user.groups.add(Group.objects.get(name=Role.DELEGATE))
    # Choosing a listed agency, or asking again, replaces any pending request.
    AgencyRequest.objects.filter(user=user, status=AgencyRequest.Status.PENDING).delete()
    if requested_agency is not None:
        name, sector = requested_agency
        AgencyRequest.objects.create(user=user, name=name, sector=sector)
    return user


def _pending_request_locked(agency_request: AgencyRequest) -> AgencyRequest:
    locked = AgencyRequest.objects.select_for_update().get(pk=agency_request.pk)
    if locked.status != AgencyRequest.Status.PENDING:
        raise AccountError(_("This request has already been decided."))
    return locked


@transaction.atomic
def agency_request_approve(
    *, agency_request: AgencyRequest, by: User, agency: Agency | None = None, contributes: bool = False
) -> Agency:
    """Approve an unlisted organisation: as a new agency, or as one already
    listed under another name. The requester joins that agency."""
    locked = _pending_request_locked(agency_request)
    if agency is None:
        if Agency.objects.annotate(lname=Lower("name")).filter(lname=locked.name.lower()).exists():
            raise AccountError(
                _("An agency called “%(name)s” is already listed: approve the request as that agency instead.")
                % {"name": locked.name}
            )
        agency = Agency.objects.create(name=locked.name, sector=locked.sector, contributes=contributes)
    locked.status = AgencyRequest.Status.APPROVED
    locked.agency = agency
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save()
    User.objects.filter(pk=locked.user_id).update(agency=agency)
    return agency


@transaction.atomic
def agency_request_decline(*, agency_request: AgencyRequest, by: User) -> AgencyRequest:
    locked = _pending_request_locked(agency_request)
    locked.status = AgencyRequest.Status.DECLINED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save()
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
