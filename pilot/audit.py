"""Record exports, downloads, reopenings and role changes in the append-only access log."""

from django.contrib.auth.models import AnonymousUser

from pilot import limits
from pilot.models import AuditEntry, User


def log_access(
    user: User | AnonymousUser, action: str, subject: str, detail: str = ""
) -> AuditEntry:
    actor = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_email=getattr(actor, "email", "") or "anonymous",
        action=action,
        subject=subject[:255],
        detail=detail[: limits.AUDIT_DETAIL],
    )
