from django.conf import settings
from django.db import models
from django.db.models import Q

from pilot import limits
from pilot.fields import LimitedTextField

from .base import PublicModel


class Job(PublicModel):
    """Work that takes longer than a page should wait (a report PDF): run by a task, with
    its progress, its result (kept in the database so any app server can hand it out) or
    why it failed. Belongs to the person who started it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=200)
    runner = models.CharField(max_length=200)  # dotted path of the function that does it
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # What failed, or what the result holds.
    message = LimitedTextField(blank=True, max_length=limits.SYSTEM_MESSAGE)
    result = models.BinaryField(null=True, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    link = models.CharField(max_length=300, blank=True)  # or where the result is shown
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            limits.max_length_check("message", limits.SYSTEM_MESSAGE),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="job_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(result__isnull=False) | ~Q(link=""),
                name="job_done_has_result",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
