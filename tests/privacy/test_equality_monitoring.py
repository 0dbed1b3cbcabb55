"""Equal opportunities returns are special category data: nobody sees them row
by row, whether in the admin, an export or the logs, and only totals above
the configured threshold are published."""

import logging
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from core.periods import financial_year
from evaluations.models import EqualOpportunitiesReturn, Stage
from evaluations.selectors import equal_opportunities
from tests.evaluations.builders import answered, attendee, held_session

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _returns(session, *answers):
    for fields in answers:
        EqualOpportunitiesReturn.objects.create(
            course=session.course, session_month=session.start.date().replace(day=1), **fields
        )


def _sex_counts(period):
    [sex] = [table for table in equal_opportunities(period)["tables"] if table.field == "sex"]
    return dict(sex.rows)


def test_no_admin_page_lists_the_returns():
    registered = [model for model in admin.site._registry]
    inlines = [inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines]

    assert EqualOpportunitiesReturn not in registered + inlines
    with pytest.raises(NoReverseMatch):
        reverse("admin:evaluations_equalopportunitiesreturn_changelist")


def test_the_report_pages_show_totals_and_no_return(client, administrator):
    session = held_session()
    _returns(session, *[{"sex": "female", "age_band": "25_34"}] * 6)
    keys = [str(pk) for pk in EqualOpportunitiesReturn.objects.values_list("pk", flat=True)]
    period = {"start": financial_year(session.start.date()).start, "end": financial_year(session.start.date()).end}
    client.force_login(administrator)

    pages = [reverse("evaluations:report_programme"), reverse("evaluations:report_course", args=[session.course.pk])]
    for url in pages:
        page = client.get(url, period).content.decode()

        assert "6 anonymous returns." in page
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
    session = held_session()
    _returns(session, *[{"sex": "female"}] * 4, *[{"sex": "male"}] * 3)
    period = financial_year(session.start.date())

    assert _sex_counts(period)["Female"] is None  # 4 is below the default of 5
    settings.EQUALITY_SUPPRESS_BELOW = 3
    assert _sex_counts(period)["Female"] == 4 and _sex_counts(period)["Male"] == 3


def test_the_report_page_says_counts_below_the_threshold_are_not_shown(client, administrator, settings):
    settings.EQUALITY_SUPPRESS_BELOW = 10
    session = held_session()
    _returns(session, *[{"sex": "female"}] * 6)
    period = financial_year(session.start.date())
    client.force_login(administrator)

    page = client.get(
        reverse("evaluations:report_programme"), {"start": period.start.isoformat(), "end": period.end.isoformat()}
    ).content.decode()

    assert "Fewer than 10 returns in this period, so none are shown." in page
