"""Sign-in lockouts (django-axes) as a coordinator sees them, and lifting them."""

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


@dataclass(frozen=True)
class Lockout:
    key: str  # the account (email as typed, lowercased) or the address
    failures: int
    until: datetime


def current_lockouts() -> tuple[list[Lockout], list[Lockout]]:
    """Accounts and addresses locked now: the same count axes makes when it refuses a try."""
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
    result = []
    for key in ("username", "ip_address"):
        rows = (
            recent.exclude(**{f"{key}__isnull": True})
            .values(key)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by(key)
        )
        result.append([Lockout(row[key], row["failures"], row["last"] + cool_off) for row in rows])
    return result[0], result[1]


def unlock_account(username: str) -> int:
    """Forget the failed attempts against an account (from every address)."""
    return reset(username=username.strip().lower()) if username.strip() else 0


def unlock_address(ip_address: str) -> int:
    """Forget the failed attempts from an address (against every account)."""
    return reset(ip=ip_address.strip()) if ip_address.strip() else 0
