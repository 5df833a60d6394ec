from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format

from pilot.forms.widgets import DateInput, RadioSelect
from pilot.models import Cohort, College, District, Staff
from pilot.questions import PilotQuestion
from pilot.validators import no_invisible_controls

from . import services
from .models import (
    Course,
    DegreePlan,
    Delivery,
    Enrollment,
    Grade,
    Module,
    Offering,
    TransferCredit,
)
from .services import GradeEdit, GradesChangedElsewhere

SCALE = ", ".join(Grade.values)


def _show(form: forms.BaseForm, problems: dict[str, str]) -> None:
    """The service's reasons for refusing, shown before saving (each once per field)."""
    for field, message in problems.items():
        if field not in form.errors:
            form.add_error(field, message)


class CourseForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(
        label="Pilot questions it targets",
        choices=PilotQuestion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The rubric domains this course builds, so growth can be read beside it.",
    )

    class Meta:
        model = Course
        fields = ["college", "code", "title", "credit_hours", "delivery", "description"]
        widgets = {"delivery": RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"credit_hours": "Semester credit hours, e.g. 3 or 1.5."}

    def __init__(self, *args: object, colleges: QuerySet[College], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = colleges
        self.fields["college"].empty_label = None
        if self.instance.pk:
            self.initial["domains"] = [d.domain for d in self.instance.target_domains.all()]

    def clean_code(self) -> str:
        return " ".join(self.cleaned_data["code"].upper().split())

    def clean(self) -> dict:
        data = super().clean()
        problems = services.course_problems(
            college=data.get("college"), code=data.get("code"), course=self.instance
        )
        _show(self, problems)
        return data


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Code or title")
    delivery = django_filters.ChoiceFilter(choices=Delivery.choices, empty_label="Any delivery")
    domain = django_filters.ChoiceFilter(
        field_name="target_domains__domain",
        choices=PilotQuestion.choices,
        label="Pilot question",
        empty_label="Any question",
        distinct=True,
    )

    class Meta:
        model = Course
        fields = ["q", "delivery", "domain"]

    def search(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(code__icontains=value) | queryset.filter(title__icontains=value)


class OfferingForm(forms.ModelForm):
    class Meta:
        model = Offering
        fields = ["course", "cohort", "term", "section", "starts_on", "ends_on", "instructor"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(
        self,
        *args: object,
        courses: QuerySet[Course],
        cohorts: QuerySet[Cohort],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["cohort"].queryset = cohorts

    def clean(self) -> dict:
        data = super().clean()
        fields = ("course", "cohort", "term", "section", "starts_on", "ends_on")
        _show(
            self,
            services.offering_problems(offering=self.instance, **{f: data.get(f) for f in fields}),
        )
        return data


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["title", "mode", "order", "due_on"]
        widgets = {"mode": RadioSelect, "due_on": DateInput()}
        labels = {"mode": "How it is delivered"}
        help_texts = {"order": "Position in the offering: 1 for the first module."}

    def __init__(self, *args: object, offering: Offering, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.offering = offering
        if not self.instance.pk and not self.is_bound:
            last = offering.modules.order_by("-order").values_list("order", flat=True).first()
            self.initial["order"] = (last or 0) + 1

    def clean(self) -> dict:
        data = super().clean()
        _show(
            self,
            services.module_problems(
                module=self.instance, order=data.get("order"), due_on=data.get("due_on")
            ),
        )
        return data


class EnrollFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.none(), required=False, empty_label="Every district"
    )
    q = forms.CharField(label="Name or email", required=False, max_length=100)

    def __init__(self, *args: object, districts: QuerySet[District], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class ParaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.last_name}, {obj.first_name} — {obj.school.name}, {obj.district.name}"


class EnrollForm(forms.Form):
    paras = ParaChoiceField(
        label="Paraprofessionals to enroll",
        queryset=Staff.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one paraprofessional."},
    )

    def __init__(self, *args: object, paras: QuerySet[Staff], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paras"].queryset = paras


RELOAD = "This row was not on the page you loaded: reload the page and enter it again."


@dataclass(frozen=True)
class GradeRow:
    """One row of the grades page: an enrollment, its grade box (name, id, label, value,
    errors) and the hidden ``(name, id, value)`` of how it was loaded."""

    enrollment: Enrollment
    name: str
    id: str
    label: str
    value: str
    errors: list[str]
    loaded: list[tuple[str, str, str]]


def _text(value: object) -> str:
    return "" if value is None else str(value)


class RosterGradesForm(forms.Form):
    """One grade box per enrollment of the offering (named by the enrollment's uuid), with
    the grade and last-change stamp the row had when the page was loaded (hidden), and the
    completion date new final grades take. A row counts as changed only when its box no
    longer holds the grade it was loaded with, so a save never puts back a grade that
    someone else changed in a row this page left alone."""

    completed_on = forms.DateField(
        label="Completion date for newly final grades",
        widget=DateInput(),
        help_text="Grades already recorded keep their date.",
    )

    def __init__(
        self, *args: object, offering: Offering, enrollments: list[Enrollment], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offering = offering
        self.enrollments = enrollments
        self.refused = ""
        self.initial["completed_on"] = min(offering.ends_on, timezone.localdate())
        for e in enrollments:
            name = self.field_name(e)
            self.fields[name] = forms.CharField(
                label=f"Grade for {e.para.full_name}",
                required=False,
                max_length=2,
                strip=True,
                widget=forms.TextInput(
                    attrs={"size": 3, "autocomplete": "off", "class": "form-control grade-input"}
                ),
            )
            self.initial[name] = e.grade
            self.fields[f"loaded-{name}"] = forms.CharField(
                required=False, max_length=1, widget=forms.HiddenInput
            )
            self.initial[f"loaded-{name}"] = e.grade
            self.fields[f"loaded-at-{e.uuid}"] = forms.DateTimeField(
                required=False, widget=forms.HiddenInput
            )
            self.initial[f"loaded-at-{e.uuid}"] = e.updated_at.isoformat()

    def clean_completed_on(self):
        done = self.cleaned_data["completed_on"]
        if done > timezone.localdate():
            raise forms.ValidationError("The completion date cannot be in the future.")
        if done < self.offering.starts_on:
            raise forms.ValidationError(
                f"The completion date cannot be before the offering starts "
                f"({date_format(self.offering.starts_on)})."
            )
        return done

    @staticmethod
    def field_name(enrollment: Enrollment) -> str:
        return f"grade-{enrollment.uuid}"

    def _posted(self, name: str) -> bool:
        return self.add_prefix(name) in self.data

    def clean(self) -> dict:
        data = super().clean()
        for e in self.enrollments:
            name = self.field_name(e)
            if name not in data:
                continue
            grade = data[name].upper()
            if grade and grade not in Grade.values:
                self.add_error(
                    name, f"“{data[name]}” is not on the scale: use {SCALE}, or leave it empty."
                )
                continue
            data[name] = grade
            # Without what the row held when loaded, a change cannot be told from a stale
            # copy of someone else's: refuse the row rather than guess.
            if self._posted(name) and not (
                self._posted(f"loaded-{name}") and data.get(f"loaded-at-{e.uuid}")
            ):
                self.add_error(name, RELOAD)
        return data

    def rows(self) -> list["GradeRow"]:
        """Each enrollment with its grade box and the hidden fields that say how it was
        loaded, read once into plain values: a roster has hundreds of rows, and the
        template looking each up on the bound fields took most of the page's time."""
        rows = []
        for e in self.enrollments:
            box = self[self.field_name(e)]
            hidden = [self[f"loaded-{self.field_name(e)}"], self[f"loaded-at-{e.uuid}"]]
            rows.append(
                GradeRow(
                    enrollment=e,
                    name=box.html_name,
                    id=box.id_for_label,
                    label=box.label,
                    value=_text(box.value()),
                    errors=list(box.errors),
                    loaded=[(h.html_name, h.id_for_label, _text(h.value())) for h in hidden],
                )
            )
        return rows

    def edits(self) -> dict[int, GradeEdit]:
        """The rows this page changed. A box still holding the grade it was loaded with is
        not a change, whatever the row holds now; a row the page did not show (someone
        enrolled after it was loaded) is left as it is."""
        edits = {}
        for e in self.enrollments:
            name = self.field_name(e)
            if not self._posted(name):
                continue
            grade = self.cleaned_data[name]
            if grade != self.cleaned_data[f"loaded-{name}"].upper():
                edits[e.pk] = GradeEdit(grade, self.cleaned_data[f"loaded-at-{e.uuid}"])
        return edits

    def show_changed_elsewhere(self, refusal: GradesChangedElsewhere) -> None:
        """Mark each row saved elsewhere, and load it afresh: its box shows the grade now
        saved, so saving again keeps it unless the liaison types theirs again."""
        self.refused = str(refusal)
        self.data = self.data.copy()
        for row in refusal.rows:
            e = row.enrollment
            name = self.add_prefix(self.field_name(e))
            typed = self.data.get(name, "").strip().upper()
            self.data[name] = e.grade
            self.data[self.add_prefix(f"loaded-{self.field_name(e)}")] = e.grade
            self.data[self.add_prefix(f"loaded-at-{e.uuid}")] = e.updated_at.isoformat()
            who = f" by {row.by}" if row.by else ""
            when = timezone.localtime(e.updated_at)
            day = (
                ""
                if when.date() == timezone.localdate()
                else f" on {date_format(when, 'MONTH_DAY_FORMAT')}"
            )
            self.add_error(
                self.field_name(e),
                f"Saved elsewhere{who}{day} at {time_format(when)} with {_grade_words(e.grade)}; "
                f"your change to {_grade_words(typed)} was not saved. The box shows the "
                "saved grade: enter yours again to replace it.",
            )

    @property
    def bad_rows(self) -> int:
        return sum(1 for e in self.enrollments if self.field_name(e) in self.errors)


def _grade_words(grade: str) -> str:
    return f"“{grade}”" if grade else "no grade"


class TransferCreditForm(forms.ModelForm):
    """A paraprofessional's claim of credit earned elsewhere, for a college to verify."""

    class Meta:
        model = TransferCredit
        fields = ["college", "institution", "course_title", "credit_hours", "completed_on"]
        widgets = {"completed_on": DateInput()}
        labels = {"college": "College to evaluate it", "completed_on": "Completed on"}
        help_texts = {"institution": "The college or university where you took the course."}

    def __init__(self, *args: object, para: Staff, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.para = para
        self.fields["college"].queryset = College.objects.all()
        self.fields["college"].empty_label = None

    def clean(self) -> dict:
        data = super().clean()
        _show(self, services.transfer_credit_problems(completed_on=data.get("completed_on")))
        return data


class VerifyTransferForm(forms.Form):
    equivalent_course = forms.ModelChoiceField(
        queryset=Course.objects.none(),
        required=False,
        empty_label="No equivalent: count it as an elective",
        label="Counts as",
    )

    def __init__(self, *args: object, courses: QuerySet[Course], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["equivalent_course"].queryset = courses


class _PlanChoiceForm(forms.Form):
    """Choose a plan, by uuid, from a list already fetched (no query of its own)."""

    plan = forms.ChoiceField()

    def __init__(self, *args: object, plans: list[DegreePlan], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.plans = {str(p.uuid): p for p in plans}
        self.fields["plan"].choices = self.blank + [
            (key, f"{p.name} ({p.college.name})") for key, p in self.plans.items()
        ]

    blank: list = []

    @property
    def chosen(self) -> DegreePlan:
        return self.plans[self.cleaned_data["plan"]]


class DeclarePlanForm(_PlanChoiceForm):
    plan = forms.ChoiceField(label="Degree or certificate")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, auto_id="declare_%s", **kwargs)


class WhatIfForm(_PlanChoiceForm):
    plan = forms.ChoiceField(label="See the same credit under")
    blank = [("", "Choose a plan")]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, auto_id="whatif_%s", **kwargs)


class PlanForm(forms.ModelForm):
    class Meta:
        model = DegreePlan
        fields = ["college", "name", "kind", "total_credits", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, colleges: QuerySet[College], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = colleges
        self.fields["college"].empty_label = None


class BlockForm(forms.Form):
    name = forms.CharField(max_length=120, validators=[no_invisible_controls])
    credits_required = forms.DecimalField(max_digits=5, decimal_places=1, min_value=0.5)
    order = forms.IntegerField(min_value=0, max_value=100, initial=0)
    is_open = forms.BooleanField(
        label="Open to any course (electives)",
        required=False,
        help_text="Credit no other block uses counts here, up to the requirement.",
    )
    courses = forms.ModelMultipleChoiceField(
        queryset=Course.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Eligible courses",
    )

    def __init__(self, *args: object, courses: QuerySet[Course], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = courses


# Parsing only: the rules across blocks are ``services.block_problems``, shown by the view.
BlockFormSet = forms.formset_factory(BlockForm, extra=1, can_delete=True)
