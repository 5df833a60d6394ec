"""Forms parse and present; services keep the rules. These two pieces join them."""

import copy
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.forms.models import construct_instance


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the form: each message next to the field it names
    (renamed through ``fields`` where the form calls it otherwise), the rest (and fields the
    form does not show) at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = (fields or {}).get(name, name)
        shown = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(shown, messages)


class ParsingModelForm(forms.ModelForm):
    """A model form that only parses: each field's type and validators, as the model
    declares them. Rules about the record (uniqueness, fields that must agree) are the
    service's, so their messages exist once: the view passes ``cleaned_data`` to the
    service and its refusal to ``add_service_errors``. Nothing is saved through the form.

    ``check`` (the service's own check of a record, field -> messages) lets the page show
    every problem at once, even when another field did not parse; the service checks again
    when it saves."""

    def __init__(
        self,
        *args: Any,
        check: Callable[[Model], dict[str, list[str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.check = check

    def _post_clean(self) -> None:
        # ModelForm's own would run the model's clean(), uniqueness and constraints instead.
        record = construct_instance(self, copy.copy(self.instance), self._meta.fields)
        if self.check is not None:
            problems = self.check(record)
        else:
            try:
                record.clean_fields(exclude=self._get_validation_exclusions())
                problems = {}
            except ValidationError as error:
                problems = error.message_dict
        for field, messages in problems.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, messages)

    def save(self, commit: bool = True) -> None:
        raise NotImplementedError("Call the service with form.cleaned_data.")
