"""Form widgets of our own."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A drop-down for long lists, such as a consortium's thousands of agencies.

    Django builds a dictionary and draws a template for each option: 4,500
    agencies took 124 ms to draw, and the register page from 25 ms to 250 ms
    (docs/performance.md). This writes the same HTML straight from the choices
    in 15 ms (tests/core/test_widgets.py checks it is the same HTML)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(chosen) for chosen in self.format_value(value)}
        groups = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_value,
                                          self._options(group_label, selected)))
            else:
                groups.append(self._options([(group_value, group_label)], selected))
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), mark_safe("".join(groups)))

    @staticmethod
    def _options(choices, selected):
        # escape() and an f-string: format_html's per-call overhead is most of the cost at this length.
        return mark_safe("".join(
            f'<option value="{escape(value)}"{" selected" if str(value) in selected else ""}>{escape(label)}</option>'
            for value, label in choices
        ))
