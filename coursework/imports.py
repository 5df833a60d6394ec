"""Course enrollments and final grades as a roster-import kind (``/imports/``, for the
college liaison), and the enrollment exports.

One row per paraprofessional in an offering of the liaison's college: course code, term,
section and cohort name the offering (section and cohort only when the term has several),
the paraprofessional is an email or employee id within the district (its name or code), the
grade comes from the college's scale and sets the status (``coursework.services.apply_grade``, which
holds the completed-date rules: its refusals go on the row's columns). A row matches the
existing enrollment of that paraprofessional in that offering; otherwise it enrolls them.
Records are prefetched in a few queries; the confirmed rows are written together by
``coursework.services.save_imported_enrollments`` (with their history).
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from import_export.fields import Field
from import_export.widgets import Widget

from coursework.access import OFFERINGS
from pilot.imports.districts import DISTRICT, EXAMPLE, Districts
from pilot.imports.resources import (
    DateTextWidget,
    Errors,
    LookupWidget,
    RosterResource,
    StaffDirectory,
    name_key,
    tidy,
)
from pilot.models import CohortEnrollment, Staff

from . import services
from .models import FINAL_GRADES, Enrollment, Grade, Offering

SCALE = ", ".join(Grade.values[:-1]) + f" or {Grade.values[-1]}"


# The service's field names as the file's columns.
COLUMNS = {"completed_on": "completed date", "grade": "grade", "cohort": "cohort"}


def _on_columns(problems: dict, errors: Errors) -> None:
    """The service's reasons for refusing, each on the column it is about."""
    for field, messages in problems.items():
        errors[COLUMNS[field]] = messages if isinstance(messages, list) else [messages]


def _section_key(section: str) -> str:
    """Sections match as typed or as a spreadsheet turns them into numbers (01 = 1)."""
    key = name_key(section)
    return key.lstrip("0") or key


class GradeWidget(Widget):
    """A letter on the college's scale (any case); blank keeps what is stored."""

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str | None:
        text = tidy(value)
        if not text:
            return None
        if text.upper() not in Grade.values:
            raise ValueError(f"“{text}” is not on the grade scale: use {SCALE}, or leave it empty.")
        return text.upper()

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class EnrollmentResource(RosterResource):
    offering = Field(
        attribute="offering",
        column_name="course code",
        widget=LookupWidget("clean_offering", "course.code"),
    )
    term = Field(attribute="offering__term", column_name="term", readonly=True)
    section = Field(attribute="offering__section", column_name="section", readonly=True)
    cohort = Field(attribute="offering__cohort__name", column_name="cohort", readonly=True)
    district = Field(attribute="para__district__name", column_name=DISTRICT, readonly=True)
    para = Field(
        attribute="para", column_name="paraprofessional", widget=LookupWidget("clean_para", "email")
    )
    para_name = Field(
        attribute="para__full_name", column_name="paraprofessional name", readonly=True
    )
    grade = Field(
        attribute="grade", column_name="grade", widget=GradeWidget(), saves_null_values=False
    )
    completed_on = Field(
        attribute="completed_on",
        column_name="completed date",
        widget=DateTextWidget(),
        saves_null_values=False,
    )

    example_row = {
        "course code": "EDU 110",
        "term": "Fall 2026",
        "section": "01",
        "cohort": "2026–2027 Pilot",
        DISTRICT: EXAMPLE,
        "paraprofessional": "maria.garcia@cedarvalley.example.org",
        "paraprofessional name": "Maria Garcia",
        "grade": "B",
        "completed date": "2026-12-11",
    }
    required_columns = ("course code", "term", DISTRICT, "paraprofessional")

    class Meta(RosterResource.Meta):
        model = Enrollment
        fields = (
            "offering",
            "term",
            "section",
            "cohort",
            "district",
            "para",
            "para_name",
            "grade",
            "completed_on",
        )
        import_id_fields = ("offering", "para")
        use_bulk = True
        batch_size = None  # written together in after_import, through coursework.services

    # -- lookups -------------------------------------------------------------------------

    def prefetch(self, dataset: Any) -> None:
        self.today = timezone.localdate()
        offerings = list(OFFERINGS.visible(self.user).select_related("course__college", "cohort"))
        self.college_names = sorted({o.course.college.name for o in offerings})
        self.offerings: dict[tuple[str, str], list[Offering]] = {}
        self.course_codes = {name_key(o.course.code) for o in offerings}
        for offering in offerings:
            key = (name_key(offering.course.code), name_key(offering.term))
            self.offerings.setdefault(key, []).append(offering)
        self.districts = Districts(dataset[DISTRICT])
        emails, ids = StaffDirectory.tokens(dataset, ("paraprofessional",))
        people = list(
            Staff.objects.filter(district__in=self.districts.values()).filter(
                Q(email__in=emails) | Q(employee_id__in=ids)
            )
        )
        by_district = {d.pk: d for d in self.districts.values()}
        for member in people:
            member.district = by_district[member.district_id]
        self.directory = StaffDirectory(people)
        self.cohort_districts = set(
            CohortEnrollment.objects.filter(
                cohort__in={o.cohort_id for o in offerings},
                district__in=self.districts.values(),
                withdrawn_on__isnull=True,
            ).values_list("cohort_id", "district_id")
        )
        by_offering = {o.pk: o for o in offerings}
        by_person = {p.pk: p for p in people}
        self.enrollments: dict[tuple[int, int], Enrollment] = {}
        self.stored: dict[int, tuple[str, date | None]] = {}  # status, completed date
        for enrollment in Enrollment.objects.filter(
            offering_id__in=list(by_offering), para_id__in=list(by_person)
        ):
            enrollment.offering = by_offering[enrollment.offering_id]
            enrollment.para = by_person[enrollment.para_id]
            self.enrollments[(enrollment.offering_id, enrollment.para_id)] = enrollment
            self.stored[enrollment.pk] = (enrollment.status, enrollment.completed_on)

    def describe(self, row: dict) -> str:
        para = tidy(row.get("paraprofessional name")) or tidy(row.get("paraprofessional"))
        offering = " ".join(tidy(row.get(c)) for c in ("course code", "term") if row.get(c))
        return f"{para} in {offering}"

    def summary(self, row: dict) -> str:
        grade = tidy(row.get("grade")).upper()
        return f"grade {grade}" if grade else "enrolled, no grade yet"

    def _offering_for(self, row: dict) -> tuple[Offering | None, str]:
        """The offering a row names, or why none."""
        code, term = tidy(row.get("course code")), tidy(row.get("term"))
        section, cohort = tidy(row.get("section")), tidy(row.get("cohort"))
        if not code:
            return None, "Required."
        if not term:
            return None, "Give the term as well (e.g. Fall 2026)."
        college = " or ".join(self.college_names) or "your college"
        if name_key(code) not in self.course_codes:
            return None, f"No course “{code}” with offerings at {college}."
        found = self.offerings.get((name_key(code), name_key(term)), [])
        if section:
            found = [o for o in found if _section_key(o.section) == _section_key(section)]
        if cohort:
            found = [o for o in found if name_key(o.cohort.name) == name_key(cohort)]
        if not found:
            where = ", ".join(
                p for p in (term, f"section {section}" if section else "", cohort) if p
            )
            return None, f"Unknown offering: {code} has no offering in {where} at {college}."
        if len(found) > 1:
            which = "; ".join(f"section {o.section}, {o.cohort.name}" for o in found)
            return (
                None,
                f"{code} has several offerings in {term} ({which}): give the section and cohort.",
            )
        return found[0], ""

    def _para_for(self, row: dict) -> Staff | None:
        district = self.districts.get(row.get(DISTRICT))
        return self.directory.find(district, tidy(row.get("paraprofessional")))

    def find_existing(self, row: dict) -> Enrollment | None:
        offering, _ = self._offering_for(row)
        para = self._para_for(row)
        if offering is None or para is None:
            return None
        return self.enrollments.get((offering.pk, para.pk))

    def clean_offering(self, code: str, row: dict) -> Offering:
        offering, why = self._offering_for(row)
        if offering is None:
            raise ValueError(why)
        return offering

    def clean_para(self, token: str, row: dict) -> Staff:
        if not token:
            raise ValueError("Required: an email or employee id.")
        district = self.districts.find(row.get(DISTRICT))
        member = self.directory.find(district, token)
        if member is None:
            raise ValueError(
                f"Unknown person: nobody in {district.name} has the email or employee id “{token}”."
            )
        if member.role != Staff.Role.PARAPROFESSIONAL:
            raise ValueError(
                f"{member.full_name} is a {member.get_role_display().lower()}, not a "
                "paraprofessional: only paraprofessionals enroll in courses."
            )
        return member

    # -- rules ---------------------------------------------------------------------------

    def check_row(self, enrollment: Enrollment, row: dict, errors: Errors) -> None:
        new = enrollment.pk is None
        offering = enrollment.offering if "course code" not in errors else None
        para = enrollment.para if "paraprofessional" not in errors else None
        if new and offering is not None and para is not None:
            if (offering.cohort_id, para.district_id) not in self.cohort_districts:
                errors["paraprofessional"] = [
                    f"{para.district.name} is not enrolled in {offering.cohort.name}, the "
                    f"cohort of {offering}."
                ]
            elif not para.is_active:
                errors["paraprofessional"] = [f"{para.full_name} is inactive."]
        given = enrollment.completed_on if tidy(row.get("completed date")) else None
        if "grade" in errors or "completed date" in errors:
            return
        status, stored_on = self.stored.get(enrollment.pk, (Enrollment.Status.ENROLLED, None))
        grade = enrollment.grade or ""
        if offering is None:
            problems = services.grade_problems(
                grade=grade, completed_on=given, recorded_on=stored_on, offering=None
            )
            _on_columns(problems, errors)
            return
        # The grade applies to the stored status and date (the row's date is ``given``).
        enrollment.status, enrollment.completed_on = status, stored_on
        try:
            services.apply_grade(
                enrollment=enrollment,
                grade=grade,
                completed_on=given,
                default=min(offering.ends_on, self.today),
            )
        except ValidationError as refused:
            _on_columns(refused.message_dict, errors)
            if grade not in FINAL_GRADES:
                return  # a date given with W, I or no grade: not a key for duplicates
        if para is not None:
            self.note_key(
                (offering.pk, para.pk),
                row,
                "paraprofessional",
                errors,
                "the same paraprofessional in this offering",
            )

    # -- writing -------------------------------------------------------------------------

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Rows are written together in ``after_import``; a preview writes nothing."""

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """See ``bulk_create``."""

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        new, changed = list(self.create_instances), list(self.update_instances)
        self.create_instances.clear()
        self.update_instances.clear()
        if self._is_dry_run(kwargs) or result.has_errors() or result.has_validation_errors():
            return
        user = self.user if getattr(self.user, "is_authenticated", False) else None
        reason = f"Imported from {self.file_name}"[:100] if self.file_name else "Imported"
        services.save_imported_enrollments(new=new, changed=changed, by=user, reason=reason)

    # -- export --------------------------------------------------------------------------

    def export_enrollments(self, queryset: Any) -> Any:
        """The enrollments as a dataset with the template's columns (one query)."""
        enrollments = queryset.select_related(
            "offering__course", "offering__cohort", "para__district"
        ).order_by(
            "offering__starts_on",
            "offering__course__code",
            "offering__section",
            "para__last_name",
            "para__first_name",
            "id",
        )
        return self.export(list(enrollments))
