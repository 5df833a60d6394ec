import uuid

from django.db import models
from django.db.models import Q

from pilot import limits
from pilot.fields import LimitedTextField


class OutboxMessage(models.Model):
    """One email, written in the same transaction as the change it tells about and sent
    afterwards by a task; ``status`` says whether it left, so a task run twice sends once.

    ``sending`` (with ``attempted_at``) is committed before the mail server is contacted: a
    row still ``sending`` well after its attempt was in flight when its worker died, and is
    sent again with the same Message-ID (see pilot.mail.deliver)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40, blank=True)  # e.g. "reminder", for the pages
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = LimitedTextField(max_length=limits.EMAIL_BODY)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = LimitedTextField(blank=True, max_length=limits.SYSTEM_MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    attempted_at = models.DateTimeField(null=True, blank=True)  # the latest attempt's start
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            limits.max_length_check("body", limits.EMAIL_BODY),
            limits.max_length_check("last_error", limits.SYSTEM_MESSAGE),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent"]),
                name="outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending"]) | Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"]), models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"
