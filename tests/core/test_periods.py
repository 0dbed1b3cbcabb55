"""Periods of days that reports cover (core.periods)."""

import datetime as dt

import pytest

from core.periods import Period, financial_year


def test_the_financial_year_runs_from_1_april_to_31_march():
    assert financial_year(dt.date(2025, 3, 31)) == Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert financial_year(dt.date(2025, 4, 1)) == Period(dt.date(2025, 4, 1), dt.date(2026, 3, 31))


@pytest.mark.parametrize(
    ("period", "before"),
    [
        ((dt.date(2024, 4, 1), dt.date(2025, 3, 31)), (dt.date(2023, 4, 1), dt.date(2024, 3, 31))),
        ((dt.date(2024, 7, 1), dt.date(2024, 9, 30)), (dt.date(2023, 7, 1), dt.date(2023, 9, 30))),
        ((dt.date(2024, 2, 29), dt.date(2024, 2, 29)), (dt.date(2023, 2, 28), dt.date(2023, 2, 28))),
        # Longer than a year: as many years back as it takes not to overlap.
        ((dt.date(2022, 4, 1), dt.date(2024, 3, 31)), (dt.date(2020, 4, 1), dt.date(2022, 3, 31))),
    ],
)
def test_the_year_before_is_the_same_days_a_year_earlier(period, before):
    assert Period(*period).year_before() == Period(*before)


def test_bounds_are_the_first_moment_of_the_period_and_the_first_after_it_in_uk_time():
    start, end = Period(dt.date(2024, 4, 1), dt.date(2024, 4, 1)).bounds()

    assert (start.isoformat(), end.isoformat()) == ("2024-04-01T00:00:00+01:00", "2024-04-02T00:00:00+01:00")
