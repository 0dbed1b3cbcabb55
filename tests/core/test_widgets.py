"""LongSelect writes exactly the drop-down Django's own Select would, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import LongSelect

FLAT = [("", "Choose their agency"), ("1", "Riverside Academy"), ("2", "Little <Acorns> & Co")]
GROUPED = [
    ("", "Choose your organisation"),
    ("Education", [("1", "Riverside Academy"), ("2", "Hill Primary")]),
    ("Health", [("3", "Riverside NHS Trust")]),
    ("other", "My organisation is not listed"),
]


@pytest.mark.parametrize("choices", [FLAT, GROUPED], ids=["flat", "grouped by sector"])
@pytest.mark.parametrize("value", ["", "2", "other"])
def test_a_long_select_is_the_same_html_as_djangos_select(choices, value):
    attrs = {"id": "id_agency", "class": "govuk-select", "aria-describedby": "id_agency-hint"}

    ours = LongSelect(choices=choices).render("agency", value, attrs=attrs)
    djangos = forms.Select(choices=choices).render("agency", value, attrs=attrs)

    assert parse_html(ours) == parse_html(djangos)
    assert "&lt;Acorns&gt; &amp; Co" in ours or choices is GROUPED
