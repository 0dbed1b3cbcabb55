"""A certificate downloads as a PDF whatever its holder's name or course title
holds: reportlab reads text as markup, so these must reach it escaped."""

import datetime as dt

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_certificate_whose_name_and_title_hold_markup_characters_still_downloads(client):
    holder = UserFactory(first_name="Sam", last_name="O<Brien & Co")
    certificate = certificate_issue(
        source="booking:1",
        kind=Certificate.Kind.COURSE,
        user=holder,
        title="Safeguarding children <5 & their families",
        awarded_on=dt.date(2026, 3, 2),
        duration="3 hours <online>",
        learning_outcomes="Spot signs of harm in under-5s\nKnow when <and how> to refer",
    )
    client.force_login(holder)

    response = client.get(reverse("certificates:download", args=[certificate.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_certificate_download_answers_only_reads(client):
    holder = UserFactory()
    certificate = certificate_issue(
        source="booking:2",
        kind=Certificate.Kind.COURSE,
        user=holder,
        title="Recognising Neglect",
        awarded_on=dt.date(2026, 3, 2),
    )
    client.force_login(holder)

    assert client.post(reverse("certificates:download", args=[certificate.code])).status_code == 405
    assert client.head(reverse("certificates:download", args=[certificate.code])).status_code == 200


@pytest.mark.parametrize("typed", ["   ", "ABCD/EFGH"], ids=["blank", "with a slash"])
def test_a_code_typed_in_the_check_form_that_cannot_be_an_address_is_answered_not_failed(client, typed):
    response = client.get(reverse("certificates:check"), {"code": typed})

    assert response.status_code in (200, 404)
    assert response.templates[0].name == "certificates/certificate_verify.html"


def test_a_code_typed_in_the_check_form_goes_to_its_own_address(client):
    response = client.get(reverse("certificates:check"), {"code": " abcd-efgh-jkmn "})

    assert response.status_code == 302
    assert response.url == reverse("certificates:verify", args=["ABCD-EFGH-JKMN"])
