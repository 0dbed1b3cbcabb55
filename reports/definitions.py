"""The definitions every uptake figure follows (issue 7), in one place: the
selectors implement them, and the dashboard and the annual summary print them
as footnotes, so what a figure means is never in doubt."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

DEFINITIONS = [
    (
        _("Period"),
        _(
            "From the first to the last day given, both included, in UK time. Unless other dates are chosen, "
            "the current financial year (1 April to 31 March)."
        ),
    ),
    (
        _("Sessions"),
        _(
            "A session is in the period if it starts within it. A session ran if it is in the period, was not "
            "cancelled and has started. A session is cancelled if its status is cancelled."
        ),
    ),
    (_("Places"), _("The sum of the places (capacity) of the sessions that ran. Cancelled sessions are left out.")),
    (
        _("Booked"),
        _(
            "The number of booking records on sessions that ran, of every status (confirmed, waiting list, "
            "cancelled, cancelled late, …): everyone who asked for a place."
        ),
    ),
    (
        _("Attended"),
        _(
            "Bookings marked attended on sessions that ran. Arriving late counts; leaving early counts as "
            "attended but is also shown on its own."
        ),
    ),
    (
        _("Attendance rate"),
        _(
            "Attended ÷ places × 100: the share of places filled by attendees. One decimal place, halves rounded "
            "up (65 of 80 is 81.3%). Blank when there were no places."
        ),
    ),
    (
        _("Turnout"),
        _("Attended ÷ confirmed bookings × 100, rounded the same way. Blank when nobody was confirmed."),
    ),
    (_("No-shows"), _("Confirmed bookings marked did not attend.")),
    (_("No-show rate"), _("No-shows ÷ confirmed bookings × 100, rounded the same way.")),
    (_("Late cancellations"), _("Bookings cancelled after the cancellation cut-off.")),
    (_("Views"), _("The number of different people who viewed the course's page in the period.")),
    (_("Individuals trained"), _("Different delegates who attended at least one session that ran.")),
    (
        _("Agency, sector and job role"),
        _(
            "Those of the delegate who booked, as their account records them now. Delegates with no "
            "organisation recorded are counted in the totals only."
        ),
    ),
    (
        _("Partnership priorities"),
        _("A course linked to several priorities counts towards each of them."),
    ),
    (
        _("Under-subscribed"),
        _("A session in the period, not cancelled, with fewer places taken than its minimum numbers."),
    ),
    (
        _("Year before"),
        _(
            "The same days one year earlier (for a period longer than a year, as many years earlier as it takes "
            "not to overlap)."
        ),
    ),
    (
        _("E-learning"),
        _(
            "A completion is in the period if its completion date is within it. Individuals are different "
            "delegates with a completion in the period; completions by role use the job role recorded with "
            "each completion."
        ),
    ),
]

ONE_DECIMAL = Decimal("0.1")


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole × 100 to one decimal place, halves rounded up (65/80 → 81.3);
    None when `whole` is 0. Decimal arithmetic, so 81.25 is never taken for
    81.2499… as a float would be."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))
