from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import PublicModel


class ImportRun(PublicModel):
    """One roster import: the parsed file kept between preview and confirm, then the record
    of what was written (who, when, file name, kind, counts)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        CONFIRMED = "confirmed", "Confirmed"

    class Source(models.TextChoices):
        FILE = "file", "CSV or XLSX file"
        ONEROSTER = "oneroster", "OneRoster 1.1 CSV"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    owner_email = models.EmailField()
    kind = models.CharField(max_length=40)
    source = models.CharField(max_length=10, choices=Source, default=Source.FILE)
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status, default=Status.PREVIEWED)
    # The parsed rows ({"headers": [...], "rows": [[...], ...]}), cleared once confirmed.
    data = models.JSONField(default=dict, blank=True)
    # What the preview (or the confirmed import) found for every row; see pilot.imports.services.
    outcomes = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)  # file-wide errors
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    ignored_count = models.PositiveIntegerField(default=0)  # e.g. OneRoster students
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["previewed", "confirmed"]), name="import_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="previewed") | Q(confirmed_at__isnull=False),
                name="import_run_confirmed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.file_name}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == self.Status.PREVIEWED
            and not self.error_count
            and not self.problems
            and bool(self.data.get("rows"))
        )
