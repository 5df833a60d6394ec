"""Teacher–paraprofessional pairings, with the sessions and goals the pair keeps.

Rules the database keeps as the last line (``mentoring.services`` checks each first,
with the message users see):
- teacher and paraprofessional are staff of the pairing's district with the right roles
  (composite foreign keys onto ``pilot_staff (id, district_id, role)``, added in
  migration 0002 because Django cannot declare them);
- at most one active pairing per paraprofessional per cohort (partial unique index);
- ends_on is not before starts_on; an early end carries a reason.
That the dates lie inside the cohort spans two tables, which a CHECK cannot express:
only ``mentoring.services`` keeps it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from pilot import limits
from pilot.fields import LimitedTextField
from pilot.models import Cohort, District, Staff
from pilot.models.base import PublicModel
from pilot.questions import PilotQuestion

FOCUS_AREA_REQUIRED = "Choose at least one focus area."


def validate_focus_areas(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(FOCUS_AREA_REQUIRED)
    allowed = set(PilotQuestion.values)
    if any(item not in allowed for item in value) or len(set(value)) != len(value):
        raise ValidationError("Choose focus areas from the pilot's three questions.")


def focus_area_labels(values: list[str]) -> list[str]:
    """Labels in the questions' own order, whatever order they were stored in."""
    return [label for value, label in PilotQuestion.choices if value in values]


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
    end_reason = LimitedTextField("reason for ending early", blank=True, max_length=limits.REASON)
    focus_areas = models.JSONField(default=list, validators=[validate_focus_areas])

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "id"]
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
            # Made with a paraprofessional (the column's default is the key's target); once
            # the pairing is over the person may become a teacher (their role cascades here
            # from the staff record), never while it is active.
            models.CheckConstraint(
                condition=Q(paraprofessional_role="paraprofessional")
                | (Q(paraprofessional_role="teacher") & ~Q(status="active")),
                name="pairing_para_role_while_active",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended_early") | ~Q(end_reason=""),
                name="pairing_early_end_has_reason",
            ),
            limits.max_length_check("end_reason", limits.REASON),
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


class SupportRole(models.Model):
    """One way the paraprofessional supports the classroom, with the MTSS tier it serves."""

    class Role(models.TextChoices):
        SMALL_GROUP = "small_group", "Small-group instruction"
        ONE_ON_ONE = "one_on_one", "One-on-one support"
        TIER1 = "tier1_support", "Tier 1 support"
        INDEPENDENT_WORK = "independent_work", "Independent-work oversight"
        MONITORING = "monitoring", "Classroom monitoring"
        RELATIONSHIPS = "relationships", "Relationship building"

    class Tier(models.IntegerChoices):
        TIER_1 = 1, "Tier 1 (all students)"
        TIER_2 = 2, "Tier 2 (targeted groups)"
        TIER_3 = 3, "Tier 3 (intensive, individual)"

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="support_roles")
    role = models.CharField(max_length=20, choices=Role)
    tier = models.PositiveSmallIntegerField("MTSS tier", choices=Tier)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pairing", "role"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "role"], name="one_support_role_per_kind"),
            models.CheckConstraint(condition=Q(tier__gte=1, tier__lte=3), name="support_tier_1_3"),
            models.CheckConstraint(
                condition=Q(
                    role__in=[
                        "small_group",
                        "one_on_one",
                        "tier1_support",
                        "independent_work",
                        "monitoring",
                        "relationships",
                    ]
                ),
                name="support_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} (Tier {self.tier})"


MAX_SESSION_MINUTES = 480  # a school day


class MentoringSession(PublicModel):
    """A mentoring conversation the pair logged. Notes and next steps belong to the pair."""

    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField("date")
    minutes = models.PositiveSmallIntegerField(
        help_text=f"How long it lasted, 1 to {MAX_SESSION_MINUTES} minutes."
    )
    focus_areas = models.JSONField(default=list, validators=[validate_focus_areas])
    notes = LimitedTextField(max_length=limits.NOTES)
    next_steps = LimitedTextField(blank=True, max_length=limits.NEXT_STEPS)
    logged_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_SESSION_MINUTES),
                name="session_minutes_school_day",
            ),
            limits.max_length_check("notes", limits.NOTES),
            limits.max_length_check("next_steps", limits.NEXT_STEPS),
        ]
        indexes = [models.Index(fields=["pairing", "held_on"])]

    def __str__(self) -> str:
        return f"Session on {self.held_on:%Y-%m-%d} ({self.minutes} min)"

    @property
    def focus_area_labels(self) -> list[str]:
        return focus_area_labels(self.focus_areas or [])


class Goal(PublicModel):
    """A goal the pair set, in one of the pilot's three questions."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        DROPPED = "dropped", "Dropped"

    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="goals")
    focus_area = models.CharField(max_length=24, choices=PilotQuestion)
    text = LimitedTextField("goal", max_length=limits.GOAL)
    target_on = models.DateField("target date")
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    set_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["target_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "met", "dropped"]), name="goal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    focus_area__in=["classroom_support", "engagement", "classroom_management"]
                ),
                name="goal_focus_area_valid",
            ),
            limits.max_length_check("text", limits.GOAL),
        ]

    def __str__(self) -> str:
        return f"{self.get_focus_area_display()} goal, due {self.target_on:%Y-%m-%d}"


class MonthlyMentoring(models.Model):
    """Summary: sessions and minutes per pairing and calendar month.

    Kept by database triggers (migration ``0006_monthly_mentoring``) in the same
    transaction as every insert, update and delete of a session, whatever wrote it;
    ``manage.py rebuild_summaries`` recomputes it with ``mentoring.summaries.rebuild``.
    Nothing else writes it."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.DO_NOTHING, db_constraint=False, related_name="monthly"
    )
    month = models.DateField()  # the first day
    sessions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pairing", "month"], name="one_summary_per_month"),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.sessions} sessions, {self.minutes} min"
