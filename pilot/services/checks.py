"""Pieces every service's validation shares."""

from django.core.exceptions import ValidationError
from django.db.models import Model

Errors = dict[str, list[str]]


def field_problems(record: Model, errors: Errors) -> None:
    """Each field's own validators (length, hidden characters, formats) into ``errors``,
    skipping fields that already have a problem."""
    try:
        record.clean_fields(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def refuse_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)
