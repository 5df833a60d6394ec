"""Model fields shared by the apps."""

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import capfirst

from .validators import MaxChars


def show_limit(field: forms.CharField) -> forms.CharField:
    """Make a form field show its maximum: ``maxlength`` (from its ``max_length``), "Up to
    N characters." after its help text, and a too-long message that names it."""
    limit = field.max_length
    hint = f"Up to {limit:,} characters."
    field.help_text = f"{field.help_text} {hint}" if field.help_text else hint
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(MaxChars(limit, str(field.label)))
    return field


class LimitedTextField(models.TextField):
    """Free text with a maximum from ``pilot.limits``: ``full_clean`` refuses longer text
    naming the field, its form field shows the maximum (``show_limit``), and the model
    lists ``limits.max_length_check(name, limit)`` so that the database keeps it too
    (``tests/test_text_limits.py`` fails a model without it)."""

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self) -> list:
        return [*super().validators, MaxChars(self.max_length, capfirst(self.verbose_name))]

    def formfield(self, **kwargs: Any) -> forms.Field:
        return show_limit(super().formfield(**kwargs))
