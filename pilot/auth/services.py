"""Writes about sign-in factors."""

from allauth.mfa.models import Authenticator
from django.db import transaction

from pilot.audit import log_access
from pilot.models import User
from pilot.sessions import end_sessions


def reset_second_factor(*, user: User, reset_by: User) -> int:
    """Remove ``user``'s authenticator and recovery codes and end their sessions, so that
    they set up a new one at their next sign-in; logged. Returns how many were removed."""
    with transaction.atomic():
        removed, _ = Authenticator.objects.filter(user=user).delete()
        log_access(reset_by, "mfa_reset", subject=user.email, detail=f"{removed} removed")
    end_sessions(user)
    return removed
