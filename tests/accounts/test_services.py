import pytest

from accounts.exceptions import AccountError
from accounts.models import Agency, AgencyRequest, JobRole, Sector
from accounts.roles import Role
from accounts.services import agency_request_approve, agency_request_decline, user_details_update
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

DETAILS = {
    "first_name": "Nadia",
    "last_name": "Khan",
    "job_role": JobRole.HEALTH_OTHER,
    "line_manager_name": "Lee Lead",
    "line_manager_email": "lee.lead@example.org",
}


def _health():
    return Sector.objects.get(slug="health")


def _request_unlisted(user, name="Riverside Physiotherapy"):
    """The user says their organisation is not listed; returns their pending request."""
    user_details_update(user=user, details=DETAILS, agency=None, requested_agency=(name, _health()))
    return AgencyRequest.objects.get(user=user, status=AgencyRequest.Status.PENDING)


def test_details_update_saves_details_and_agency():
    user = UserFactory()
    agency = AgencyFactory()

    user_details_update(user=user, details=DETAILS, agency=agency)

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.job_role) == ("Nadia", "Khan", JobRole.HEALTH_OTHER)
    assert (user.line_manager_name, user.line_manager_email) == ("Lee Lead", "lee.lead@example.org")
    assert user.agency == agency


def test_details_update_makes_the_person_a_delegate():
    user = UserFactory(role=None)

    user_details_update(user=user, details=DETAILS, agency=AgencyFactory())

    assert list(user.groups.values_list("name", flat=True)) == [Role.DELEGATE]


def test_unlisted_organisation_records_a_pending_request_and_keeps_the_agency():
    user = UserFactory()
    agency_before = user.agency

    request = _request_unlisted(user)

    user.refresh_from_db()
    assert user.agency == agency_before
    assert (request.name, request.sector, request.status) == (
        "Riverside Physiotherapy",
        _health(),
        AgencyRequest.Status.PENDING,
    )


def test_second_unlisted_organisation_replaces_the_pending_request():
    user = UserFactory()
    _request_unlisted(user, name="Riverside Physio")

    _request_unlisted(user, name="Riverside Physiotherapy Ltd")

    assert list(AgencyRequest.objects.filter(user=user).values_list("name", "status")) == [
        ("Riverside Physiotherapy Ltd", AgencyRequest.Status.PENDING)
    ]


def test_approve_as_new_agency_creates_it_and_moves_the_requester(administrator):
    user = UserFactory()
    request = _request_unlisted(user)

    agency = agency_request_approve(agency_request=request, by=administrator, contributes=True)

    user.refresh_from_db()
    request.refresh_from_db()
    assert (agency.name, agency.sector, agency.contributes) == ("Riverside Physiotherapy", _health(), True)
    assert user.agency == agency
    assert request.status == AgencyRequest.Status.APPROVED
    assert (request.agency, request.decided_by) == (agency, administrator)
    assert request.decided_at is not None


def test_approve_as_existing_agency_moves_the_requester_without_a_new_agency(administrator):
    listed = AgencyFactory(name="Riverside Community Physiotherapy")
    user = UserFactory()
    request = _request_unlisted(user, name="Riverside Physio")
    agencies_before = Agency.objects.count()

    agency = agency_request_approve(agency_request=request, by=administrator, agency=listed)

    user.refresh_from_db()
    request.refresh_from_db()
    assert agency == listed
    assert Agency.objects.count() == agencies_before
    assert user.agency == listed
    assert (request.status, request.agency) == (AgencyRequest.Status.APPROVED, listed)


def test_approve_as_new_refuses_a_name_already_listed_in_another_case(administrator):
    AgencyFactory(name="Riverside Physiotherapy")
    user = UserFactory()
    agency_before = user.agency
    request = _request_unlisted(user, name="RIVERSIDE physiotherapy")
    agencies_before = Agency.objects.count()

    with pytest.raises(AccountError, match="already listed"):
        agency_request_approve(agency_request=request, by=administrator)

    user.refresh_from_db()
    request.refresh_from_db()
    assert Agency.objects.count() == agencies_before
    assert user.agency == agency_before
    assert (request.status, request.decided_by, request.decided_at) == (AgencyRequest.Status.PENDING, None, None)


@pytest.mark.parametrize("first_decision", ["approve", "decline"])
@pytest.mark.parametrize("second_decision", ["approve", "decline"])
def test_a_request_cannot_be_decided_twice(administrator, first_decision, second_decision):
    request = _request_unlisted(UserFactory())
    decide = {
        "approve": lambda: agency_request_approve(agency_request=request, by=administrator),
        "decline": lambda: agency_request_decline(agency_request=request, by=administrator),
    }
    decide[first_decision]()
    status_after_first = AgencyRequest.objects.get(pk=request.pk).status
    agencies_after_first = Agency.objects.count()

    with pytest.raises(AccountError, match="already been decided"):
        decide[second_decision]()

    assert AgencyRequest.objects.get(pk=request.pk).status == status_after_first
    assert Agency.objects.count() == agencies_after_first


def test_decline_records_the_decision_and_leaves_the_agency(administrator):
    user = UserFactory()
    agency_before = user.agency
    request = _request_unlisted(user)
    agencies_before = Agency.objects.count()

    declined = agency_request_decline(agency_request=request, by=administrator)

    user.refresh_from_db()
    assert declined.status == AgencyRequest.Status.DECLINED
    assert (declined.decided_by, declined.agency) == (administrator, None)
    assert declined.decided_at is not None
    assert user.agency == agency_before
    assert Agency.objects.count() == agencies_before
