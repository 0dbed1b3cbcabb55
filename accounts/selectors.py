from django.db.models import Count, QuerySet

from .models import Agency, AgencyRequest, Sector


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.select_related("sector").annotate(staff_count=Count("staff")).order_by("name")


def agency_request_list() -> QuerySet[AgencyRequest]:
    """Pending requests first, oldest first: the order staff should decide them."""
    return AgencyRequest.objects.select_related(
        "user__agency", "sector", "agency", "requested_agency", "decided_by"
    ).order_by(
        "-status", "created_at"
    )


def agency_request_pending_count() -> int:
    return AgencyRequest.objects.filter(status=AgencyRequest.Status.PENDING).count()


def agency_request_pending_for(user) -> AgencyRequest | None:
    """The person's own request for an organisation still waiting for a decision, if any."""
    return (
        user.agency_requests.filter(status=AgencyRequest.Status.PENDING)
        .select_related("sector", "requested_agency")
        .first()
    )


def sector_asked_for(user) -> Sector | None:
    """The sector of the organisation a person with no agency last asked for,
    whether that request waits or was declined; None if they never asked."""
    agency_request = (
        user.agency_requests.select_related("sector__default_band").order_by("-created_at", "-pk").first()
    )
    return agency_request.sector if agency_request is not None else None


def user_email_addresses(user) -> set[str]:
    """Every address of a person's account (the sign-in one and any other
    allauth holds for them), lower-cased: none of them may stand for someone
    else, such as their line manager."""
    addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)} if user.pk else {user.email}
    return {address.lower() for address in addresses if address}
