import pytest

from accounts.exceptions import AccountError
from accounts.models import Agency, AgencyRequest, JobRole, Sector
from accounts.roles import Role
from accounts.services import (
    agency_request_approve,
    agency_request_decline,
    user_details_update,
    user_signup_complete,
)
from audit.models import AuditEntry
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
    user_details_update(user=user, details=DETAILS, unlisted=(name, _health()))
    return AgencyRequest.objects.get(user=user, status=AgencyRequest.Status.PENDING)


def _request_move(user, agency):
    """The user chooses another listed agency on their profile; returns their pending request."""
    user_details_update(user=user, details=DETAILS, agency=agency)
    return AgencyRequest.objects.get(user=user, status=AgencyRequest.Status.PENDING)


def test_sign_up_sets_the_details_and_the_first_agency_at_once():
    user = UserFactory(agency=None)
    agency = AgencyFactory()

    user_signup_complete(user=user, details=DETAILS, agency=agency)

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.job_role) == ("Nadia", "Khan", JobRole.HEALTH_OTHER)
    assert (user.line_manager_name, user.line_manager_email) == ("Lee Lead", "lee.lead@example.org")
    assert user.agency == agency
    assert not AgencyRequest.objects.filter(user=user).exists()


def test_sign_up_makes_the_person_a_delegate():
    user = UserFactory(role=None)

    user_signup_complete(user=user, details=DETAILS, agency=AgencyFactory())

    assert list(user.groups.values_list("name", flat=True)) == [Role.DELEGATE]


def test_details_update_saves_the_details_and_gives_no_role():
    user = UserFactory(role=None)

    user_details_update(user=user, details=DETAILS, agency=user.agency)

    user.refresh_from_db()
    assert (user.first_name, user.line_manager_email) == ("Nadia", "lee.lead@example.org")
    assert not user.groups.exists()


def test_choosing_another_agency_records_a_pending_request_and_keeps_the_agency():
    user = UserFactory()
    agency_before = user.agency
    wanted = AgencyFactory(name="Borough Council", contributes=True)

    request = _request_move(user, wanted)

    user.refresh_from_db()
    assert user.agency == agency_before
    assert (request.requested_agency, request.name, request.sector, request.is_unlisted) == (
        wanted,
        "Borough Council",
        wanted.sector,
        False,
    )
    assert not AuditEntry.objects.exists()


def test_choosing_the_same_agency_again_keeps_the_request_where_it_was():
    user = UserFactory()
    first = _request_move(user, AgencyFactory())

    again = _request_move(user, first.requested_agency)

    assert (again.pk, again.created_at) == (first.pk, first.created_at)


def test_choosing_ones_own_agency_withdraws_the_pending_request():
    user = UserFactory()
    _request_move(user, AgencyFactory())

    pending = user_details_update(user=user, details=DETAILS, agency=user.agency)

    assert pending is None
    assert not AgencyRequest.objects.filter(user=user).exists()


def test_choosing_another_agency_replaces_an_unlisted_request():
    user = UserFactory()
    _request_unlisted(user)
    wanted = AgencyFactory()

    _request_move(user, wanted)

    assert list(AgencyRequest.objects.filter(user=user).values_list("requested_agency", flat=True)) == [wanted.pk]


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


def test_approving_a_move_to_a_listed_agency_moves_the_person_and_audits_it(administrator):
    user = UserFactory(agency=AgencyFactory(name="Little Acorns Nursery"))
    wanted = AgencyFactory(name="Borough Council", contributes=True)
    request = _request_move(user, wanted)

    agency = agency_request_approve(agency_request=request, by=administrator)

    user.refresh_from_db()
    request.refresh_from_db()
    entry = AuditEntry.objects.get()
    assert agency == wanted
    assert user.agency == wanted
    assert (request.status, request.agency) == (AgencyRequest.Status.APPROVED, wanted)
    assert request.decided_by == administrator
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        AuditEntry.Action.AGENCY_CHANGED,
        administrator,
        "accounts.user",
        str(user.pk),
    )
    assert (entry.before, entry.after) == ({"Agency": "Little Acorns Nursery"}, {"Agency": "Borough Council"})
    assert entry.note.startswith(f"Requested by {user} on ")
    assert "“Borough Council” (listed)" in entry.note


def test_a_move_to_a_listed_agency_cannot_be_approved_as_another(administrator):
    user = UserFactory()
    agency_before = user.agency
    request = _request_move(user, AgencyFactory())

    with pytest.raises(AccountError, match="approve it as asked, or decline it"):
        agency_request_approve(agency_request=request, by=administrator, agency=AgencyFactory())

    user.refresh_from_db()
    assert user.agency == agency_before
    assert AgencyRequest.objects.get(pk=request.pk).status == AgencyRequest.Status.PENDING
    assert not AuditEntry.objects.exists()


def test_approving_an_unlisted_organisation_as_new_audits_the_move_and_whether_it_contributes(administrator):
    user = UserFactory(agency=None)
    request = _request_unlisted(user)

    agency_request_approve(agency_request=request, by=administrator, contributes=True)

    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.AGENCY_CHANGED
    assert (entry.before, entry.after) == (
        {"Agency": "None"},
        {"Agency": "Riverside Physiotherapy", "New agency contributes": True},
    )
    assert "“Riverside Physiotherapy” (not listed, Health)" in entry.note


def test_declining_audits_the_decision_and_changes_nothing(administrator):
    user = UserFactory(agency=AgencyFactory(name="Little Acorns Nursery"))
    request = _request_move(user, AgencyFactory(name="Borough Council"))

    agency_request_decline(agency_request=request, by=administrator)

    user.refresh_from_db()
    entry = AuditEntry.objects.get()
    assert user.agency.name == "Little Acorns Nursery"
    assert (entry.action, entry.actor, entry.object_id) == (
        AuditEntry.Action.AGENCY_REQUEST_DECLINED,
        administrator,
        str(user.pk),
    )
    assert (entry.before, entry.after) == ({"Agency": "Little Acorns Nursery"}, {"Agency": "Little Acorns Nursery"})
    assert "“Borough Council” (listed)" in entry.note
