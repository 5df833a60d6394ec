from django import forms
from django.utils import timezone

from pilot.models import Cohort, District, School
from pilot.validators import split_domains

from .errors import ParsingModelForm
from .widgets import DateInput, RadioSelect


class CohortForm(ParsingModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "status"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class DistrictForm(ParsingModelForm):
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
            "sign_in_domains",
        ]
        help_texts = {"slug": "Lowercase letters, digits and hyphens; used in the page address."}

    def __init__(self, *args: object, sign_in: bool = False, **kwargs: object) -> None:
        """``sign_in``: whether the person may set the sign-in domains (else not shown)."""
        super().__init__(*args, **kwargs)
        if not sign_in:
            del self.fields["sign_in_domains"]

    def clean_state(self) -> str:
        return (self.cleaned_data.get("state") or "").upper()

    def clean_sign_in_domains(self) -> str:
        return ", ".join(split_domains(self.cleaned_data.get("sign_in_domains") or ""))


class SchoolForm(ParsingModelForm):
    class Meta:
        model = School
        fields = ["name", "grade_band", "support_model"]
        widgets = {"support_model": RadioSelect}


class CohortEnrollmentForm(forms.Form):
    districts = forms.ModelMultipleChoiceField(
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every district to enroll; they are enrolled together or not at all.",
    )
    enrolled_on = forms.DateField(widget=DateInput())

    def __init__(self, *args: object, cohort: Cohort, districts, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Today, or the nearest day of the cohort: a future cohort's enrollments start with it.
        today = timezone.localdate()
        self.fields["enrolled_on"].initial = min(max(today, cohort.starts_on), cohort.ends_on)
        # Districts already enrolled are not offered (the service refuses them too).
        self.fields["districts"].queryset = districts.exclude(
            cohort_enrollments__cohort=cohort, cohort_enrollments__withdrawn_on__isnull=True
        ).order_by("name")
