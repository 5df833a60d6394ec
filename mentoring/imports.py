"""Pairings as a roster-import kind (``/imports/``) and the pairing list's CSV/XLSX export.

One row per pairing: cohort, district, teacher and paraprofessional (email or employee id,
within the district), dates, focus areas and support roles. A row matches an existing
pairing of the same cohort, paraprofessional and teacher (the one starting on the row's
start date, else the active one); otherwise it is a new pairing. Each row is checked
by ``mentoring.services.pairing_problems`` against facts prefetched in a few queries, and
confirmed rows are written by ``mentoring.services`` one pairing at a time (history,
support roles, the pair's emails), all in the import's transaction; a service refusal
lands on the row's column.
"""

import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Max, Min, Q
from django.utils import timezone
from import_export.fields import Field
from import_export.widgets import Widget

from mentoring.access import visible_pairings
from pilot.access import visible_cohorts, visible_staff
from pilot.imports.districts import DISTRICT, EXAMPLE, Districts
from pilot.imports.resources import (
    DateTextWidget,
    Errors,
    LabelWidget,
    LookupWidget,
    RosterResource,
    StaffDirectory,
    name_key,
    tidy,
)
from pilot.models import Cohort, CohortEnrollment, District, Staff
from pilot.questions import PilotQuestion

from . import services
from .models import MentoringSession, Pairing, SupportRole

NO_ROLES = "none"
# The service's field names -> the import's columns.
COLUMNS = {
    "cohort": "cohort",
    "district": DISTRICT,
    "teacher": "teacher",
    "paraprofessional": "paraprofessional",
    "starts_on": "start date",
    "ends_on": "end date",
    "focus_areas": "focus areas",
    "support_roles": "support roles",
    NON_FIELD_ERRORS: "",
}


def _key(text: str) -> str:
    return name_key(re.sub(r"[-–—_/]", " ", text))


class FocusAreasWidget(Widget):
    """The pilot's questions, separated by ``;``, by label or code; blank keeps what is
    stored."""

    def __init__(self) -> None:
        super().__init__(coerce_to_string=True)
        self.lookup = {_key(v): v for v in PilotQuestion.values}
        self.lookup.update({_key(label): v for v, label in PilotQuestion.choices})
        self.lookup[_key("engagement")] = PilotQuestion.values[1]

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> list[str] | None:
        parts = [tidy(p) for p in re.split(r"[;,]", tidy(value)) if tidy(p)]
        if not parts:
            return None
        found = []
        for part in parts:
            code = self.lookup.get(_key(part))
            if code is None:
                names = "; ".join(PilotQuestion.labels)
                raise ValueError(f"“{part}” is not one of the pilot's questions: {names}.")
            found.append(code)
        return [v for v in PilotQuestion.values if v in found]

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        labels = dict(PilotQuestion.choices)
        return "; ".join(str(labels[v]) for v in PilotQuestion.values if v in (value or []))


class SupportRolesWidget(Widget):
    """``role:tier`` entries separated by ``;`` (``small_group:2; monitoring:1``); a role is
    its code or label, a tier 1 to 3. ``none`` clears them; blank keeps what is stored."""

    def __init__(self) -> None:
        super().__init__(coerce_to_string=True)
        self.lookup = {_key(v): v for v in SupportRole.Role.values}
        self.lookup.update({_key(label): v for v, label in SupportRole.Role.choices})

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> dict[str, int] | None:
        text = tidy(value)
        if not text:
            return None
        if text.lower() == NO_ROLES:
            return {}
        roles: dict[str, int] = {}
        for part in (tidy(p) for p in text.split(";")):
            if not part:
                continue
            name, sep, tier_text = part.rpartition(":")
            if not sep:
                raise ValueError(f"“{part}” needs a tier after a colon, e.g. small_group:2.")
            role = self.lookup.get(_key(name))
            if role is None:
                codes = ", ".join(SupportRole.Role.values)
                raise ValueError(f"“{tidy(name)}” is not a support role: use {codes}.")
            tier = re.sub(r"(?i)^tier\s*", "", tidy(tier_text))
            if tier not in ("1", "2", "3"):
                raise ValueError(f"“{part}”: the tier is 1, 2 or 3.")
            if role in roles:
                raise ValueError(f"{SupportRole.Role(role).label} is listed twice.")
            roles[role] = int(tier)
        return {r: roles[r] for r in SupportRole.Role.values if r in roles}

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        return "; ".join(f"{role}:{tier}" for role, tier in (value or {}).items())


class SupportRolesField(Field):
    """The pairing's support roles as ``{role: tier}``: what the row gives, else the stored
    roles (from a ``support_roles`` prefetch)."""

    ATTRIBUTE = "import_support_roles"

    def get_value(self, instance: Pairing) -> dict[str, int]:
        roles = instance.__dict__.get(self.ATTRIBUTE)
        if roles is None:
            roles = stored_roles(instance)
        return roles


def stored_roles(pairing: Pairing) -> dict[str, int]:
    if pairing.pk is None:
        return {}
    found = {r.role: r.tier for r in pairing.support_roles.all()}
    return {r: found[r] for r in SupportRole.Role.values if r in found}


class PairingResource(RosterResource):
    cohort = Field(
        attribute="cohort", column_name="cohort", widget=LookupWidget("clean_cohort", "name")
    )
    district = Field(
        attribute="district",
        column_name=DISTRICT,
        widget=LookupWidget("clean_district", "name"),
    )
    teacher = Field(
        attribute="teacher", column_name="teacher", widget=LookupWidget("clean_teacher", "email")
    )
    teacher_name = Field(attribute="teacher__full_name", column_name="teacher name", readonly=True)
    paraprofessional = Field(
        attribute="paraprofessional",
        column_name="paraprofessional",
        widget=LookupWidget("clean_para", "email"),
    )
    paraprofessional_name = Field(
        attribute="paraprofessional__full_name", column_name="paraprofessional name", readonly=True
    )
    starts_on = Field(
        attribute="starts_on",
        column_name="start date",
        widget=DateTextWidget(),
        saves_null_values=False,
    )
    ends_on = Field(
        attribute="ends_on",
        column_name="end date",
        widget=DateTextWidget(),
        saves_null_values=False,
    )
    focus_areas = Field(
        attribute="focus_areas",
        column_name="focus areas",
        widget=FocusAreasWidget(),
        saves_null_values=False,
    )
    support_roles = SupportRolesField(
        attribute=SupportRolesField.ATTRIBUTE,
        column_name="support roles",
        widget=SupportRolesWidget(),
        saves_null_values=False,
    )
    status = Field(
        attribute="status", column_name="status", readonly=True, widget=LabelWidget(Pairing.Status)
    )

    example_row = {
        "cohort": "2026–2027 Pilot",
        DISTRICT: EXAMPLE,
        "teacher": "pat.lee@cedarvalley.example.org",
        "teacher name": "Pat Lee",
        "paraprofessional": "E10442",
        "paraprofessional name": "Maria Garcia",
        "start date": "2026-09-01",
        "end date": "2027-06-30",
        "focus areas": "Classroom Support; Classroom Management",
        "support roles": "small_group:2; monitoring:1",
        "status": "Active",
    }
    required_columns = ("cohort", DISTRICT, "teacher", "paraprofessional")

    class Meta(RosterResource.Meta):
        model = Pairing
        fields = (
            "cohort",
            "district",
            "teacher",
            "teacher_name",
            "paraprofessional",
            "paraprofessional_name",
            "starts_on",
            "ends_on",
            "focus_areas",
            "support_roles",
            "status",
        )
        import_id_fields = ("cohort", "paraprofessional")

    # -- lookups -------------------------------------------------------------------------

    def prefetch(self, dataset: Any) -> None:
        user = self.user
        self.today = timezone.localdate()
        self.cohorts = {name_key(c.name): c for c in visible_cohorts(user)}
        self.districts = Districts(dataset[DISTRICT], user)
        self.enrolled = set(
            CohortEnrollment.objects.filter(
                district__in=self.districts.values(), withdrawn_on__isnull=True
            ).values_list("cohort_id", "district_id")
        )
        emails, ids = StaffDirectory.tokens(dataset, ("teacher", "paraprofessional"))
        district_by_id = {d.pk: d for d in self.districts.values()}
        staff = visible_staff(user).filter(Q(email__in=emails) | Q(employee_id__in=ids))
        staff = staff.filter(Q(district__in=district_by_id) | Q(email__in=emails))
        people = list(staff.select_related("district"))
        self.directory = StaffDirectory(people)
        people_ids = [p.pk for p in people]
        self.pairings: dict[tuple[int, int, int], list[Pairing]] = {}
        self.active: dict[tuple[int, int], Pairing] = {}
        by_id = {p.pk: p for p in people}
        found = (
            visible_pairings(user)
            .filter(paraprofessional_id__in=people_ids)
            .select_related("teacher")
            .prefetch_related("support_roles")
        )
        cohort_by_id = {c.pk: c for c in self.cohorts.values()}
        for pairing in found:
            if pairing.cohort_id in cohort_by_id:
                pairing.cohort = cohort_by_id[pairing.cohort_id]
            if pairing.district_id in district_by_id:
                pairing.district = district_by_id[pairing.district_id]
            if pairing.paraprofessional_id in by_id:
                pairing.paraprofessional = by_id[pairing.paraprofessional_id]
            key = (pairing.cohort_id, pairing.paraprofessional_id, pairing.teacher_id)
            self.pairings.setdefault(key, []).append(pairing)
            if pairing.is_active:
                self.active[(pairing.cohort_id, pairing.paraprofessional_id)] = pairing
        spans = (
            MentoringSession.objects.filter(
                pairing_id__in=[p.pk for group in self.pairings.values() for p in group]
            )
            .values("pairing_id")
            .annotate(first=Min("held_on"), last=Max("held_on"))
            .order_by()
        )
        self.session_span = {s["pairing_id"]: (s["first"], s["last"]) for s in spans}
        # (cohort, para) -> the first row adding a pairing for them, and its teacher
        self.new_active: dict[tuple[int, int], tuple[int, int | None]] = {}

    def describe(self, row: dict) -> str:
        teacher = tidy(row.get("teacher name")) or tidy(row.get("teacher"))
        para = tidy(row.get("paraprofessional name")) or tidy(row.get("paraprofessional"))
        return f"{teacher} mentoring {para} ({tidy(row.get('cohort'))})"

    def summary(self, row: dict) -> str:
        dates = " – ".join(tidy(row.get(c)) for c in ("start date", "end date") if row.get(c))
        return "; ".join(p for p in (dates, tidy(row.get("focus areas"))) if p)

    def _row_records(self, row: dict) -> tuple[Cohort | None, Staff | None, Staff | None]:
        cohort = self.cohorts.get(name_key(tidy(row.get("cohort"))))
        district = self.districts.get(row.get(DISTRICT))
        teacher = self.directory.find(district, tidy(row.get("teacher")))
        para = self.directory.find(district, tidy(row.get("paraprofessional")))
        return cohort, teacher, para

    def find_existing(self, row: dict) -> Pairing | None:
        cohort, teacher, para = self._row_records(row)
        if cohort is None or teacher is None or para is None:
            return None
        candidates = self.pairings.get((cohort.pk, para.pk, teacher.pk), [])
        try:
            starts = DateTextWidget().clean(row.get("start date"))
        except ValueError:
            starts = None
        same_start = [p for p in candidates if starts is not None and p.starts_on == starts]
        if same_start:
            return next((p for p in same_start if p.is_active), same_start[0])
        return next((p for p in candidates if p.is_active), None)

    def clean_cohort(self, name: str, row: dict) -> Cohort:
        if not name:
            raise ValueError("Required.")
        cohort = self.cohorts.get(name_key(name))
        if cohort is None:
            raise ValueError(f"Unknown cohort “{name}”.")
        return cohort

    def clean_district(self, given: str, row: dict) -> District:
        return self.districts.find(given)

    def _person(self, token: str, row: dict, role: str) -> Staff | None:
        district = self.districts.get(row.get(DISTRICT))
        if district is None:
            return None  # the district column carries the error
        if not token:
            raise ValueError("Required: an email or employee id.")
        member = self.directory.find(district, token) or self.directory.elsewhere(district, token)
        if member is None:
            raise ValueError(
                f"Unknown person: nobody in {district.name} has the email or employee id “{token}”."
            )
        # Role and district here; whether they are active is a rule of new pairings only.
        if member.role != role or member.district_id != district.pk:
            raise ValueError(services.member_problem(member, role=role, district=district))
        return member

    def clean_teacher(self, token: str, row: dict) -> Staff | None:
        return self._person(token, row, Staff.Role.TEACHER)

    def clean_para(self, token: str, row: dict) -> Staff | None:
        return self._person(token, row, Staff.Role.PARAPROFESSIONAL)

    # -- rules ---------------------------------------------------------------------------

    def check_row(self, pairing: Pairing, row: dict, errors: Errors) -> None:
        new = pairing.pk is None
        cohort = pairing.cohort if "cohort" not in errors else None
        district = pairing.district if DISTRICT not in errors else None
        teacher = pairing.teacher if "teacher" not in errors and pairing.teacher_id else None
        para = (
            pairing.paraprofessional
            if "paraprofessional" not in errors and pairing.paraprofessional_id
            else None
        )
        if district is None:
            teacher = para = None
        if new and cohort is not None:
            # A new pairing starts with the dates the pairing form offers.
            if pairing.starts_on is None and "start date" not in errors:
                pairing.starts_on = min(max(cohort.starts_on, self.today), cohort.ends_on)
            if pairing.ends_on is None and "end date" not in errors:
                pairing.ends_on = cohort.ends_on
        changed = not new and self.before is not None and self.exported(pairing) != self.before
        if changed and not pairing.is_active:
            errors[""] = [
                f"This pairing is {pairing.get_status_display().lower()}: it no longer "
                "changes, by import or otherwise. Leave its row as exported, or remove it."
            ]
            return
        if cohort is not None and district is not None:
            self._service_rules(pairing, cohort, district, teacher, para, changed, errors)
        if cohort is not None and teacher is not None and para is not None:
            key = ("pairing", pairing.pk) if not new else ("new", cohort.pk, para.pk, teacher.pk)
            self.note_key(key, row, "paraprofessional", errors, "the same pairing")
            if new and not errors:
                self._check_in_file(cohort, teacher, para, row, errors)

    def _service_rules(
        self,
        pairing: Pairing,
        cohort: Cohort,
        district: District,
        teacher: Staff | None,
        para: Staff | None,
        changed: bool,
        errors: Errors,
    ) -> None:
        """``services.pairing_problems`` on the row, with the facts prefetched for the file."""
        new = pairing.pk is None
        current = self.active.get((cohort.pk, para.pk)) if new and para is not None else None
        facts = services.PairingFacts(
            enrolled=(cohort.pk, district.pk) in self.enrolled,
            current=current,
            span=self.session_span.get(pairing.pk, (None, None)) if changed else (None, None),
        )
        problems = services.pairing_problems(
            pairing=pairing,
            cohort=cohort,
            district=district,
            teacher=teacher,
            paraprofessional=para,
            starts_on=pairing.starts_on,
            ends_on=pairing.ends_on,
            focus_areas=pairing.focus_areas,
            facts=facts,
        )
        for name, message in problems.items():
            column = COLUMNS.get(name, "")
            if column not in errors:
                errors[column] = [message]

    def _check_in_file(
        self, cohort: Cohort, teacher: Staff, para: Staff, row: dict, errors: Errors
    ) -> None:
        """Two good rows of one file cannot both pair a paraprofessional in a cohort."""
        first, first_teacher = self.new_active.setdefault(
            (cohort.pk, para.pk), (self.row_number(row), teacher.pk)
        )
        # The same teacher again is a duplicate row (see check_row).
        if first != self.row_number(row) and first_teacher != teacher.pk:
            errors["paraprofessional"] = [
                f"Row {first} already pairs {para.full_name} in {cohort.name}: a "
                "paraprofessional has one active pairing per cohort."
            ]

    # -- writing -------------------------------------------------------------------------

    def save_instance(self, instance: Pairing, is_create: bool, row: dict, **kwargs: Any) -> None:
        """Through mentoring's services, one pairing at a time (a preview writes nothing)."""
        if self._is_dry_run(kwargs):
            return
        roles = instance.__dict__.get(SupportRolesField.ATTRIBUTE)
        if roles is None:
            roles = stored_roles(instance)
        reason = f"Imported from {self.file_name}"[:100] if self.file_name else "Imported"
        values = {
            "starts_on": instance.starts_on,
            "ends_on": instance.ends_on,
            "focus_areas": instance.focus_areas,
            "support_roles": roles,
            "by": self.user,
            "reason": reason,
        }
        try:
            if is_create:
                saved = services.create_pairing(
                    cohort=instance.cohort,
                    district=instance.district,
                    teacher=instance.teacher,
                    paraprofessional=instance.paraprofessional,
                    **values,
                )
                instance.pk, instance.uuid = saved.pk, saved.uuid
            else:
                services.update_pairing(pairing=instance, **values)
        except ValidationError as error:
            raise ValidationError(self.service_columns(error)) from None

    @staticmethod
    def service_columns(error: ValidationError) -> dict[str, list[str]]:
        """A service refusal keyed by the row's columns."""
        return {
            (COLUMNS.get(name) or NON_FIELD_ERRORS): messages
            for name, messages in error.message_dict.items()
        }

    # -- export --------------------------------------------------------------------------

    def export_pairings(self, queryset: Any) -> Any:
        """The pairings as a dataset with the template's columns (a fixed number of
        queries: the pairings with their people, then their support roles)."""
        pairings = list(
            queryset.select_related("cohort", "district", "teacher", "paraprofessional")
            .prefetch_related("support_roles")
            .order_by("-cohort__starts_on", "district__name", "teacher__last_name", "id")
        )
        return self.export(pairings)
