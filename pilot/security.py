"""Small hooks that the security settings point at (django-axes, sessions)."""

from django.conf import settings
from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account a sign-in attempt is for, as the login matches it: trimmed, lowercase.

    Emails sign in case-insensitively, so ``Para@X`` and ``para@x`` must count as one
    account, or an attacker could multiply the failure limit by changing case.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field)
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get(field)
    if not value:
        return None
    return str(value).strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, the address
    the nearest trusted proxy saw (from the right of X-Forwarded-For); otherwise REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
