"""Charging bands: what non-contributing agencies pay for each course format."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..exceptions import PaymentError
from ..models import BandRate, ChargingBand


def _unique_slug(name: str, band: ChargingBand) -> str:
    base = slugify(name)[:45] or "band"
    slug, n = base, 1
    while ChargingBand.objects.filter(slug=slug).exclude(pk=band.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def band_save(
    *,
    band: ChargingBand | None,
    name: str,
    description: str,
    invoicing_allowed: bool,
    rates: dict[str, tuple[int, int]],
) -> ChargingBand:
    """Add or change a band with its (price, fee) in pence for each course
    format. Bookings already made keep the price and fee they were given."""
    name = name.strip()
    band = band or ChargingBand()
    if ChargingBand.objects.filter(name__iexact=name).exclude(pk=band.pk).exists():
        raise PaymentError(_("A band called “%(name)s” already exists.") % {"name": name})
    if not band.slug:
        band.slug = _unique_slug(name, band)
    band.name, band.description, band.invoicing_allowed = name, description.strip(), invoicing_allowed
    band.save()
    for format_, (price_pence, fee_pence) in rates.items():
        BandRate.objects.update_or_create(
            band=band, format=format_, defaults={"price_pence": price_pence, "fee_pence": fee_pence}
        )
    return band


@transaction.atomic
def sector_default_bands_set(*, bands: dict) -> int:
    """Give each sector (a key) its default band (or None: free). Returns how
    many sectors changed."""
    changed = 0
    for sector, band in bands.items():
        if sector.default_band_id != (band.pk if band else None):
            sector.default_band = band
            sector.save(update_fields=["default_band"])
            changed += 1
    return changed
