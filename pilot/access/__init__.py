"""The one place that decides who may see and do what.

Every view and every form's choices go through this package. The rules:
- anonymous visitors are sent to the login page (``login_required`` / ``AccessMixin``);
- a signed-in user whose role does not allow a kind of page gets 403 (``require``);
- a record outside the user's scope is not found: 404 (the ``visible_*`` querysets).
"""

from .coursework import (
    enrollable_paraprofessionals,
    managed_courses,
    managed_offerings,
    managed_plans,
    managed_transfer_credits,
    mentored_paraprofessional_ids,
    offering_cohorts,
    own_enrollments,
    visible_course_enrollments,
    visible_learners,
)
from .imports import visible_import_runs
from .mentoring import (
    is_pair_member,
    member_pairings,
    visible_goals,
    visible_pairings,
    visible_sessions,
)
from .observations import (
    can_acknowledge_observation,
    can_edit_observation,
    can_reopen_observation,
    coordinated_observations,
    coordinated_pairings,
    mentored_pairings,
    own_observations,
    teacher_observations,
    visible_observations,
    visible_quotes,
)
from .principal import Principal, principal
from .rules import Capability, can, require
from .scopes import (
    visible_cohort_enrollments,
    visible_cohorts,
    visible_districts,
    visible_role_assignments,
    visible_schools,
    visible_staff,
)
from .views import CapabilityRequiredMixin, capability_required, get_visible_or_404

__all__ = [
    "can_acknowledge_observation",
    "can_edit_observation",
    "can_reopen_observation",
    "coordinated_observations",
    "coordinated_pairings",
    "mentored_pairings",
    "own_observations",
    "teacher_observations",
    "visible_observations",
    "visible_quotes",
    "Capability",
    "CapabilityRequiredMixin",
    "Principal",
    "can",
    "capability_required",
    "enrollable_paraprofessionals",
    "get_visible_or_404",
    "managed_courses",
    "managed_offerings",
    "managed_plans",
    "managed_transfer_credits",
    "mentored_paraprofessional_ids",
    "offering_cohorts",
    "own_enrollments",
    "is_pair_member",
    "member_pairings",
    "principal",
    "require",
    "visible_cohort_enrollments",
    "visible_cohorts",
    "visible_course_enrollments",
    "visible_districts",
    "visible_learners",
    "visible_goals",
    "visible_import_runs",
    "visible_pairings",
    "visible_role_assignments",
    "visible_schools",
    "visible_sessions",
    "visible_staff",
]
