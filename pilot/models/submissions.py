from django.conf import settings
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """The one-time token of a create form, claimed by the first submission that carries it.

    The primary key makes the claim atomic: of two identical POSTs racing each other, the
    second waits for the first to commit and then fails to insert, so it creates nothing.
    """

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    redirect_url = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.token} at {self.submitted_at:%Y-%m-%d %H:%M}"
