"""Who may see and do what in the reports app: pure predicates."""

from accounts import permissions


def can_view_uptake_reports(user) -> bool:
    """The PPT subgroup's reviewers and the training administrators: the
    dashboard, training summaries and their PDFs."""
    return permissions.can_view_uptake_reports(user)


def can_import_history(user) -> bool:
    """Bringing past years' spreadsheets in adds courses, sessions, agencies and
    delegates: the business unit's job, in the staff area."""
    return permissions.can_manage_programme(user)
