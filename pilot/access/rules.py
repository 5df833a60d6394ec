"""Which roles may reach which kinds of page (403 when not)."""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from pilot.models import User

from .principal import Principal, principal


class Capability(StrEnum):
    VIEW_PROGRAM = "view_program"  # cohorts, districts, schools, staff lists
    MANAGE_PROGRAM = "manage_program"  # districts, schools, staff, enrollments in scope
    MANAGE_COHORTS = "manage_cohorts"  # create/edit cohorts: program coordinator only
    MANAGE_ROLES = "manage_roles"  # grant coordinator and liaison roles
    UNLOCK_SIGN_INS = "unlock_sign_ins"  # lift a sign-in lockout: program coordinator only
    LINK_ACCOUNTS = "link_accounts"  # link an existing sign-in to a staff record: PC only
    VIEW_HISTORY = "view_history"  # change history on record pages: program coordinator only
    RESET_SECOND_FACTOR = "reset_second_factor"  # clear someone's authenticator: PC only
    MANAGE_SIGN_IN = "manage_sign_in"  # a district's sign-in email domains: PC only
    MANAGE_RUBRIC = "manage_rubric"  # publish a new rubric version: program coordinator
    VIEW_PILOT_REPORT = "view_pilot_report"  # the end-of-pilot report: program coordinator
    MANAGE_COLLEGE = "manage_college"  # catalog, offerings, grades
    VIEW_CATALOG = "view_catalog"
    MENTOR = "mentor"  # teacher
    LEARN = "learn"  # paraprofessional


def _coordinator(p: Principal) -> bool:
    return p.is_coordinator


_RULES = {
    Capability.VIEW_PROGRAM: _coordinator,
    Capability.MANAGE_PROGRAM: _coordinator,
    Capability.MANAGE_COHORTS: lambda p: p.is_program_coordinator,
    Capability.MANAGE_ROLES: lambda p: p.is_program_coordinator,
    Capability.UNLOCK_SIGN_INS: lambda p: p.is_program_coordinator,
    Capability.LINK_ACCOUNTS: lambda p: p.is_program_coordinator,
    Capability.VIEW_HISTORY: lambda p: p.is_program_coordinator,
    Capability.RESET_SECOND_FACTOR: lambda p: p.is_program_coordinator,
    Capability.MANAGE_SIGN_IN: lambda p: p.is_program_coordinator,
    Capability.MANAGE_RUBRIC: lambda p: p.is_program_coordinator,
    Capability.VIEW_PILOT_REPORT: lambda p: p.is_program_coordinator,
    Capability.MANAGE_COLLEGE: lambda p: p.is_college_liaison,
    Capability.VIEW_CATALOG: lambda p: p.is_authenticated,
    Capability.MENTOR: lambda p: p.is_teacher,
    Capability.LEARN: lambda p: p.is_paraprofessional,
}


def needs_second_factor(user: User | AnonymousUser) -> bool:
    """Whether this person reads many people's records (coordinators, college liaisons), so
    that signing in with a password alone is not enough when ``MFA_REQUIRED`` is on."""
    p = principal(user)
    return p.is_authenticated and (p.is_coordinator or p.is_college_liaison)


def can(user: User | AnonymousUser, *capabilities: Capability) -> bool:
    """True if the user holds any of the capabilities."""
    p = principal(user)
    return p.is_authenticated and any(_RULES[c](p) for c in capabilities)


def require(user: User | AnonymousUser, *capabilities: Capability) -> Principal:
    """The user's principal, or 403 if they hold none of the capabilities."""
    if not can(user, *capabilities):
        raise PermissionDenied("Your role does not allow this page.")
    return principal(user)
