"""Where the user came from, for the Cancel link of a form: a ``next`` parameter (query or
form) or else the referring page, accepted only when it is a path of this site."""

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def came_from(request: HttpRequest) -> str | None:
    """The same-site path to go back to, or None (none given, off-site, or this page)."""
    candidates = (
        request.POST.get("next") if request.method == "POST" else None,
        request.GET.get("next"),
        request.META.get("HTTP_REFERER"),
    )
    for candidate in candidates:
        if not candidate or not url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            continue
        parts = urlsplit(candidate)
        if not parts.path.startswith("/") or parts.path == request.path:
            continue
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return None
