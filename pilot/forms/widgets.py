from django import forms


class DateInput(forms.DateInput):
    """A native date picker: keyboard-friendly and accessible in every current browser."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
