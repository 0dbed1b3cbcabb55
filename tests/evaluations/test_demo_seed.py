"""The demo's evaluations: realistic, idempotent, and the demo delegate has
something of each stage to open."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from evaluations import selectors
from evaluations.models import Answer, EqualOpportunitiesReturn, EvaluationRequest, Quote, Response, Stage

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 14)
COUNTED = [EvaluationRequest, Response, Answer, EqualOpportunitiesReturn, Quote, Certificate]


@pytest.fixture
def today_is_mid_year(monkeypatch):
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def test_the_demo_evaluations_are_realistic_and_written_once(today_is_mid_year):
    call_command("seed_demo", verbosity=0)
    counts = {model.__name__: model.objects.count() for model in COUNTED}

    call_command("seed_demo", verbosity=0)

    assert {model.__name__: model.objects.count() for model in COUNTED} == counts
    assert all(counts.values()), counts
    report = selectors.programme_report(selectors.financial_year(TODAY))
    change = report.dimensions[0].pre_post
    assert change.improved and change.same and change.worse  # gains, ties and a few declines
    assert change.test is not None and change.test.z > 0
    assert report.practice_changed.n and report.manager_seen_change.n
    delegate = User.objects.get(email="delegate@example.org")
    now = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12)))
    open_stages = {state.stage for state in selectors.evaluations_for_user(delegate, now=now)["open"]}
    assert open_stages == {Stage.PRE, Stage.POST, Stage.FOLLOW_UP}
    assert Certificate.objects.filter(user=delegate).exists()
