from django.db.models import Count, QuerySet

from .models import Agency, AgencyRequest


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.select_related("sector").annotate(staff_count=Count("staff")).order_by("name")


def agency_request_list() -> QuerySet[AgencyRequest]:
    """Pending requests first, oldest first: the order staff should decide them."""
    return AgencyRequest.objects.select_related("user", "sector", "agency", "decided_by").order_by(
        "-status", "created_at"
    )


def agency_request_pending_count() -> int:
    return AgencyRequest.objects.filter(status=AgencyRequest.Status.PENDING).count()


def agency_request_pending_for(user) -> AgencyRequest | None:
    """The person's own request for an organisation still waiting for a decision, if any."""
    return user.agency_requests.filter(status=AgencyRequest.Status.PENDING).first()
