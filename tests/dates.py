"""Dates relative to today, in the partnership's time zone (Europe/London)."""

import datetime as dt

from django.utils import timezone


def month_start(months_ahead: int) -> dt.date:
    """The first day of the month `months_ahead` from this one (negative: before)."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 + months_ahead
    return dt.date(index // 12, index % 12 + 1, 1)


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    """A London wall-clock time on a day."""
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


def ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def ahead(**delta) -> dt.datetime:
    return timezone.now() + dt.timedelta(**delta)
