"""The registry of each app's access policy.

A policy is the one place that says, for the records of one model, which a user may
see (anything outside ``visible`` is a 404) and which actions they may take on one of
them (``allows``: 403 without). Apps define theirs in ``<app>/access.py`` and register
it from ``AppConfig.ready()``; the core and the site layer ask through ``policy_for``
without importing the app.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from pilot.models import User


class Policy(Protocol):
    def visible(self, user: User | AnonymousUser) -> QuerySet: ...

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool: ...


def require_allowed(
    policy: Policy,
    user: User | AnonymousUser,
    action: str,
    obj: Any = None,
    message: str = "Your role does not allow this.",
) -> None:
    """403 (with ``message``) unless the policy allows the user this action (on ``obj``)."""
    if not policy.allows(user, action, obj):
        raise PermissionDenied(message)


@dataclass
class _Registry:
    by_label: dict[str, Policy]


_POLICIES = _Registry(by_label={})


def register_policy(model: type[Model] | str, policy: Policy) -> Policy:
    """Register ``policy`` for a model (the class, or its ``app_label.ModelName``)."""
    label = model if isinstance(model, str) else model._meta.label
    _POLICIES.by_label[label] = policy
    return policy


def policy_for(model: type[Model] | str) -> Policy:
    label = model if isinstance(model, str) else model._meta.label
    try:
        return _POLICIES.by_label[label]
    except KeyError:
        raise LookupError(f"No access policy is registered for {label}.") from None
