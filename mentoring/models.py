"""Teacher–paraprofessional pairings, with the sessions and goals the pair keeps.

Rules the database keeps (PostgreSQL; SQLite, the demo database, relies on the forms
and ``clean()`` for the composite keys):
- teacher and paraprofessional are staff of the pairing's district with the right roles
  (composite foreign keys onto ``pilot_staff (id, district_id, role)``, added in
  migration 0002 because Django cannot declare them);
- at most one active pairing per paraprofessional per cohort (partial unique index);
- ends_on is not before starts_on; an early end carries a reason.
That the dates lie inside the cohort spans two tables, which a CHECK cannot express:
``Pairing.clean()`` and the pairing form keep it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from pilot.models import Cohort, District, Staff
from pilot.models.base import PublicModel
from pilot.questions import PilotQuestion


def validate_focus_areas(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one focus area.")
    allowed = set(PilotQuestion.values)
    if any(item not in allowed for item in value) or len(set(value)) != len(value):
        raise ValidationError("Choose focus areas from the pilot's three questions.")


def focus_area_labels(values: list[str]) -> list[str]:
    """Labels in the questions' own order, whatever order they were stored in."""
    return [label for value, label in PilotQuestion.choices if value in values]


def _day(d) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _span(cohort: Cohort) -> str:
    return f"{_day(cohort.starts_on)} – {_day(cohort.ends_on)}"


class Pairing(PublicModel):
    """A mentor teacher and a paraprofessional of one district, for one cohort."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="pairings")
    # Stored so the database can check both members belong to it (composite keys).
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="pairings")
    teacher = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="pairings_as_teacher")
    paraprofessional = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="pairings_as_paraprofessional"
    )
    # Constant columns: the targets of the composite keys onto (id, district, role).
    teacher_role = models.CharField(max_length=16, default=Staff.Role.TEACHER, editable=False)
    paraprofessional_role = models.CharField(
        max_length=16, default=Staff.Role.PARAPROFESSIONAL, editable=False
    )
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")
    status = models.CharField(max_length=12, choices=Status, default=Status.ACTIVE)
    closed_on = models.DateField(
        "closed on", null=True, blank=True, help_text="When it was completed or ended early."
    )
    end_reason = models.TextField("reason for ending early", blank=True)
    focus_areas = models.JSONField(default=list, validators=[validate_focus_areas])

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "teacher__last_name", "paraprofessional__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="pairing_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "completed", "ended_early"]),
                name="pairing_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(teacher_role="teacher"), name="pairing_teacher_role_constant"
            ),
            models.CheckConstraint(
                condition=Q(paraprofessional_role="paraprofessional"),
                name="pairing_para_role_constant",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended_early") | ~Q(end_reason=""),
                name="pairing_early_end_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(closed_on__isnull=True))
                | (
                    ~Q(status="active")
                    & Q(closed_on__isnull=False)
                    & Q(closed_on__gte=F("starts_on"))
                ),
                name="pairing_closed_on_matches_status",
            ),
            models.UniqueConstraint(
                fields=["cohort", "paraprofessional"],
                condition=Q(status="active"),
                name="one_active_pairing_per_para_per_cohort",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"]),
            models.Index(fields=["district", "cohort"]),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} mentoring {self.paraprofessional}"

    @property
    def focus_area_labels(self) -> list[str]:
        return focus_area_labels(self.focus_areas or [])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def clean(self) -> None:
        errors: dict[str, str] = {}
        teacher = self.teacher if self.teacher_id else None
        para = self.paraprofessional if self.paraprofessional_id else None
        if teacher is not None and teacher.role != Staff.Role.TEACHER:
            errors["teacher"] = f"{teacher} is not a teacher."
        if para is not None and para.role != Staff.Role.PARAPROFESSIONAL:
            errors["paraprofessional"] = f"{para} is not a paraprofessional."
        for field, member in (("teacher", teacher), ("paraprofessional", para)):
            if (
                self.district_id
                and member is not None
                and field not in errors
                and member.district_id != self.district_id
            ):
                errors[field] = f"{member} works in another district."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date cannot be before the start date."
        # Inside the cohort: across two tables, so not a CHECK constraint; kept here.
        if self.cohort_id and self.starts_on and "starts_on" not in errors:
            cohort = self.cohort
            if not cohort.starts_on <= self.starts_on <= cohort.ends_on:
                errors["starts_on"] = f"Start within the cohort ({_span(cohort)})."
        if self.cohort_id and self.ends_on and "ends_on" not in errors:
            cohort = self.cohort
            if not cohort.starts_on <= self.ends_on <= cohort.ends_on:
                errors["ends_on"] = f"End within the cohort ({_span(cohort)})."
        if errors:
            raise ValidationError(errors)
