import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import Sector
from accounts.selectors import sector_asked_for
from bookings.models import Booking
from core.periods import Period
from courses.models import Course

from .models import BandRate, Charge, ChargingBand, Invoice, InvoiceLine, StripeEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Price:
    """What a booking costs, worked out when it is made and then kept on it."""

    price_pence: int
    fee_pence: int
    band: ChargingBand | None
    invoicing_allowed: bool

    @property
    def is_chargeable(self):
        return self.price_pence > 0


FREE = Price(price_pence=0, fee_pence=0, band=None, invoicing_allowed=False)


def band_for_agency(agency) -> ChargingBand | None:
    """An agency's own band, else (for non-contributing agencies) its sector's;
    a sector without one is free. Contributing partners pay nothing."""
    if agency is None:
        return None
    if agency.charging_band_id:
        return agency.charging_band
    if agency.contributes:
        return None
    return agency.sector.default_band


def band_for_person(user) -> ChargingBand | None:
    """What a person pays by: their agency's band. Someone whose organisation
    is not decided yet (not listed, or declined) is priced as a non-contributing
    agency of the sector they asked for or, when that sector has no band, by
    the undecided-organisation band (undecided_organisation_band)."""
    if user.agency_id is not None:
        return band_for_agency(user.agency)
    sector = sector_asked_for(user)
    if sector is not None and sector.default_band_id:
        return sector.default_band
    return undecided_organisation_band()


def undecided_organisation_band() -> ChargingBand | None:
    """The band of a person with no decided organisation whose sector has none:
    UNDECIDED_ORGANISATION_BAND if it names a band, else the band most sectors' non-contributing
    agencies pay by (ties to the oldest band). None only where no band exists at all."""
    if settings.UNDECIDED_ORGANISATION_BAND:
        named = ChargingBand.objects.filter(slug=settings.UNDECIDED_ORGANISATION_BAND).first()
        if named is not None:
            return named
        # A slug that names no band must not make places free: log it and go on.
        logger.error("UNDECIDED_ORGANISATION_BAND names no charging band: %r", settings.UNDECIDED_ORGANISATION_BAND)
    commonest = (
        Sector.objects.exclude(default_band=None)
        .values("default_band")
        .annotate(sectors=Count("pk"))
        .order_by("-sectors", "default_band")
        .first()
    )
    if commonest is None:
        return ChargingBand.objects.order_by("pk").first()
    return ChargingBand.objects.get(pk=commonest["default_band"])


def price_for(course: Course, agency) -> Price:
    """What a place on the course costs the staff of this agency."""
    return _price(course, band_for_agency(agency))


def price_for_person(course: Course, user) -> Price:
    """What a place on the course costs this person (see band_for_person). The
    booking keeps it: a later change of agency or band does not touch it."""
    return _price(course, band_for_person(user))


def _price(course: Course, band: ChargingBand | None) -> Price:
    if band is None:
        return FREE
    rate = BandRate.objects.filter(band=band, format=course.format).first()
    fee = rate.fee_pence if rate else 0
    if course.charging == Course.Charging.FREE:
        price = 0
    elif course.charging == Course.Charging.FIXED:
        price = course.fixed_price_pence or 0
    else:
        price = rate.price_pence if rate else 0
    return Price(price_pence=price, fee_pence=fee, band=band, invoicing_allowed=band.invoicing_allowed)


# Charging bands (staff area)


def band_list() -> QuerySet[ChargingBand]:
    return ChargingBand.objects.prefetch_related("rates").annotate(agency_count=Count("agencies")).order_by("name")


def sector_band_list() -> QuerySet[Sector]:
    return Sector.objects.select_related("default_band").order_by("name")


# Finance: every figure is for training held in the period (the session's
# start), so income sits beside the uptake that earned it and a charge counts
# once however long its invoice takes to be paid.


# A charge on an invoice that was paid and then cancelled: finance owes the
# organisation that money back, as with a card refund.
_PAID_THEN_CREDITED = Q(status=Charge.Status.CREDITED) & Exists(
    InvoiceLine.objects.filter(
        charge=OuterRef("pk"), invoice__kind=Invoice.Kind.INVOICE, invoice__paid_at__isnull=False
    )
)

_MONEY = {
    # Paid and not given back; a refunded charge leaves "received" for "refunded".
    "received_pence": Coalesce(Sum("amount_pence", filter=Q(status=Charge.Status.PAID)), 0),
    "outstanding_pence": Coalesce(Sum("amount_pence", filter=Q(status=Charge.Status.INVOICED)), 0),
    "refunded_pence": Coalesce(
        Sum("amount_pence", filter=Q(status__in=[Charge.Status.REFUNDED, Charge.Status.CREDITED])), 0
    ),
    "waived_pence": Coalesce(Sum("amount_pence", filter=Q(status=Charge.Status.WAIVED)), 0),
}


def _charges_in(period: Period) -> QuerySet[Charge]:
    """The charges that carry money for training held in the period: not card
    holds that lapsed or are still open, nor invoices cancelled before payment."""
    start, end = period.bounds()
    return Charge.objects.filter(booking__session__start__gte=start, booking__session__start__lt=end).filter(
        Q(status__in=[Charge.Status.PAID, Charge.Status.INVOICED, Charge.Status.REFUNDED, Charge.Status.WAIVED])
        | _PAID_THEN_CREDITED
    )


def finance_totals(period: Period) -> dict:
    return _charges_in(period).aggregate(**_MONEY)


def finance_by_sector(period: Period) -> list[dict]:
    return list(
        _charges_in(period)
        .values(sector=F("booking__user__agency__sector__name"))
        .annotate(**_MONEY)
        .order_by(F("sector").asc(nulls_last=True))
    )


def finance_by_agency(period: Period) -> list[dict]:
    return list(
        _charges_in(period)
        .values(
            agency=F("booking__user__agency__name"),
            sector=F("booking__user__agency__sector__name"),
            contributes=F("booking__user__agency__contributes"),
        )
        .annotate(**_MONEY)
        .order_by(F("agency").asc(nulls_last=True))
    )


def finance_by_course(period: Period) -> list[dict]:
    return list(
        _charges_in(period)
        .values(
            "booking__session__course_id",
            course=F("booking__session__course__title"),
            format=F("booking__session__course__format"),
        )
        .annotate(**_MONEY)
        .order_by("course", "booking__session__course_id")
    )


def uptake_vs_income(period: Period) -> list[dict]:
    """For contributing agencies, non-contributing ones and (if any) people
    with no organisation yet: agencies taking places, places taken, attended,
    and money, in two GROUP BY queries."""
    start, end = period.bounds()
    taken = Q(status__in=Booking.PLACE_STATUSES)
    uptake = {
        row["contributes"]: row
        for row in Booking.objects.filter(
            session__start__gte=start,
            session__start__lt=end,
        )
        .values(contributes=F("user__agency__contributes"))
        .annotate(
            agencies=Count("user__agency", filter=taken, distinct=True),
            places=Count("pk", filter=taken),
            attended=Count("pk", filter=Q(attendance__in=Booking.ATTENDED_VALUES)),
        )
        .order_by()
    }
    money = {
        row["contributes"]: row
        for row in _charges_in(period)
        .values(contributes=F("booking__user__agency__contributes"))
        .annotate(**_MONEY)
        .order_by()
    }
    empty_uptake = {"agencies": 0, "places": 0, "attended": 0}
    empty_money = dict.fromkeys(_MONEY, 0)
    groups = []
    for key in (True, False, None):
        if key is None and key not in uptake and key not in money:
            continue
        groups.append({"contributes": key, **empty_uptake, **uptake.get(key, {}), **empty_money, **money.get(key, {})})
    return groups


# Invoices and fees (finance)


def invoice_list(*, status: str = "", kind: str = "") -> QuerySet[Invoice]:
    invoices = Invoice.objects.select_related("credits")
    if status:
        invoices = invoices.filter(status=status)
    if kind:
        invoices = invoices.filter(kind=kind)
    return invoices.order_by("-issued_at", "-pk")


def invoice_for_finance(pk: int) -> Invoice:
    return get_object_or_404(
        Invoice.objects.select_related("agency", "credits", "credit_note").prefetch_related("lines"), pk=pk
    )


FEE_KINDS = (Charge.Kind.LATE_CANCELLATION, Charge.Kind.NO_SHOW)


def fee_list(*, status: str = "") -> QuerySet[Charge]:
    fees = Charge.objects.filter(kind__in=FEE_KINDS).select_related(
        "booking__user__agency", "booking__session__course", "waived_by"
    )
    if status:
        fees = fees.filter(status=status)
    return fees.order_by("-created_at", "-pk")


def fee_for_waiver(pk: int) -> Charge:
    return get_object_or_404(fee_list(), pk=pk)


def stripe_event_recorded(event_id: str) -> bool:
    """Whether this Stripe event was handled before (Stripe may deliver an event more than once)."""
    return StripeEvent.objects.filter(event_id=event_id).exists()
