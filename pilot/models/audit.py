from django.conf import settings
from django.db import models
from django.utils import timezone

from pilot import limits
from pilot.fields import LimitedTextField


class AppendOnlyError(Exception):
    """The access log is never updated or deleted by the application."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who exported, downloaded, reopened or changed a role, and when (UTC)."""

    class Action(models.TextChoices):
        EXPORT = "export", "Export"
        TRANSCRIPT = "transcript", "Transcript"
        PDF = "pdf", "PDF"
        REOPEN = "reopen", "Observation reopened"
        ROLE_CHANGE = "role_change", "Role changed"
        IMPORT = "import", "Import"
        INVITATION = "invitation", "Invitation sent"
        UNLOCK = "unlock", "Sign-in unlocked"
        ACCOUNT_LINK = "account_link", "Sign-in linked to a staff record"
        SSO_REFUSED = "sso_refused", "Single sign-on refused"
        MFA_ENABLED = "mfa_enabled", "Second factor set up"
        MFA_DISABLED = "mfa_disabled", "Second factor removed"
        MFA_RESET = "mfa_reset", "Second factor reset"
        MFA_CODES_MADE = "mfa_codes_made", "Recovery codes made"
        MFA_CODE_USED = "mfa_code_used", "Recovery code used"
        MFA_USED = "mfa_used", "Passkey used"
        REMINDER = "reminder", "Reminder sent from the tracker"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_email = models.EmailField()
    action = models.CharField(max_length=20, choices=Action)
    subject = models.CharField(max_length=255)
    detail = LimitedTextField(blank=True, max_length=limits.AUDIT_DETAIL)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"
        constraints = [limits.max_length_check("detail", limits.AUDIT_DETAIL)]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.subject}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")
