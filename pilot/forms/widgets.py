from django import forms


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
