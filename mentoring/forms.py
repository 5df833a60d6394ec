"""Forms for pairings, sessions and goals. Every choice comes from the access scopes."""

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from pilot.forms.widgets import DateInput
from pilot.models import Cohort, District, Staff
from pilot.questions import PilotQuestion

from .models import MAX_SESSION_MINUTES, Goal, MentoringSession, Pairing, SupportRole


def _ordered(values: list[str]) -> list[str]:
    return [v for v in PilotQuestion.values if v in values]


class FocusAreasField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Focus areas")
        kwargs.setdefault("error_messages", {"required": "Choose at least one focus area."})
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
            enrolled = district.cohort_enrollments.filter(
                cohort=cohort, withdrawn_on__isnull=True
            ).exists()
            if not enrolled:
                self.add_error("cohort", f"{district} is not enrolled in {cohort}.")
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
        if member.role != role:
            wanted = Staff.Role(role).label.lower()
            return f"{member.full_name} is a {member.get_role_display().lower()}, not a {wanted}."
        if member.district_id != self.district.pk:
            return f"{member.full_name} works in {member.district}, not {self.district}."
        if not member.is_active:
            return f"{member.full_name} is inactive."
        if role == Staff.Role.PARAPROFESSIONAL:
            current = self._paired_paras().filter(paraprofessional=member).select_related("teacher")
            pairing = current.first()
            if pairing is not None:
                return (
                    f"{member.full_name} already has an active pairing in {self.cohort} "
                    f"(with {pairing.teacher.full_name})."
                )
        return None

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if self.editing and (starts or ends):
            # Sessions already logged must stay inside the pairing's dates.
            span = self.instance.sessions.aggregate(first=Min("held_on"), last=Max("held_on"))
            first, last = span["first"], span["last"]
            if starts and first and starts > first:
                self.add_error(
                    "starts_on", f"A session was logged on {first:%Y-%m-%d}: start by then."
                )
            if ends and last and ends < last:
                self.add_error("ends_on", f"A session was logged on {last:%Y-%m-%d}: end after it.")
        return data

    # -- roles --------------------------------------------------------------------
    @property
    def role_fields(self) -> list:
        return [self[f"role_{value}"] for value in SupportRole.Role.values]

    @property
    def main_fields(self) -> list:
        return [f for f in self if not f.name.startswith("role_")]

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

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on < self.pairing.starts_on:
            raise ValidationError("This date is before the pairing started.")
        if closed_on > timezone.localdate():
            raise ValidationError("This date is in the future.")
        return closed_on

    def clean_end_reason(self) -> str:
        reason = self.cleaned_data["end_reason"].strip()
        if not reason:
            raise ValidationError("Say why the pairing ended early.")
        return reason


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

    def clean_minutes(self) -> int:
        minutes = self.cleaned_data["minutes"]
        if not 1 <= minutes <= MAX_SESSION_MINUTES:
            raise ValidationError(f"Enter 1 to {MAX_SESSION_MINUTES} minutes (a school day).")
        return minutes

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError("Log a session once it has happened: this date is ahead.")
        return held_on

    def clean(self) -> dict:
        data = super().clean()
        if not self.instance.pairing.is_active:
            raise ValidationError("This pairing has ended: its sessions can no longer change.")
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
        if not self.instance.pairing.is_active:
            raise ValidationError("This pairing has ended: its goals can no longer change.")
        return data


class PairingFilter(django_filters.FilterSet):
    cohort = django_filters.ModelChoiceFilter(
        queryset=Cohort.objects.none(), to_field_name="uuid", empty_label="Any cohort"
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(), to_field_name="slug", empty_label="Any district"
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
        queryset=District.objects.none(), to_field_name="slug", required=False
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
