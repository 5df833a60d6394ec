"""The access framework: the principal of a request, capabilities and the policy registry.

The rules:
- anonymous visitors are sent to the login page (``capability_required``);
- a signed-in user whose role does not allow a kind of page gets 403 (``require``);
- a record outside the user's scope is not found: 404 (a policy's ``visible``).
The core's own records are scoped in ``scopes``; each feature app keeps the rules about
its records in ``<app>/access.py`` and registers them (``policies.register_policy``).
"""

from .policies import Policy, policy_for, register_policy, require_allowed
from .principal import Principal, principal
from .rules import Capability, can, needs_second_factor, require
from .scopes import (
    figures_scope_key,
    sees_whole_program,
    staff_scope_key,
    visible_cohort_enrollments,
    visible_cohorts,
    visible_districts,
    visible_role_assignments,
    visible_schools,
    visible_staff,
)
from .views import capability_required, get_visible_or_404

__all__ = [
    "Capability",
    "Policy",
    "Principal",
    "can",
    "capability_required",
    "figures_scope_key",
    "get_visible_or_404",
    "needs_second_factor",
    "policy_for",
    "principal",
    "register_policy",
    "require",
    "require_allowed",
    "sees_whole_program",
    "staff_scope_key",
    "visible_cohort_enrollments",
    "visible_cohorts",
    "visible_districts",
    "visible_role_assignments",
    "visible_schools",
    "visible_staff",
]
