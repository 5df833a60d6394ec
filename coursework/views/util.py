from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from pilot.access import Policy
from pilot.forms.errors import add_service_errors
from pilot.models import User

T = TypeVar("T")


def save_through(form: forms.BaseForm, save: Callable[[], T]) -> T | None:
    """Run a service write for a valid form; when the service refuses, its messages go
    next to the form's fields and nothing is returned."""
    try:
        return save()
    except ValidationError as refused:
        add_service_errors(form, refused)
        return None


def require_allowed(
    policy: Policy, user: User | AnonymousUser, action: str, obj: Any = None
) -> None:
    """403 unless the policy allows the user this action (on ``obj``)."""
    if not policy.allows(user, action, obj):
        raise PermissionDenied("Your role does not allow this.")
