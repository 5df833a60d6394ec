from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class DateInput(forms.DateInput):
    """A native date picker: keyboard-friendly and accessible in every current browser."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RadioSelect(forms.RadioSelect):
    """Radio buttons without the "---------" choice Django adds to a model field with no
    default: an unticked group already says "not chosen", and the field stays required."""

    def optgroups(self, name: str, value: list, attrs: dict | None = None) -> list:
        groups = []
        for group, options, index in super().optgroups(name, value, attrs):
            options = [o for o in options if o["value"] not in ("", None)]
            if options:
                groups.append((group, options, index))
        return groups


OPTION = {
    False: '<option value="{}">{}</option>',
    True: '<option value="{}" selected>{}</option>',
}


class ManyOptionsSelect(forms.Select):
    """A select rendered in Python, for long lists (the state's 152 districts): Django's
    renders a template for every option, which took longer than the rest of a cached
    report or a list page. Same HTML; flat choices only (no option groups)."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            "{}",
            ((format_html(OPTION[str(key) in chosen], key, label),) for key, label in self.choices),
        )
        final = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)
