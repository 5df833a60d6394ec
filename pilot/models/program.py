from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from pilot.validators import email_domain_list, no_invisible_controls, split_domains

from .base import PublicModel


class Cohort(PublicModel):
    """A program year, e.g. "2026–2027 Pilot"."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=120, unique=True, validators=[no_invisible_controls])
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")
    status = models.CharField(max_length=10, choices=Status, default=Status.PLANNING)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="cohort_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planning", "active", "closed"]), name="cohort_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


state_code = RegexValidator(r"^[A-Z]{2}$", "Use the two-letter postal code, e.g. TX.")


class District(PublicModel):
    name = models.CharField(max_length=150, validators=[no_invisible_controls])
    slug = models.SlugField(max_length=80, unique=True)
    state = models.CharField(max_length=2, validators=[state_code])
    nces_id = models.CharField(
        "NCES id", max_length=7, blank=True, help_text="Optional seven-digit NCES district id."
    )
    contact_name = models.CharField(max_length=150, blank=True, validators=[no_invisible_controls])
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    sign_in_domains = models.CharField(
        "sign-in email domains",
        max_length=500,
        blank=True,
        validators=[email_domain_list],
        help_text=(
            "Optional. The email domains this district's staff may sign in from through "
            "Google, Microsoft or the district's own provider, such as alpha.k12.ia.us, "
            "separated by commas or spaces. Leave empty to accept any."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(state__regex=r"^[A-Z]{2}$"), name="district_state"),
            models.UniqueConstraint(
                fields=["nces_id"], condition=~Q(nces_id=""), name="district_nces_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sign_in_domain_list(self) -> list[str]:
        return split_domains(self.sign_in_domains)


class School(PublicModel):
    class GradeBand(models.TextChoices):
        ELEMENTARY = "elementary", "Elementary (PK–5)"
        MIDDLE = "middle", "Middle (6–8)"
        HIGH = "high", "High (9–12)"
        K8 = "k8", "K–8"
        K12 = "k12", "K–12"

    class SupportModel(models.TextChoices):
        PARA_LED = "para_led", "Paraprofessionals lead small-group intervention"
        TEACHER_LED = (
            "teacher_led",
            ("Teachers take intervention; paraprofessionals oversee independent work"),
        )

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=150, validators=[no_invisible_controls])
    grade_band = models.CharField(max_length=12, choices=GradeBand)
    support_model = models.CharField(max_length=12, choices=SupportModel)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="school_name_per_district"),
            # Lets a staff row's (school, district) pair be checked by a composite key.
            models.UniqueConstraint(fields=["id", "district"], name="school_id_district"),
            models.CheckConstraint(
                condition=Q(support_model__in=["para_led", "teacher_led"]),
                name="school_support_model_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class College(PublicModel):
    """The partner college that awards credit."""

    name = models.CharField(max_length=150, unique=True, validators=[no_invisible_controls])
    slug = models.SlugField(max_length=80, unique=True)
    city = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CohortEnrollment(PublicModel):
    """A district enrolled in a cohort; withdrawing keeps the row with its date."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrollments")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="cohort_enrollments"
    )
    enrolled_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "district"], name="one_enrollment_per_cohort"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("enrolled_on")),
                name="withdrawal_after_enrollment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} in {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
