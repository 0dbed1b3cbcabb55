"""The roles the data migration sets up: six groups, each with the permissions
that the site's permission predicates check."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from accounts import permissions
from accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF_PREDICATES = [
    permissions.can_manage_programme,
    permissions.can_view_uptake_reports,
    permissions.can_view_finance,
    permissions.can_deliver_training,
]


def _codes(role):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }


def test_the_migration_creates_one_group_per_role():
    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.DELEGATE, {"accounts.book_places"}),
        (Role.AGENCY_COORDINATOR, {"accounts.book_places", "accounts.coordinate_agency"}),
        (Role.TRAINER, {"accounts.deliver_training"}),
        (Role.PPT_REVIEWER, {"accounts.view_uptake_reports"}),
        (Role.FINANCE, {"accounts.view_finance"}),
    ],
)
def test_each_role_has_exactly_its_permissions(role, expected):
    assert _codes(role) == expected


def test_training_administrator_runs_the_programme():
    codes = _codes(Role.TRAINING_ADMINISTRATOR)

    assert {
        "accounts.manage_programme",
        "accounts.view_uptake_reports",
        "accounts.view_user",
        "accounts.add_agency",
        "accounts.change_agency",
        "accounts.change_agencyrequest",
        "courses.add_session",
        "courses.change_course",
        "courses.delete_venue",
        "courses.change_trainer",
        "courses.add_priority",
        "bookings.view_booking",
    } <= codes
    assert "accounts.view_finance" not in codes
    assert "accounts.book_places" not in codes


@pytest.mark.parametrize(
    ("role", "predicate"),
    [
        (Role.TRAINING_ADMINISTRATOR, permissions.can_manage_programme),
        (Role.TRAINING_ADMINISTRATOR, permissions.can_view_uptake_reports),
        (Role.PPT_REVIEWER, permissions.can_view_uptake_reports),
        (Role.FINANCE, permissions.can_view_finance),
        (Role.TRAINER, permissions.can_deliver_training),
    ],
)
def test_a_role_passes_its_predicate(role, predicate):
    assert predicate(UserFactory(role=role))


@pytest.mark.parametrize("predicate", STAFF_PREDICATES)
def test_a_delegate_passes_no_staff_predicate(predicate):
    assert not predicate(UserFactory(role=Role.DELEGATE))


@pytest.mark.parametrize("predicate", STAFF_PREDICATES)
def test_an_anonymous_visitor_passes_no_predicate(predicate):
    assert not predicate(AnonymousUser())


def test_an_agency_coordinator_coordinates_only_their_own_agency():
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR)

    assert permissions.can_coordinate_agency(coordinator, coordinator.agency)
    assert not permissions.can_coordinate_agency(coordinator, AgencyFactory())
    assert not permissions.can_coordinate_agency(coordinator, None)


def test_a_delegate_does_not_coordinate_their_agency():
    delegate = UserFactory(role=Role.DELEGATE)

    assert not permissions.can_coordinate_agency(delegate, delegate.agency)


def test_a_coordinator_without_an_agency_coordinates_none():
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR, agency=None)

    assert not permissions.can_coordinate_agency(coordinator, AgencyFactory())
