"""Milestone forms: they parse; ``pathways.services`` keeps the rules."""

from typing import Any

from django import forms

from coursework.models import DegreePlan
from pilot import limits
from pilot.forms.errors import ParsingModelForm
from pilot.models import Cohort, District, School

from .models import Assessment, CohortStatus, Credential, EmploymentEvent

DATE = forms.DateInput(attrs={"type": "date"})


class StatusForm(ParsingModelForm):
    class Meta:
        model = CohortStatus
        fields = ["cohort", "status", "reason", "note", "recorded_on"]
        widgets = {"recorded_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "reason": "Only for a withdrawal.",
            "note": f"Optional. Up to {limits.REASON} characters.",
        }

    def __init__(self, *args: Any, cohorts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts if cohorts is not None else Cohort.objects.all()


class CredentialForm(ParsingModelForm):
    class Meta:
        model = Credential
        fields = ["plan", "awarded_on", "exception_reason"]
        widgets = {"awarded_on": DATE, "exception_reason": forms.Textarea(attrs={"rows": 3})}
        labels = {"exception_reason": "Reason for an exception"}
        help_texts = {
            "exception_reason": "Only when the plan's blocks are not all met: why the college "
            "awards it anyway."
        }

    def __init__(self, *args: Any, plans: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans if plans is not None else DegreePlan.objects.none()


class AssessmentForm(ParsingModelForm):
    passed = forms.TypedChoiceField(
        choices=[("yes", "Passed"), ("no", "Not passed")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Result",
    )

    class Meta:
        model = Assessment
        fields = ["kind", "name", "code", "taken_on", "passed"]
        widgets = {"taken_on": DATE}
        help_texts = {"name": "For example Praxis ParaPro.", "code": "For example 1755 or 5001."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["passed"] = "yes" if self.instance.passed else "no"


class EmploymentForm(ParsingModelForm):
    still_teaching = forms.TypedChoiceField(
        choices=[("", "—"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
        label="Still teaching (yearly check)",
    )

    class Meta:
        model = EmploymentEvent
        fields = ["kind", "district", "school", "occurred_on", "still_teaching", "check_year"]
        widgets = {"occurred_on": DATE}
        help_texts = {
            "school": "For a teacher of record.",
            "check_year": "For a yearly check, e.g. 2028 for 2027–2028.",
        }

    def __init__(
        self, *args: Any, districts: Any = None, schools: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts if districts is not None else District.objects
        self.fields["school"].queryset = (
            schools.select_related("district") if schools is not None else School.objects.none()
        )
        self.fields["school"].label_from_instance = lambda s: f"{s.name} ({s.district.name})"
        if self.instance.pk:
            self.initial["still_teaching"] = {True: "yes", False: "no"}.get(
                self.instance.still_teaching, ""
            )


class TeacherRecordForm(forms.Form):
    """Which teacher record is this person's: found by its email among the records the
    user may see."""

    teacher = forms.EmailField(
        label="Email of the teacher record",
        max_length=254,
        help_text="The staff record they have as a teacher, in this or another district.",
    )
    linked_on = forms.DateField(label="Teaching since", widget=DATE)


class DistrictRuleForm(forms.Form):
    credential_before_teaching = forms.BooleanField(
        required=False,
        label="Requires a teaching credential before teacher of record",
        help_text="When ticked, recording a teacher of record in this district warns if no "
        "credential is recorded by that date.",
    )
