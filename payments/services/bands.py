"""Charging bands: what non-contributing agencies pay for each course format."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_changes, audit_snapshot, audit_value
from core.money import pounds
from courses.models import CourseFormat

from ..exceptions import PaymentError
from ..models import BandRate, ChargingBand


def _unique_slug(name: str, band: ChargingBand) -> str:
    base = slugify(name)[:45] or "band"
    slug, n = base, 1
    while ChargingBand.objects.filter(slug=slug).exclude(pk=band.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


BAND_FIELDS = ["name", "description", "invoicing_allowed"]


def _rates_snapshot(band: ChargingBand) -> dict:
    """Each format's price and fee as the audit log shows them."""
    labels = dict(CourseFormat.choices)
    snapshot = {}
    for rate in BandRate.objects.filter(band=band).order_by("format"):
        label = labels.get(rate.format, rate.format)
        snapshot[_("%(format)s: price") % {"format": label}] = pounds(rate.price_pence)
        snapshot[_("%(format)s: fee") % {"format": label}] = pounds(rate.fee_pence)
    return snapshot


@transaction.atomic
def band_save(
    *,
    band: ChargingBand | None,
    name: str,
    description: str,
    invoicing_allowed: bool,
    rates: dict[str, tuple[int, int]],
    by=None,
) -> ChargingBand:
    """Add or change a band with its (price, fee) in pence for each course
    format. Bookings already made keep the price and fee they were given.
    Changes to the band and to its rates go in the audit log."""
    name = name.strip()
    band = band or ChargingBand()
    if ChargingBand.objects.filter(name__iexact=name).exclude(pk=band.pk).exists():
        raise PaymentError(_("A band called “%(name)s” already exists.") % {"name": name})
    before = audit_snapshot(ChargingBand.objects.get(pk=band.pk) if band.pk else ChargingBand(), BAND_FIELDS)
    rates_before = _rates_snapshot(band) if band.pk else {}
    if not band.slug:
        band.slug = _unique_slug(name, band)
    band.name, band.description, band.invoicing_allowed = name, description.strip(), invoicing_allowed
    band.save()
    for format_, (price_pence, fee_pence) in rates.items():
        BandRate.objects.update_or_create(
            band=band, format=format_, defaults={"price_pence": price_pence, "fee_pence": fee_pence}
        )
    audit_changes(
        actor=by, action=AuditEntry.Action.BAND_CHANGED, target=band, before=before,
        after=audit_snapshot(band, BAND_FIELDS),
    )
    audit_changes(
        actor=by, action=AuditEntry.Action.BAND_RATE_CHANGED, target=band, before=rates_before,
        after=_rates_snapshot(band),
    )
    return band


@transaction.atomic
def sector_default_bands_set(*, bands: dict, by=None) -> int:
    """Give each sector (a key) its default band (or None: free). Returns how
    many sectors changed; each change goes in the audit log."""
    changed = 0
    for sector, band in bands.items():
        if sector.default_band_id != (band.pk if band else None):
            before = audit_value(sector.default_band)
            sector.default_band = band
            sector.save(update_fields=["default_band"])
            audit_changes(
                actor=by, action=AuditEntry.Action.BAND_ASSIGNED, target=sector,
                before={_("Default band"): before}, after={_("Default band"): audit_value(band)},
            )
            changed += 1
    return changed
