from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from pilot.validators import no_invisible_controls

from .base import PublicModel
from .program import District, School


class Staff(PublicModel):
    """A teacher or paraprofessional employed in a district and working at one school."""

    class Role(models.TextChoices):
        TEACHER = "teacher", "Teacher"
        PARAPROFESSIONAL = "paraprofessional", "Paraprofessional"

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="staff")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=16, choices=Role)
    first_name = models.CharField(max_length=80, validators=[no_invisible_controls])
    last_name = models.CharField(max_length=80, validators=[no_invisible_controls])
    email = models.EmailField()
    employee_id = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField("active", default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "staff"
        constraints = [
            # One person per email across the program (pilot.services.staff says who has it).
            models.UniqueConstraint(Lower("email"), name="staff_email_ci_unique"),
            models.UniqueConstraint(
                fields=["district", "employee_id"],
                condition=~Q(employee_id=""),
                name="staff_employee_id_per_district",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["teacher", "paraprofessional"]), name="staff_role_valid"
            ),
            # Targets for composite keys: a pairing can require (id, district, role).
            models.UniqueConstraint(
                fields=["id", "district", "role"], name="staff_id_district_role"
            ),
        ]
        indexes = [
            models.Index(fields=["district", "role", "is_active"]),
            models.Index(Lower("last_name"), name="staff_last_name_ci"),
            # The staff list's order: its first page is read from the index instead of
            # sorting every member of staff in the state.
            models.Index(fields=["last_name", "first_name", "id"], name="staff_name_order"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        # The record's rules are pilot.services.staff's; the database refuses a school
        # outside the district (staff_school_in_district).
        if self.email:
            self.email = self.email.lower()
