from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from pilot.forms.errors import add_service_errors

T = TypeVar("T")


def save_through(form: forms.BaseForm, save: Callable[[], T]) -> T | None:
    """Run a service write for a valid form; when the service refuses, its messages go
    next to the form's fields and nothing is returned."""
    try:
        return save()
    except ValidationError as refused:
        add_service_errors(form, refused)
        return None
