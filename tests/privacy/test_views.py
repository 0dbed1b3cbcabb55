"""The retention policy page, the privacy notice and the accessibility statement."""

import pytest
from django.urls import reverse

from privacy.selectors import retention_policy

pytestmark = pytest.mark.django_db


def test_the_administrator_sets_how_many_years_records_are_kept(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("privacy:retention"), {"years": "8"}, follow=True)

    assert "records are kept 8 years after a person&#x27;s last training" in response.content.decode()
    assert retention_policy().years == 8
    assert retention_policy().updated_by == administrator


@pytest.mark.parametrize(
    ("years", "error"),
    [("0", "Keep records for at least 1 year"), ("101", "no more than 100 years"), ("six", "whole number")],
)
def test_a_retention_period_outside_1_to_100_years_is_refused(client, administrator, years, error):
    client.force_login(administrator)

    page = client.post(reverse("privacy:retention"), {"years": years}).content.decode()

    assert error in page
    assert retention_policy().years == 6


def test_the_privacy_notice_names_the_controller_the_retention_period_and_the_ico(client, settings, administrator):
    from privacy.services import retention_policy_update

    settings.PARTNERSHIP_NAME = "Eastbrook Safeguarding Children Partnership"
    settings.DATA_PROTECTION_EMAIL = "dpo@eastbrook.example.org"
    retention_policy_update(years=4, by=administrator)

    page = client.get(reverse("privacy:notice")).content.decode()

    assert "Eastbrook Safeguarding Children Partnership" in page
    assert "mailto:dpo@eastbrook.example.org" in page
    assert "for 4 years after your last training" in page
    assert "public task" in page and "Information Commissioner" in page


def test_the_accessibility_statement_says_its_standard_its_testing_and_the_ehrc(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@eastbrook.example.org"

    page = client.get(reverse("privacy:accessibility")).content.decode()

    assert "WCAG 2.2 AA" in page and "axe-core" in page
    assert "Equality and Human Rights Commission" in page
    assert "prepared on 22 November 2026" in page
    assert "mailto:access@eastbrook.example.org" in page


def test_every_page_links_to_the_privacy_notice_and_the_accessibility_statement(client):
    page = client.get(reverse("courses:calendar")).content.decode()

    assert f'href="{reverse("privacy:notice")}"' in page
    assert f'href="{reverse("privacy:accessibility")}"' in page


def test_a_delegates_account_page_offers_the_download_of_their_data(client, delegate):
    client.force_login(delegate)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert reverse("privacy:my_data") in page
