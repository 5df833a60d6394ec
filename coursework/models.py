"""Courses, offerings and their blended modules, enrollments with grades, transfer credit,
and degree plans with the requirement blocks credit counts toward.

Credit arithmetic lives in ``coursework.credit`` (pure, no database); the queries that
feed it in ``coursework.queries``; multi-row writes in ``coursework.services``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from pilot import limits
from pilot.fields import LimitedTextField
from pilot.models import Cohort, College, Staff
from pilot.models.base import PublicModel
from pilot.questions import PilotQuestion
from pilot.validators import no_invisible_controls

POSITIVE_CREDIT = MinValueValidator(Decimal("0.5"), "Credit hours must be at least 0.5.")


PARA_ONLY = "Only paraprofessionals enroll in courses."


class Delivery(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"
    BLENDED = "blended", "Blended"


class Grade(models.TextChoices):
    """The college's fixed scale. C or better, or P, passes."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    F = "F", "F"
    P = "P", "P (pass)"
    W = "W", "W (withdrawn)"
    I = "I", "I (incomplete)"  # noqa: E741 - the letter on the scale


PASSING_GRADES = frozenset({Grade.A, Grade.B, Grade.C, Grade.P})
FINAL_GRADES = frozenset({Grade.A, Grade.B, Grade.C, Grade.D, Grade.F, Grade.P})


class Course(PublicModel):
    """A course in a college's catalog."""

    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="courses")
    code = models.CharField(
        max_length=20,
        help_text="As printed in the catalog, e.g. EDU 110.",
        validators=[no_invisible_controls],
    )
    title = models.CharField(max_length=200, validators=[no_invisible_controls])
    credit_hours = models.DecimalField(max_digits=4, decimal_places=1, validators=[POSITIVE_CREDIT])
    delivery = models.CharField(max_length=10, choices=Delivery)
    description = LimitedTextField(blank=True, max_length=limits.DESCRIPTION)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["college", "code"], name="course_code_per_college"),
            models.CheckConstraint(condition=Q(credit_hours__gt=0), name="course_credit_positive"),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="course_delivery_valid"
            ),
            limits.max_length_check("description", limits.DESCRIPTION),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def domain_labels(self) -> list[str]:
        """The pilot questions this course targets (uses a prefetch of target_domains)."""
        return [d.get_domain_display() for d in self.target_domains.all()]


class CourseDomain(models.Model):
    """One of the pilot's three questions (the rubric domains) that a course targets."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="target_domains")
    domain = models.CharField(max_length=24, choices=PilotQuestion)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["course", "domain"], name="course_domain_once"),
            models.CheckConstraint(
                condition=Q(domain__in=PilotQuestion.values), name="course_domain_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_domain_display()


class Offering(PublicModel):
    """A course taught in one term for one cohort."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="offerings")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="offerings")
    term = models.CharField(
        max_length=40, help_text="e.g. Fall 2026", validators=[no_invisible_controls]
    )
    section = models.CharField(
        max_length=10, default="01", help_text="Sections tell apart offerings of one term."
    )
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")
    instructor = models.CharField(max_length=150, blank=True, validators=[no_invisible_controls])

    class Meta:
        ordering = ["-starts_on", "course__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "cohort", "term", "section"], name="offering_section_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="offering_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code}-{self.section} · {self.term}"


class Module(PublicModel):
    """A blended unit of an offering, done online or in person."""

    class Mode(models.TextChoices):
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200, validators=[no_invisible_controls])
    mode = models.CharField(max_length=10, choices=Mode)
    order = models.PositiveSmallIntegerField()
    due_on = models.DateField("due date", null=True, blank=True)

    class Meta:
        ordering = ["offering", "order"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "order"], name="module_order_unique"),
            models.CheckConstraint(
                condition=Q(mode__in=["online", "in_person"]), name="module_mode"
            ),
            # Target of ModuleCompletion's composite key (module, offering).
            models.UniqueConstraint(fields=["id", "offering"], name="module_id_offering"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Enrollment(PublicModel):
    """A paraprofessional in an offering. The grade decides the status:

    no grade — enrolled (in progress); A, B, C, D, F or P — completed on a date;
    W — withdrawn; I — incomplete.
    """

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        INCOMPLETE = "incomplete", "Incomplete"

    para = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="course_enrollments",
        limit_choices_to={"role": Staff.Role.PARAPROFESSIONAL},
        verbose_name="paraprofessional",
    )
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=10, choices=Status, default=Status.ENROLLED)
    grade = models.CharField(max_length=1, choices=Grade, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["offering", "para__last_name", "para__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["para", "offering"], name="enrollment_once_per_para"),
            models.CheckConstraint(
                condition=Q(grade__in=["", *Grade.values]), name="enrollment_grade_on_scale"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="enrolled", grade="", completed_on__isnull=True)
                    | Q(
                        status="completed",
                        grade__in=sorted(FINAL_GRADES),
                        completed_on__isnull=False,
                    )
                    | Q(status="withdrawn", grade="W", completed_on__isnull=True)
                    | Q(status="incomplete", grade="I", completed_on__isnull=True)
                ),
                name="enrollment_status_matches_grade",
            ),
            # Target of ModuleCompletion's composite key (enrollment, offering).
            models.UniqueConstraint(fields=["id", "offering"], name="enrollment_id_offering"),
        ]
        indexes = [models.Index(fields=["offering", "status"])]

    def __str__(self) -> str:
        return f"{self.para} in {self.offering}"

    @property
    def earns_credit(self) -> bool:
        return self.status == self.Status.COMPLETED and self.grade in PASSING_GRADES

    def clean(self) -> None:
        if self.para_id and self.para.role != Staff.Role.PARAPROFESSIONAL:
            raise ValidationError({"para": PARA_ONLY})

    @staticmethod
    def status_for(grade: str) -> str:
        """The status a grade puts an enrollment in."""
        if grade in FINAL_GRADES:
            return Enrollment.Status.COMPLETED
        if grade == Grade.W:
            return Enrollment.Status.WITHDRAWN
        if grade == Grade.I:
            return Enrollment.Status.INCOMPLETE
        return Enrollment.Status.ENROLLED


class ModuleCompletion(models.Model):
    """A module done by an enrolled paraprofessional. It hangs on the enrollment, never on
    the person, and the module must belong to that enrollment's offering (PostgreSQL checks
    both through composite keys on (enrollment, offering) and (module, offering))."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="+")
    completed_on = models.DateField()

    class Meta:
        ordering = ["module__order"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "module"], name="module_completed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.module} done {self.completed_on}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.offering_id is None and self.enrollment_id is not None:
            self.offering_id = self.enrollment.offering_id
        super().save(*args, **kwargs)


class TransferCredit(PublicModel):
    """Credit a paraprofessional earned elsewhere, evaluated by a college. It counts only
    once the college's liaison has verified it."""

    para = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="transfer_credits",
        limit_choices_to={"role": Staff.Role.PARAPROFESSIONAL},
        verbose_name="paraprofessional",
    )
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        related_name="transfer_credits",
        help_text="The college that evaluates and accepts this credit.",
    )
    institution = models.CharField(
        "where it was earned", max_length=200, validators=[no_invisible_controls]
    )
    course_title = models.CharField(max_length=200, validators=[no_invisible_controls])
    credit_hours = models.DecimalField(max_digits=4, decimal_places=1, validators=[POSITIVE_CREDIT])
    completed_on = models.DateField(null=True, blank=True)
    equivalent_course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_equivalents",
        help_text="The catalog course it stands for, if any; otherwise it counts as an elective.",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["para", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_hours__gt=0), name="transfer_credit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_title} ({self.institution})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class DegreePlan(PublicModel):
    """A degree or certificate: the credits it takes, split into requirement blocks."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", "Certificate"
        ASSOCIATE = "associate", "Associate degree"
        BACHELOR = "bachelor", "Bachelor's degree"

    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="degree_plans")
    name = models.CharField(max_length=200, validators=[no_invisible_controls])
    kind = models.CharField(max_length=12, choices=Kind)
    total_credits = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[POSITIVE_CREDIT]
    )
    description = LimitedTextField(blank=True, max_length=limits.DESCRIPTION)

    class Meta:
        ordering = ["college", "name"]
        constraints = [
            models.UniqueConstraint(fields=["college", "name"], name="plan_name_per_college"),
            models.CheckConstraint(condition=Q(total_credits__gt=0), name="plan_credit_positive"),
            limits.max_length_check("description", limits.DESCRIPTION),
        ]

    def __str__(self) -> str:
        return self.name


class RequirementBlock(models.Model):
    """A part of a plan, e.g. education core: the credits it needs and the courses that
    count toward it. An open block (electives) takes any credit no other block uses."""

    plan = models.ForeignKey(DegreePlan, on_delete=models.CASCADE, related_name="blocks")
    name = models.CharField(max_length=120, validators=[no_invisible_controls])
    credits_required = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[POSITIVE_CREDIT]
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_open = models.BooleanField(
        "open to any course",
        default=False,
        help_text="Electives: any course or transfer credit not used by another block counts.",
    )
    courses = models.ManyToManyField(
        Course, through="BlockCourse", related_name="requirement_blocks", blank=True
    )

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="block_name_per_plan"),
            models.CheckConstraint(
                condition=Q(credits_required__gt=0), name="block_credit_positive"
            ),
            # Target of BlockCourse's composite key (block, plan).
            models.UniqueConstraint(fields=["id", "plan"], name="block_id_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.name}"


class BlockCourse(models.Model):
    """A course eligible for a block. The plan is repeated here so that the database keeps
    a course to one block per plan: credit counts toward a plan once."""

    block = models.ForeignKey(RequirementBlock, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(DegreePlan, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "course"], name="course_counts_once_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.course} in {self.block}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.plan_id is None and self.block_id is not None:
            self.plan_id = self.block.plan_id
        super().save(*args, **kwargs)


class PlanDeclaration(PublicModel):
    """The degree or certificate a paraprofessional is working toward (one at a time)."""

    para = models.OneToOneField(
        Staff,
        on_delete=models.CASCADE,
        related_name="declared_plan",
        limit_choices_to={"role": Staff.Role.PARAPROFESSIONAL},
        verbose_name="paraprofessional",
    )
    plan = models.ForeignKey(DegreePlan, on_delete=models.PROTECT, related_name="declarations")
    declared_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["para"]

    def __str__(self) -> str:
        return f"{self.para}: {self.plan}"


class CohortCredits(models.Model):
    """Summary: per paraprofessional and cohort, their enrollments in the cohort's
    offerings, how many they completed and passed, and the credit hours earned.

    Kept by database triggers (migration ``0004_cohort_credits``) in the same transaction
    as every write to enrollments, and to offerings and courses (a course's credit hours,
    an offering's cohort or course), whatever wrote them; ``manage.py rebuild_summaries``
    recomputes it with ``coursework.summaries.rebuild``. Nothing else writes it."""

    para = models.ForeignKey(
        Staff, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    enrollments = models.PositiveIntegerField()
    completions = models.PositiveIntegerField()
    passed = models.PositiveIntegerField()
    credits = models.DecimalField(max_digits=7, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["para", "cohort"], name="one_credits_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.credits} credits from {self.passed} of {self.enrollments} enrollments"
