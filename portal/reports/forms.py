"""The reports' filter: a cohort and a district, both from the user's access scopes."""

from typing import Any

from django import forms
from django.http import QueryDict

from pilot.access import sees_whole_program, visible_cohorts, visible_districts
from pilot.models import Cohort, User


class ReportFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        to_field_name="uuid",
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    district = forms.ModelChoiceField(
        queryset=None,
        to_field_name="slug",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: User, with_district: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = visible_cohorts(user).order_by("-starts_on", "name")
        if with_district:
            self.fields["district"].queryset = visible_districts(user).order_by("name")
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
