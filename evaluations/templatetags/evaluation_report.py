"""Numbers on the evaluation reports: percentages, medians and test results,
with a dash for "no figure" rather than a misleading zero."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

DASH = "–"


def _missing(value) -> bool:
    """No figure: None, or "" for a lookup that found nothing (a course with no answers yet)."""
    return not isinstance(value, int | float)


@register.filter
def pct(value):
    """62.5 → "63%"; None → "–"."""
    return DASH if _missing(value) else f"{value:.0f}%"


@register.filter
def num(value, places=1):
    """A median or mean to at most `places` decimals (3.50 → 3.5); None → "–"."""
    if _missing(value):
        return DASH
    text = f"{value:.{int(places)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def signed(value, places=2):
    """A change with its sign: +0.75, −0.25; None → "–"."""
    if _missing(value):
        return DASH
    text = f"{value:+.{int(places)}f}"
    return text.replace("-", "−")


@register.filter
def p_value(value):
    """p < 0.001 rather than 0.000."""
    if _missing(value):
        return DASH
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@register.filter
def effect(value):
    """Cohen's words for an effect size r."""
    if _missing(value):
        return ""
    size = abs(value)
    if size >= 0.5:
        return _("large")
    if size >= 0.3:
        return _("medium")
    if size >= 0.1:
        return _("small")
    return _("negligible")
