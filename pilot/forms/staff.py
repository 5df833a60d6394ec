import django_filters
from django import forms
from django.db.models import Q, QuerySet

from pilot.models import District, School, Staff


class StaffForm(forms.ModelForm):
    class Meta:
        model = Staff
        fields = ["first_name", "last_name", "email", "role", "district", "school", "employee_id"]
        widgets = {"role": forms.RadioSelect}

    def __init__(
        self, *args: object, districts: QuerySet[District], schools: QuerySet[School], **kwargs
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

    def clean(self) -> dict:
        data = super().clean()
        district, school = data.get("district"), data.get("school")
        if district and school and school.district_id != district.id:
            self.add_error("school", f"{school.name} is not in {district.name}.")
        email, employee_id = data.get("email"), data.get("employee_id")
        if district and email:
            clash = Staff.objects.filter(district=district, email__iexact=email)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("email", "Another staff member in this district has this email.")
        if district and employee_id:
            clash = Staff.objects.filter(district=district, employee_id=employee_id)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("employee_id", "Another staff member in this district has this id.")
        return data


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
        self.filters["school"].field.label_from_instance = lambda s: f"{s.name} ({s.district.name})"

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
