"""Render Django form fields as GOV.UK Frontend components.

One tag for every field, so each form on the site has the same labels, hints,
error messages and ARIA links that the design system's accessibility research
settled on.
"""

from django import forms, template
from django.utils import timezone

from core.money import pounds

register = template.Library()

_INPUT_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "input": "govuk-input",
    "checkbox": "govuk-checkboxes__input",
    "file": "govuk-file-upload",
}


def _kind(widget):
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is asked first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.inclusion_tag("core/_field.html")
def govuk_field(field, width=None, heading=False):
    """`width` is a GOV.UK width class suffix such as "20" or "one-half"."""
    kind = _kind(field.field.widget)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    # GOV.UK forms never use placeholders: hints say what to enter.
    attrs = {"placeholder": False}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    widget_html = None
    if kind in _INPUT_CLASSES:
        css = _INPUT_CLASSES[kind]
        if field.errors and kind != "checkbox":
            css += f" {css}--error"
        if width and kind == "input":
            css += f" govuk-input--width-{width}" if width.isdigit() else f" govuk-!-width-{width}"
        existing = field.field.widget.attrs.get("class")
        attrs["class"] = f"{css} {existing}" if existing else css
        widget_html = field.as_widget(attrs=attrs)
    return {
        "field": field,
        "kind": kind,
        "widget_html": widget_html,
        "heading": heading,
        "describedby": attrs.get("aria-describedby", ""),
        # Fields needed only after another answer (e.g. "not listed") are not marked optional.
        "show_optional": not field.field.required
        and kind != "select"
        and not getattr(field.field, "conditional", False),
    }


@register.filter
def govuk_time(value):
    """A time as GOV.UK style writes it: 9:30am, 1pm, midday."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.inclusion_tag("core/_error_summary.html")
def govuk_error_summary(*forms_):
    """The summary at the top of a page: every error, each linking to its field."""
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "", "message": message})
        for field in form:
            for message in field.errors:
                href = f"#{field.auto_id}"
                if _kind(field.field.widget) in ("radios", "checkboxes"):
                    href = f"#{field.auto_id}_0"
                errors.append({"href": href, "message": message})
    return {"errors": errors}


@register.filter(name="pounds")
def pounds_filter(pence):
    """{{ booking.price_pence|pounds }} → £50.00"""
    return pounds(pence)


@register.filter(name="field_value")
def field_value(obj, name):
    """{{ record|field_value:"bookings_created" }}: the attribute a shared
    partial is told to show (templates cannot look one up by a variable name)."""
    return getattr(obj, name)
