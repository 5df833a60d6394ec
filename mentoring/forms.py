"""Forms for pairings, sessions and goals: they parse and present. Every choice comes from
the access scopes; every rule and its message from ``mentoring.services``."""

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from pilot.forms.errors import add_service_errors
from pilot.forms.widgets import DateInput, ManyOptionsSelect
from pilot.models import Cohort, District, Staff
from pilot.questions import PilotQuestion

from . import services
from .models import (
    FOCUS_AREA_REQUIRED,
    MAX_SESSION_MINUTES,
    Goal,
    MentoringSession,
    Pairing,
    SupportRole,
)


def _ordered(values: list[str]) -> list[str]:
    return [v for v in PilotQuestion.values if v in values]


class FocusAreasField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Focus areas")
        kwargs.setdefault("error_messages", {"required": FOCUS_AREA_REQUIRED})
        super().__init__(choices=PilotQuestion.choices, **kwargs)

    def clean(self, value: Any) -> list[str]:
        return _ordered(super().clean(value))


class ExplainedStaffChoiceField(forms.ModelChoiceField):
    """A staff choice that says why someone who is not offered cannot be chosen."""

    def __init__(self, *args: Any, explain: Callable[[Any], str | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.explain = explain

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            reason = self.explain(value)
            if reason:
                raise ValidationError(reason, code="invalid_choice") from None
            raise


def _show(form: forms.BaseForm, problems: services.Problems, fields: dict | None = None) -> None:
    """The service's refusals, on fields that have no error of their own yet."""
    fresh = {name: message for name, message in problems.items() if name not in form.errors}
    if fresh:
        add_service_errors(form, ValidationError(fresh), fields)


def staff_label(s: Staff) -> str:
    return f"{s.last_name}, {s.first_name} — {s.school.name}"


class PairingStartForm(forms.Form):
    """Step one: which district and cohort, so the next step offers only their staff."""

    district = forms.ModelChoiceField(queryset=District.objects.none(), to_field_name="slug")
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), to_field_name="uuid")

    def __init__(self, *args: Any, districts: QuerySet, cohorts: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["cohort"].queryset = cohorts.exclude(status=Cohort.Status.CLOSED)
        self.fields["cohort"].help_text = "Closed cohorts take no new pairings."

    def clean(self) -> dict:
        data = super().clean()
        district, cohort = data.get("district"), data.get("cohort")
        if district and cohort:
            enrolled = services.is_enrolled(district, cohort)
            problems = services.cohort_problems(cohort=cohort, district=district, enrolled=enrolled)
            # Both rules are about the cohort chosen for the district.
            _show(self, problems, {"district": "cohort"})
        return data


TIER_CHOICES = [
    ("", "Not part of their work"),
    *[(str(value), label) for value, label in SupportRole.Tier.choices],
]


class PairingForm(forms.ModelForm):
    """Create (members, dates, focus, roles) or edit (dates, focus, roles) a pairing."""

    focus_areas = FocusAreasField()

    class Meta:
        model = Pairing
        fields = ["teacher", "paraprofessional", "starts_on", "ends_on", "focus_areas"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(
        self,
        *args: Any,
        cohort: Cohort,
        district: District,
        staff: QuerySet[Staff],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cohort, self.district, self.staff = cohort, district, staff
        self.instance.cohort, self.instance.district = cohort, district
        self.editing = self.instance.pk is not None
        if self.editing:
            del self.fields["teacher"], self.fields["paraprofessional"]
        else:
            self._member_fields()
            self.initial.setdefault("starts_on", max(cohort.starts_on, timezone.localdate()))
            self.initial.setdefault("ends_on", cohort.ends_on)
        roles = {r.role: r.tier for r in self.instance.support_roles.all()} if self.editing else {}
        for value, label in SupportRole.Role.choices:
            self.fields[f"role_{value}"] = forms.TypedChoiceField(
                label=label,
                choices=TIER_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=roles.get(value, ""),
            )

    # -- members ------------------------------------------------------------------
    def _member_fields(self) -> None:
        district_staff = self.staff.filter(district=self.district, is_active=True)
        paired = self._paired_paras()
        teacher = ExplainedStaffChoiceField(
            queryset=district_staff.filter(role=Staff.Role.TEACHER).select_related("school"),
            explain=lambda v: self._why_not(v, Staff.Role.TEACHER),
            help_text=f"Active teachers of {self.district}. A teacher may mentor several "
            "paraprofessionals.",
        )
        para = ExplainedStaffChoiceField(
            queryset=district_staff.filter(role=Staff.Role.PARAPROFESSIONAL)
            .exclude(pk__in=paired.values("paraprofessional"))
            .select_related("school"),
            explain=lambda v: self._why_not(v, Staff.Role.PARAPROFESSIONAL),
            label="Paraprofessional",
            help_text=self._para_help(paired),
        )
        teacher.label_from_instance = para.label_from_instance = staff_label
        self.fields["teacher"], self.fields["paraprofessional"] = teacher, para

    def _paired_paras(self) -> QuerySet[Pairing]:
        return Pairing.objects.filter(
            cohort=self.cohort, district=self.district, status=Pairing.Status.ACTIVE
        )

    def _para_help(self, paired: QuerySet[Pairing]) -> str:
        taken = list(
            paired.select_related("paraprofessional", "teacher").order_by(
                "paraprofessional__last_name", "id"
            )[:6]
        )
        text = (
            f"Active paraprofessionals of {self.district} without an active pairing "
            f"in {self.cohort}."
        )
        if taken:
            names = "; ".join(
                f"{p.paraprofessional.full_name} (with {p.teacher.full_name})" for p in taken[:5]
            )
            more = " and others" if len(taken) > 5 else ""
            text += f" Not listed because already paired: {names}{more}."
        return text + " Inactive staff are not listed."

    def _why_not(self, value: Any, role: str) -> str | None:
        """Why a submitted staff id is not a valid choice, named only within scope."""
        try:
            member = self.staff.select_related("district").get(pk=int(value))
        except (Staff.DoesNotExist, TypeError, ValueError):
            return None
        why = services.member_problem(member, role=role, district=self.district)
        if why is None and role == Staff.Role.PARAPROFESSIONAL:
            current = services.active_pairing(member, self.cohort)
            if current is not None:
                why = services.already_paired(member, self.cohort, current)
        return why

    def clean(self) -> dict:
        data = super().clean()
        pairing = self.instance if self.editing else None
        members = {
            "teacher": data.get("teacher"),
            "paraprofessional": data.get("paraprofessional"),
        }
        if self.editing or None not in members.values():
            facts = services.pairing_facts(
                pairing=pairing,
                cohort=self.cohort,
                district=self.district,
                para=members["paraprofessional"],
            )
            problems = services.pairing_problems(
                pairing=pairing,
                cohort=self.cohort,
                district=self.district,
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
                focus_areas=data.get("focus_areas"),
                facts=facts,
                **members,
            )
            _show(self, problems)
        return data

    # -- roles --------------------------------------------------------------------
    @property
    def role_fields(self) -> list:
        return [self[f"role_{value}"] for value in SupportRole.Role.values]

    @property
    def main_fields(self) -> list:
        return [f for f in self if not f.name.startswith("role_")]

    def service_values(self) -> dict[str, Any]:
        """The cleaned data as the service's keyword arguments."""
        names = ["starts_on", "ends_on", "focus_areas"]
        if not self.editing:
            names += ["teacher", "paraprofessional"]
        return {name: self.cleaned_data[name] for name in names} | {
            "support_roles": self.support_roles()
        }

    def support_roles(self) -> dict[str, int]:
        return {
            value: self.cleaned_data[f"role_{value}"]
            for value in SupportRole.Role.values
            if self.cleaned_data.get(f"role_{value}")
        }


class ClosePairingForm(forms.Form):
    """Complete a pairing, or end it early with a reason."""

    closed_on = forms.DateField(label="Date", widget=DateInput(), initial=timezone.localdate)
    end_reason = Pairing._meta.get_field("end_reason").formfield(
        label="Reason for ending early",
        required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the pairing's history; the pair can see it.",
    )

    def __init__(self, *args: Any, pairing: Pairing, early: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pairing, self.early = pairing, early
        if not early:
            del self.fields["end_reason"]
            self.fields["closed_on"].label = "Completed on"
        else:
            self.fields["closed_on"].label = "Ended on"

    def clean(self) -> dict:
        data = super().clean()
        problems = services.closing_problems(
            pairing=self.pairing,
            closed_on=data.get("closed_on"),
            reason=data.get("end_reason", ""),
            early=self.early,
        )
        if "closed_on" not in data:
            problems.pop("closed_on", None)
        if self.early and "end_reason" not in data:
            problems.pop("end_reason", None)
        _show(self, problems)
        return data


class SessionForm(forms.ModelForm):
    focus_areas = FocusAreasField(label="What you worked on")

    class Meta:
        model = MentoringSession
        fields = ["held_on", "minutes", "focus_areas", "notes", "next_steps"]
        widgets = {
            "held_on": DateInput(),
            "minutes": forms.NumberInput(attrs={"min": 1, "max": MAX_SESSION_MINUTES}),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"notes": "Only you and your partner can read the notes and next steps."}

    def __init__(self, *args: Any, pairing: Pairing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.pairing = pairing
        if self.instance.pk is None:
            self.initial.setdefault("held_on", timezone.localdate())
            self.initial.setdefault("focus_areas", pairing.focus_areas)

    def clean(self) -> dict:
        data = super().clean()
        problems = services.session_problems(
            pairing=self.instance.pairing, held_on=data.get("held_on"), minutes=data.get("minutes")
        )
        _show(self, problems)
        return data


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["focus_area", "text", "target_on", "status"]
        widgets = {
            "target_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }
        labels = {"focus_area": "Focus area"}

    def __init__(self, *args: Any, pairing: Pairing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.pairing = pairing
        if self.instance.pk is None:
            del self.fields["status"]
            self.initial.setdefault("target_on", pairing.ends_on)

    def clean(self) -> dict:
        data = super().clean()
        problems = services.goal_problems(
            pairing=self.instance.pairing, target_on=data.get("target_on")
        )
        _show(self, problems)
        return data


class PairingFilter(django_filters.FilterSet):
    cohort = django_filters.ModelChoiceFilter(
        queryset=Cohort.objects.none(), to_field_name="uuid", empty_label="Any cohort"
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(),
        to_field_name="slug",
        empty_label="Any district",
        widget=ManyOptionsSelect,
    )
    status = django_filters.ChoiceFilter(choices=Pairing.Status.choices, empty_label="Any status")
    q = django_filters.CharFilter(label="Name", method="search")

    class Meta:
        model = Pairing
        fields = ["q", "cohort", "district", "status"]

    def __init__(self, *args: Any, cohorts: QuerySet, districts: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.filters["cohort"].queryset = cohorts
        self.filters["district"].queryset = districts

    def search(self, queryset: QuerySet[Pairing], name: str, value: str) -> QuerySet[Pairing]:
        for term in value.split():
            queryset = queryset.filter(
                Q(teacher__first_name__icontains=term)
                | Q(teacher__last_name__icontains=term)
                | Q(paraprofessional__first_name__icontains=term)
                | Q(paraprofessional__last_name__icontains=term)
            )
        return queryset


class UnpairedFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), required=False)
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        to_field_name="slug",
        required=False,
        widget=ManyOptionsSelect,
    )
    role = forms.ChoiceField(
        choices=[
            (Staff.Role.PARAPROFESSIONAL, "Paraprofessionals"),
            (Staff.Role.TEACHER, "Teachers"),
        ],
        required=False,
        label="Who",
    )

    def __init__(self, *args: Any, cohorts: QuerySet, districts: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["cohort"].empty_label = "The current cohort"
        self.fields["district"].queryset = districts
        self.fields["district"].empty_label = "All my districts"
