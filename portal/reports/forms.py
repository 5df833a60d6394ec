"""The reports' filter: a cohort and a district, both from the user's access scopes."""

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict

from pilot.access import sees_whole_program, visible_cohorts, visible_districts
from pilot.forms.widgets import ManyOptionsSelect
from pilot.models import Cohort, District, User


class _Listed(ModelChoiceIterator):
    def __iter__(self):  # type: ignore[no-untyped-def]
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.objects) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.objects)


class ListedChoiceField(forms.ModelChoiceField):
    """A model choice whose records are read once (``load``): rendering the options and
    cleaning the submitted value use that list, with no query of their own."""

    iterator = _Listed
    widget = ManyOptionsSelect
    objects: list = []

    def load(self, queryset: Any, objects: list | None = None) -> list:
        """Offer ``queryset``'s records: ``objects`` when the caller has them (read
        earlier, or cached), else read now."""
        self.queryset = queryset
        self.objects = list(queryset) if objects is None else objects
        return self.objects

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for obj in self.objects:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ReportFilterForm(forms.Form):
    cohort = ListedChoiceField(
        queryset=Cohort.objects.none(),
        to_field_name="uuid",
        empty_label=None,
        widget=ManyOptionsSelect(attrs={"class": "form-select"}),
    )
    district = ListedChoiceField(
        queryset=None,
        to_field_name="slug",
        required=False,
        widget=ManyOptionsSelect(attrs={"class": "form-select"}),
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        with_district: bool = True,
        cohorts: list[Cohort] | None = None,
        districts: list[District] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].load(visible_cohorts(user).order_by("-starts_on", "name"), cohorts)
        if with_district:
            field = self.fields["district"]
            field.load(visible_districts(user).order_by("name"), districts)
            self.fields["district"].empty_label = (
                "All districts" if sees_whole_program(user) else "All my districts"
            )
        else:
            del self.fields["district"]


def filter_data(query: QueryDict, default: Cohort | None) -> QueryDict:
    """The request's filter with the default cohort filled in when none was chosen."""
    data = query.copy()
    if not data.get("cohort") and default is not None:
        data["cohort"] = str(default.uuid)
    return data
