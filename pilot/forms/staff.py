import uuid

import django_filters
from django import forms
from django.db.models import Case, Q, QuerySet, When, Window
from django.db.models.functions import RowNumber
from django.forms.models import ModelChoiceIterator

from pilot.models import District, School, Staff
from pilot.uuids import parse_uuid

from .errors import ParsingModelForm
from .widgets import RadioSelect


class StaffForm(ParsingModelForm):
    """Parses a staff record; pilot.services.staff keeps the rules."""

    class Meta:
        model = Staff
        fields = ["first_name", "last_name", "email", "role", "district", "school", "employee_id"]
        widgets = {"role": RadioSelect}

    def __init__(
        self,
        *args: object,
        districts: QuerySet[District],
        schools: QuerySet[School],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["school"].queryset = schools.select_related("district").order_by(
            "district__name", "name"
        )
        self.fields["school"].label_from_instance = lambda s: f"{s.name} ({s.district.name})"
        self.fields["employee_id"].required = False

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


# A select of every school in the state (1,800) is slow to render and useless to scroll:
# past this many, the school filter lists only the chosen district's schools.
SCHOOL_CHOICES_LIMIT = 100


class SchoolChoices(ModelChoiceIterator):
    """The school filter's options, in one query when the select is rendered: every
    school in scope when there are at most ``SCHOOL_CHOICES_LIMIT``, else those of the
    district chosen in the filter (and the school chosen, if any). Validation still
    accepts any school in scope (the field's queryset is unchanged)."""

    def __iter__(self):
        if not hasattr(self, "_options"):
            self._options = self._fetch()  # once: the widget iterates more than once
        yield from self._options

    def _fetch(self) -> list:
        field = self.field
        district_slug, school_uuid = getattr(field, "limit_to", (None, None))
        rows = self.queryset
        if district_slug:
            rows = rows.filter(Q(district__slug=district_slug) | Q(uuid=school_uuid))
        # The chosen school first, so it is among the rows fetched whatever the limit;
        # ``position`` keeps the queryset's own order for the options.
        rows = rows.annotate(position=Window(RowNumber(), order_by=rows.query.order_by))
        if school_uuid:
            rows = rows.order_by(Case(When(uuid=school_uuid, then=0), default=1), "position")
        else:
            rows = rows.order_by("position")
        rows = list(rows[: SCHOOL_CHOICES_LIMIT + 1])
        empty = field.empty_label
        if len(rows) > SCHOOL_CHOICES_LIMIT:
            rows = [school for school in rows if school.uuid == school_uuid]
            empty = "Any school (choose a district to list its schools)"
        rows.sort(key=lambda school: school.position)
        return [("", empty)] + [self.choice(school) for school in rows]


def _chosen_school(data: object) -> uuid.UUID | None:
    return parse_uuid((data or {}).get("school", ""))  # type: ignore[union-attr]


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or email", method="search")
    # Filters name records by slug and UUID, as URLs do, never by integer key.
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(), to_field_name="slug", empty_label="Any district"
    )
    school = django_filters.ModelChoiceFilter(
        queryset=School.objects.none(), to_field_name="uuid", empty_label="Any school"
    )
    role = django_filters.ChoiceFilter(choices=Staff.Role.choices, empty_label="Any role")
    is_active = django_filters.BooleanFilter(
        label="Status",
        widget=forms.Select(
            choices=[("", "Any status"), ("true", "Active"), ("false", "Inactive")]
        ),
    )

    class Meta:
        model = Staff
        fields = ["q", "district", "school", "role", "is_active"]

    def __init__(self, *args: object, districts, schools, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.filters["district"].queryset = districts
        self.filters["school"].queryset = schools.select_related("district").order_by(
            "district__name", "name"
        )
        field = self.filters["school"].field
        field.label_from_instance = lambda s: f"{s.name} ({s.district.name})"
        field.limit_to = ((self.data or {}).get("district") or None, _chosen_school(self.data))
        field.iterator = SchoolChoices
        field.widget.choices = field.choices

    def filter_queryset(self, queryset: QuerySet[Staff]) -> QuerySet[Staff]:
        if self.is_bound and not self.form.is_valid():
            # A filter naming something outside the user's scope matches nobody, rather
            # than being dropped and showing everyone.
            return queryset.none()
        return super().filter_queryset(queryset)

    def search(self, queryset: QuerySet[Staff], name: str, value: str) -> QuerySet[Staff]:
        for term in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(email__icontains=term)
            )
        return queryset
