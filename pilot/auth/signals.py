"""Second-factor events in the access log: set up, removed, recovery codes made or used,
passkeys used."""

from typing import Any

from allauth.mfa import signals
from allauth.mfa.models import Authenticator
from django.dispatch import receiver

from pilot.audit import log_access


def _label(authenticator: Authenticator) -> str:
    if authenticator.type == Authenticator.Type.WEBAUTHN:
        return f"Passkey “{authenticator}”"
    return Authenticator.Type(authenticator.type).label


@receiver(signals.authenticator_added, dispatch_uid="pilot.auth.mfa_added")
def added(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kw: Any) -> None:
    log_access(user, "mfa_enabled", subject=user.email, detail=_label(authenticator))


@receiver(signals.authenticator_removed, dispatch_uid="pilot.auth.mfa_removed")
def removed(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kw: Any) -> None:
    log_access(user, "mfa_disabled", subject=user.email, detail=_label(authenticator))


@receiver(signals.authenticator_reset, dispatch_uid="pilot.auth.mfa_codes_made")
def reset(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kw: Any) -> None:
    log_access(user, "mfa_codes_made", subject=user.email)


@receiver(signals.authenticator_used, dispatch_uid="pilot.auth.mfa_used")
def used(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kw: Any) -> None:
    # Authenticator-app codes are everyday use; a recovery code spent, or a passkey (a
    # device that can be lost or lent), is worth a record.
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        log_access(user, "mfa_code_used", subject=user.email)
    elif authenticator.type == Authenticator.Type.WEBAUTHN:
        log_access(user, "mfa_used", subject=user.email, detail=_label(authenticator))
