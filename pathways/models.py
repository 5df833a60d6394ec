"""Milestones on a paraprofessional's path from pilot year to teaching career.

Each is dated, says who recorded it, and keeps its history. The rules that need other
records (the person's first cohort, the plan's blocks) are ``pathways.services``'; the
database keeps what one row can say on its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coursework.models import DegreePlan
from pilot import limits
from pilot.fields import LimitedTextField
from pilot.models import Cohort, District, School, Staff
from pilot.models.base import PublicModel
from pilot.validators import no_invisible_controls

RECORDER = {"on_delete": models.PROTECT, "related_name": "+"}


class CohortStatus(PublicModel):
    """Where a paraprofessional stands in one cohort."""

    class Status(models.TextChoices):
        CONTINUING = "continuing", "Continuing"
        COMPLETED = "completed", "Completed the program"
        WITHDREW = "withdrew", "Withdrew"

    class Reason(models.TextChoices):
        EMPLOYMENT = "employment", "Changed or left employment"
        FAMILY = "family", "Family or personal reasons"
        WORKLOAD = "workload", "Workload or time"
        FINANCES = "finances", "Finances"
        HEALTH = "health", "Health"
        OTHER = "other", "Other"

    para = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="cohort_statuses")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="para_statuses")
    status = models.CharField(max_length=12, choices=Status)
    reason = models.CharField(max_length=12, choices=Reason, blank=True)
    note = LimitedTextField(blank=True, max_length=limits.REASON)
    recorded_on = models.DateField("date")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, **RECORDER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort__starts_on"]
        verbose_name_plural = "cohort statuses"
        constraints = [
            models.UniqueConstraint(fields=["para", "cohort"], name="one_status_per_cohort"),
            models.CheckConstraint(
                condition=Q(status__in=["continuing", "completed", "withdrew"]),
                name="cohort_status_status_valid",
            ),
            # A withdrawal says why; the other statuses carry no reason.
            models.CheckConstraint(
                condition=(Q(status="withdrew") & ~Q(reason=""))
                | (~Q(status="withdrew") & Q(reason="")),
                name="withdrawal_has_reason",
            ),
            limits.max_length_check("note", limits.REASON),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} in {self.cohort}"


class Credential(PublicModel):
    """A degree or certificate of a degree plan, recorded by the college liaison."""

    para = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="credentials")
    plan = models.ForeignKey(DegreePlan, on_delete=models.PROTECT, related_name="credentials")
    awarded_on = models.DateField("date awarded")
    # Set when the liaison recorded it although the plan's blocks were not all met.
    exception_reason = LimitedTextField(blank=True, max_length=limits.REASON)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, **RECORDER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["awarded_on"]
        constraints = [
            models.UniqueConstraint(fields=["para", "plan"], name="one_credential_per_plan"),
            limits.max_length_check("exception_reason", limits.REASON),
        ]

    def __str__(self) -> str:
        return str(self.plan)


class Assessment(PublicModel):
    """A licensure or paraprofessional assessment, e.g. Praxis ParaPro 1755."""

    class Kind(models.TextChoices):
        PARAPROFESSIONAL = "paraprofessional", "Paraprofessional assessment"
        LICENSURE = "licensure", "Licensure assessment"

    para = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=16, choices=Kind)
    name = models.CharField(max_length=120, validators=[no_invisible_controls])
    code = models.CharField(max_length=20, blank=True, validators=[no_invisible_controls])
    taken_on = models.DateField("date taken")
    passed = models.BooleanField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, **RECORDER)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["paraprofessional", "licensure"]),
                name="assessment_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True, verified_on__isnull=True)
                | Q(verified_by__isnull=False, verified_on__isnull=False),
                name="assessment_verified_together",
            ),
            models.UniqueConstraint(
                fields=["para", "code", "taken_on"], name="one_assessment_per_sitting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class EmploymentEvent(PublicModel):
    """Became a teacher of record, left the district, or a yearly check."""

    class Kind(models.TextChoices):
        TEACHER_OF_RECORD = "teacher_of_record", "Became a teacher of record"
        LEFT_DISTRICT = "left_district", "Left the district"
        YEARLY_CHECK = "yearly_check", "Yearly check"

    para = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="employment_events")
    kind = models.CharField(max_length=20, choices=Kind)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField("date")
    still_teaching = models.BooleanField(null=True, blank=True)
    check_year = models.PositiveSmallIntegerField("school year ending", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, **RECORDER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["teacher_of_record", "left_district", "yearly_check"]),
                name="employment_kind_valid",
            ),
            # A teacher of record names the school; a yearly check says yes or no and the
            # year; nothing else carries those.
            models.CheckConstraint(
                condition=(Q(kind="teacher_of_record") & Q(school__isnull=False))
                | ~Q(kind="teacher_of_record"),
                name="teacher_of_record_has_school",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="yearly_check")
                    & Q(still_teaching__isnull=False)
                    & Q(check_year__isnull=False)
                )
                | (
                    ~Q(kind="yearly_check")
                    & Q(still_teaching__isnull=True)
                    & Q(check_year__isnull=True)
                ),
                name="yearly_check_fields",
            ),
            models.UniqueConstraint(
                fields=["para", "check_year"],
                condition=Q(kind="yearly_check"),
                name="one_check_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class TeacherRecord(PublicModel):
    """A teacher's staff record (often in another district) that is the same person as a
    paraprofessional's record: the person page and the pipeline follow them there."""

    teacher = models.OneToOneField(Staff, on_delete=models.PROTECT, related_name="pathway_link")
    para = models.OneToOneField(Staff, on_delete=models.PROTECT, related_name="teacher_link")
    linked_on = models.DateField("teaching since")
    # The teacher-of-record milestone the link recorded (none when one was already there):
    # undoing the link removes it.
    milestone = models.ForeignKey(
        EmploymentEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, **RECORDER)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(teacher=models.F("para")), name="teacher_record_is_another_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.para} teaches as {self.teacher}"


class DistrictRule(PublicModel):
    """A district's rule for the path: whether its teachers of record need a teaching
    credential first (the teacher-of-record milestone warns when it is missing)."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="+")
    credential_before_teaching = models.BooleanField(
        "requires a teaching credential before teacher of record", default=False
    )
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, **RECORDER)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Pathway rules of {self.district}"
