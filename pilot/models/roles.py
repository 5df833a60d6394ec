from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import PublicModel
from .program import College, District


class RoleAssignment(PublicModel):
    """A coordinator or liaison role; teachers and paraprofessionals come from Staff."""

    class Role(models.TextChoices):
        PROGRAM_COORDINATOR = "program_coordinator", "Program coordinator"
        DISTRICT_COORDINATOR = "district_coordinator", "District coordinator"
        COLLEGE_LIAISON = "college_liaison", "College liaison"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=24, choices=Role)
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="coordinators"
    )
    college = models.ForeignKey(
        College, on_delete=models.CASCADE, null=True, blank=True, related_name="liaisons"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["role", "user__email"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="program_coordinator", district__isnull=True, college__isnull=True)
                    | Q(role="district_coordinator", district__isnull=False, college__isnull=True)
                    | Q(role="college_liaison", college__isnull=False, district__isnull=True)
                ),
                name="role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role="program_coordinator"),
                name="one_program_coordinator_role",
            ),
            models.UniqueConstraint(
                fields=["user", "district"],
                condition=Q(role="district_coordinator"),
                name="one_district_role_per_district",
            ),
            models.UniqueConstraint(
                fields=["user", "college"],
                condition=Q(role="college_liaison"),
                name="one_liaison_role_per_college",
            ),
        ]

    def __str__(self) -> str:
        scope = self.district or self.college
        label = self.get_role_display()
        return f"{self.user} — {label}" + (f" ({scope})" if scope else "")
