"""Lifting a sign-in lockout (django-axes), logged in the access log."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address

from pilot.audit import log_access
from pilot.lockouts import unlock_account, unlock_address
from pilot.models import AuditEntry, User


def unlock_sign_in(*, unlocked_by: User, username: str = "", ip_address: str = "") -> str:
    """Forget the failed attempts against an account, or else from an address; returns
    what was unlocked (e.g. "account pat@x.test")."""
    username, ip_address = username.strip().lower(), ip_address.strip()
    if username:
        unlock_account(username)
        label = f"account {username}"
    elif ip_address:
        try:
            validate_ipv46_address(ip_address)
        except ValidationError:
            raise ValidationError({"ip_address": "That is not an address."}) from None
        unlock_address(ip_address)
        label = f"address {ip_address}"
    else:
        raise ValidationError("Choose an account or an address to unlock.")
    log_access(unlocked_by, AuditEntry.Action.UNLOCK, label)
    return label
