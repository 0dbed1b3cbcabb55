"""Charging bands: the training administrator's forms, and the price each
agency pays because of them."""

import pytest
from django.urls import reverse

from accounts.models import Agency, Sector
from courses.models import Course, CourseFormat
from payments.forms import BandForm
from payments.models import BandRate, ChargingBand
from payments.selectors import price_for
from tests.factories import AgencyFactory, CourseFactory

pytestmark = pytest.mark.django_db


def _band_post(name="Voluntary sector", **amounts):
    data = {"name": name, "description": "", "invoicing_allowed": "on"}
    for format_ in CourseFormat.values:
        data[f"price_{format_}"] = "0"
        data[f"fee_{format_}"] = "0"
    data.update(amounts)
    return data


def _band(name="Voluntary sector", *, invoicing_allowed=True, **rates):
    """A band with (price, fee) in pence for the formats named, e.g. full_day=(5000, 2500)."""
    band = ChargingBand.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), invoicing_allowed=invoicing_allowed
    )
    for format_, (price, fee) in rates.items():
        BandRate.objects.create(band=band, format=format_, price_pence=price, fee_pence=fee)
    return band


def test_a_training_administrator_adds_a_band_with_prices_in_pounds(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("payments:band_create"),
        _band_post(price_full_day="50.00", fee_full_day="12.5", price_conference="£1,250", fee_conference="0.99"),
    )

    assert response.status_code == 302
    band = ChargingBand.objects.get(name="Voluntary sector")
    rates = {rate.format: (rate.price_pence, rate.fee_pence) for rate in band.rates.all()}
    assert rates[CourseFormat.FULL_DAY] == (5000, 1250)
    assert rates[CourseFormat.CONFERENCE] == (125000, 99)
    assert rates[CourseFormat.BRIEFING] == (0, 0)
    assert band.invoicing_allowed
    assert band.slug == "voluntary-sector"


def test_changing_a_band_shows_its_amounts_in_pounds_and_saves_new_ones(client, administrator):
    band = _band(full_day=(5000, 2500))
    client.force_login(administrator)
    url = reverse("payments:band_update", args=[band.pk])

    page = client.get(url).content.decode()
    response = client.post(url, _band_post(name="Voluntary sector", price_full_day="65"))

    assert 'value="50.00"' in page and 'value="25.00"' in page
    assert response.status_code == 302
    assert BandRate.objects.get(band=band, format=CourseFormat.FULL_DAY).price_pence == 6500
    assert ChargingBand.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the price of a full day place, or 0 if there is none"),
        ("fifty", "Enter the price of a full day place in pounds and pence, like 50.00"),
        ("-5", "The price of a full day place must be £0 or more"),
        (
            "50.005",
            "Enter the price of a full day place with no more than 2 numbers after the decimal point, like 50.00",
        ),
        ("100000.01", "The price of a full day place must be £100,000 or less"),
        ("1e999999999", "The price of a full day place must be £100,000 or less"),
        ("NaN", "Enter the price of a full day place in pounds and pence, like 50.00"),
    ],
)
def test_an_amount_that_is_not_pounds_and_pence_is_refused(typed, message):
    form = BandForm(_band_post(price_full_day=typed))

    assert not form.is_valid()
    assert form.errors["price_full_day"] == [message]


def test_a_wrong_amount_is_shown_on_the_page_and_nothing_is_saved(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("payments:band_create"), _band_post(fee_half_day="12.345"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_fee_half_day"' in page
    assert "the half day late-cancellation or no-show fee with no more than 2 numbers" in page
    assert not ChargingBand.objects.exists()


def test_two_bands_cannot_share_a_name(client, administrator):
    _band("Voluntary sector")
    client.force_login(administrator)

    response = client.post(reverse("payments:band_create"), _band_post(name="voluntary SECTOR"))

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert ChargingBand.objects.count() == 1


def test_each_sector_is_given_its_default_band(client, administrator):
    band = _band()
    sector = Sector.objects.get(slug="early_years")
    client.force_login(administrator)
    data = {f"sector_{other.pk}": "" for other in Sector.objects.all()}

    response = client.post(reverse("payments:sector_bands"), {**data, f"sector_{sector.pk}": str(band.pk)})

    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.default_band == band
    assert not Sector.objects.exclude(pk=sector.pk).filter(default_band__isnull=False).exists()


def test_an_agency_is_given_a_band_of_its_own(client, administrator):
    band = _band()
    agency = AgencyFactory(name="Little Acorns")
    client.force_login(administrator)

    response = client.post(
        reverse("accounts:agency_update", args=[agency.pk]),
        {"name": "Little Acorns", "sector": agency.sector_id, "is_active": "on", "charging_band": band.pk},
    )

    assert response.status_code == 302
    assert Agency.objects.get(pk=agency.pk).charging_band == band


# What a place costs


@pytest.fixture
def sector_band():
    band = _band("Sector default", full_day=(5000, 2500), half_day=(3000, 1500))
    Sector.objects.filter(slug="early_years").update(default_band=band)
    return band


def test_a_non_contributing_agency_pays_its_sectors_band(sector_band):
    price = price_for(CourseFactory(format=CourseFormat.HALF_DAY), AgencyFactory(contributes=False))

    assert (price.price_pence, price.fee_pence, price.band) == (3000, 1500, sector_band)


def test_an_agencys_own_band_overrides_its_sectors(sector_band):
    own = _band("Own band", invoicing_allowed=False, full_day=(7000, 3500))

    price = price_for(CourseFactory(format=CourseFormat.FULL_DAY), AgencyFactory(charging_band=own))

    assert (price.price_pence, price.fee_pence, price.band, price.invoicing_allowed) == (7000, 3500, own, False)


def test_a_contributing_agency_pays_nothing(sector_band):
    price = price_for(CourseFactory(format=CourseFormat.FULL_DAY), AgencyFactory(contributes=True))

    assert (price.price_pence, price.fee_pence, price.is_chargeable) == (0, 0, False)


def test_someone_with_no_agency_pays_nothing(sector_band):
    assert price_for(CourseFactory(), None).price_pence == 0


def test_a_free_course_is_free_but_keeps_the_bands_fee(sector_band):
    price = price_for(CourseFactory(format=CourseFormat.FULL_DAY, charging=Course.Charging.FREE), AgencyFactory())

    assert (price.price_pence, price.fee_pence) == (0, 2500)


def test_a_course_with_its_own_price_charges_that_to_chargeable_agencies(sector_band):
    course = CourseFactory(format=CourseFormat.FULL_DAY, charging=Course.Charging.FIXED, fixed_price_pence=12000)

    assert price_for(course, AgencyFactory()).price_pence == 12000
    assert price_for(course, AgencyFactory(contributes=True)).price_pence == 0


def test_a_format_the_band_does_not_price_is_free(sector_band):
    price = price_for(CourseFactory(format=CourseFormat.CONFERENCE), AgencyFactory())

    assert (price.price_pence, price.fee_pence) == (0, 0)
