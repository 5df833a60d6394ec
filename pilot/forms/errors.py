"""Showing a service's refusal on the form that collected the input."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Put each message of ``error`` next to its field (renamed through ``fields``); a
    message for a field the form does not show goes to the top of the form."""
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = fields.get(name, name)
        form.add_error(field if field in form.fields else None, messages)
