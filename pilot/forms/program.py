from django import forms
from django.utils import timezone

from pilot.models import Cohort, CohortEnrollment, District, School

from .widgets import DateInput


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "status"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        error_messages = {"name": {"unique": "Another cohort already has this name."}}

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "The end date must be after the start date.")
        return data


class DistrictForm(forms.ModelForm):
    class Meta:
        model = District
        fields = [
            "name",
            "slug",
            "state",
            "nces_id",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        help_texts = {"slug": "Lowercase letters, digits and hyphens; used in the page address."}
        error_messages = {
            "slug": {"unique": "Another district already uses this slug."},
            "nces_id": {"unique": "Another district already has this NCES id."},
        }

    def clean_state(self) -> str:
        return (self.cleaned_data.get("state") or "").upper()


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "grade_band", "support_model"]
        widgets = {"support_model": forms.RadioSelect}

    def __init__(self, *args: object, district: District, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = School.objects.filter(district=self.instance.district, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This district already has a school with that name.")
        return name


class CohortEnrollmentForm(forms.Form):
    district = forms.ModelChoiceField(queryset=District.objects.none())
    enrolled_on = forms.DateField(widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: object, cohort: Cohort, districts, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["district"].queryset = districts.exclude(
            cohort_enrollments__cohort=cohort, cohort_enrollments__withdrawn_on__isnull=True
        )

    def clean_enrolled_on(self):
        enrolled_on = self.cleaned_data["enrolled_on"]
        if not self.cohort.starts_on <= enrolled_on <= self.cohort.ends_on:
            raise forms.ValidationError(
                f"Choose a date within the cohort ({self.cohort.starts_on:%b %-d, %Y} – "
                f"{self.cohort.ends_on:%b %-d, %Y})."
            )
        return enrolled_on

    def save(self) -> CohortEnrollment:
        enrollment, _ = CohortEnrollment.objects.update_or_create(
            cohort=self.cohort,
            district=self.cleaned_data["district"],
            defaults={"enrolled_on": self.cleaned_data["enrolled_on"], "withdrawn_on": None},
        )
        return enrollment
