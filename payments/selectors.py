from dataclasses import dataclass

from courses.models import Course

from .models import BandRate, ChargingBand


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
    """An agency's own band, else (for non-contributing agencies) its sector's.
    Contributing partners, and people with no agency yet, pay nothing."""
    if agency is None:
        return None
    if agency.charging_band_id:
        return agency.charging_band
    if agency.contributes:
        return None
    return agency.sector.default_band


def price_for(course: Course, agency) -> Price:
    band = band_for_agency(agency)
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
