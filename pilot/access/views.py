"""View helpers that apply the rules: login first, then role (403), then scope (404)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .rules import Capability, require

M = TypeVar("M", bound=Model)


def capability_required(*capabilities: Capability) -> Callable:
    """Function views: anonymous to login, then 403 unless the user holds a capability."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, *capabilities)
            return view(request, *args, **kwargs)

        # Read by the navigation: a link shows to exactly those the view admits.
        wrapped.capabilities = capabilities  # type: ignore[attr-defined]
        return wrapped

    return decorator


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch from a ``visible_*`` queryset: out of scope looks exactly like not found."""
    return get_object_or_404(queryset, **lookup)
