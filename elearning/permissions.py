"""Who may do what with e-learning. Pure predicates over a user."""

from accounts import permissions


def can_view_elearning_reports(user) -> bool:
    """The PPT subgroup and training administrators see every agency's completions."""
    return permissions.can_view_uptake_reports(user) or permissions.can_manage_programme(user)


def can_view_agency_elearning(user) -> bool:
    """An agency coordinator sees their own agency's completions."""
    return permissions.can_coordinate_agency(user, getattr(user, "agency", None))


def can_manage_elearning(user) -> bool:
    """Writing modules and importing providers' completions is the business unit's."""
    return permissions.can_manage_programme(user)
