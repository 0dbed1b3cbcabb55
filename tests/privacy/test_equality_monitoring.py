"""Equal opportunities returns are special category data: nobody sees them row
by row, whether in the admin, an export or the logs, and only totals above
the configured threshold are published."""

import datetime as dt
import logging
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.periods import financial_year
from evaluations.models import EqualOpportunitiesReturn, Stage
from evaluations.selectors import equal_opportunities
from tests.evaluations.builders import answered, attendee, held_session

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _last_year():
    """The last financial year that has ended: the latest the figures are given for."""
    return financial_year(timezone.localdate()).start.year - 1


def _returns(*answers):
    """Returns from a session held last financial year."""
    session = held_session()
    for fields in answers:
        EqualOpportunitiesReturn.objects.create(
            course=session.course, session_month=dt.date(_last_year(), 10, 1), **fields
        )
    return session


def _sex_counts(year):
    [sex] = [table for table in equal_opportunities(year)["tables"] if table.field == "sex"]
    return dict(sex.rows)


def test_no_admin_page_lists_the_returns():
    registered = [model for model in admin.site._registry]
    inlines = [inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines]

    assert EqualOpportunitiesReturn not in registered + inlines
    with pytest.raises(NoReverseMatch):
        reverse("admin:evaluations_equalopportunitiesreturn_changelist")


def test_the_report_page_shows_totals_and_no_return(client, administrator):
    _returns(*[{"sex": "female", "age_band": "25_34"}] * 6)
    keys = [str(pk) for pk in EqualOpportunitiesReturn.objects.values_list("pk", flat=True)]
    client.force_login(administrator)

    page = client.get(reverse("evaluations:report_equality"), {"year": _last_year()}).content.decode()

    assert "About 5 anonymous returns." in page  # 6, rounded to the nearest 5
    assert not any(key in page for key in keys)


def test_only_the_aggregate_report_reads_the_returns():
    """Where the code names the model: storing a return, the form, the demo
    data and the one selector that counts them. A new reader (an export, a
    list) fails here until someone decides it is safe."""
    apps = [folder for folder in ROOT.iterdir() if (folder / "__init__.py").exists() and folder.name != "tests"]
    readers = sorted(
        str(path.relative_to(ROOT))
        for app in apps
        for path in app.glob("**/*.py")
        if "migrations" not in path.parts and "EqualOpportunitiesReturn" in path.read_text()
    )

    assert readers == [
        "evaluations/demo_seed.py",
        "evaluations/forms.py",
        "evaluations/models.py",
        "evaluations/selectors.py",
        "evaluations/services/responses.py",
    ]


def test_answering_the_questions_logs_nothing_of_the_answers(client, caplog):
    booking = attendee(held_session())
    answered(booking, Stage.POST)
    client.force_login(booking.user)

    with caplog.at_level(logging.DEBUG):
        client.post(reverse("evaluations:equal_opportunities", args=[booking.pk]),
                    {"sex": "female", "ethnicity": "mixed", "sexual_orientation": "bisexual"})

    [saved] = EqualOpportunitiesReturn.objects.all()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert str(saved.pk) not in logged
    assert "bisexual" not in logged and "mixed" not in logged


def test_the_threshold_is_read_from_settings_when_the_report_is_made(settings):
    _returns(*[{"sex": "female"}] * 4, *[{"sex": "male"}] * 3)

    assert _sex_counts(_last_year())["Female"] is None  # 4 is below the default of 5
    settings.EQUALITY_SUPPRESS_BELOW = 3
    assert _sex_counts(_last_year())["Female"] == 5 and _sex_counts(_last_year())["Male"] == 5  # rounded


def test_the_report_page_says_counts_below_the_threshold_are_not_shown(client, administrator, settings):
    settings.EQUALITY_SUPPRESS_BELOW = 10
    _returns(*[{"sex": "female"}] * 6)
    client.force_login(administrator)

    page = client.get(reverse("evaluations:report_equality"), {"year": _last_year()}).content.decode()

    assert "Fewer than 10 returns in this financial year, so none are shown." in page
