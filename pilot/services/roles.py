"""Coordinator and liaison roles: granting and revoking, each logged in the access log."""

from django.core.exceptions import ValidationError
from django.db import transaction

from pilot.audit import log_access
from pilot.models import AuditEntry, College, District, RoleAssignment, User

from .checks import Errors, refuse_if

Role = RoleAssignment.Role


def grant_role(
    *,
    email: str,
    role: str,
    granted_by: User,
    full_name: str = "",
    district: District | None = None,
    college: College | None = None,
) -> RoleAssignment:
    """Give the person signing in with ``email`` a role, making their account (without a
    password: they set one through "forgot password") if none uses the email yet. A
    district or college is kept only for the role it scopes."""
    email = email.strip().lower()
    district = district if role == Role.DISTRICT_COORDINATOR else None
    college = college if role == Role.COLLEGE_LIAISON else None
    errors: Errors = {}
    if role not in Role.values:
        errors["role"] = [f"“{role}” is not one of: {', '.join(Role.values)}."]
    if role == Role.DISTRICT_COORDINATOR and district is None:
        errors["district"] = ["Choose the district this coordinator works for."]
    if role == Role.COLLEGE_LIAISON and college is None:
        errors["college"] = ["Choose the college this liaison works for."]
    refuse_if(errors)
    with transaction.atomic():
        held = RoleAssignment.objects.filter(
            user__email__iexact=email, role=role, district=district, college=college
        )
        if held.exists():
            raise ValidationError({"email": "This person already has that role."})
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, full_name=full_name)
            user.set_unusable_password()
            user.save()
        assignment = RoleAssignment.objects.create(
            user=user, role=role, district=district, college=college, granted_by=granted_by
        )
        log_access(granted_by, AuditEntry.Action.ROLE_CHANGE, f"granted {assignment}")
    return assignment


def revoke_problem(*, assignment: RoleAssignment, revoked_by: User) -> str | None:
    """Why ``revoked_by`` may not remove ``assignment``: nobody removes their own program
    coordinator role, so the program always keeps one."""
    if assignment.user_id == revoked_by.pk and assignment.role == Role.PROGRAM_COORDINATOR:
        return "You cannot remove your own program coordinator role."
    return None


def revoke_role(*, assignment: RoleAssignment, revoked_by: User) -> str:
    """Remove a role (logged); returns what was removed."""
    problem = revoke_problem(assignment=assignment, revoked_by=revoked_by)
    if problem:
        raise ValidationError(problem)
    label = str(assignment)
    with transaction.atomic():
        assignment.delete()
        log_access(revoked_by, AuditEntry.Action.ROLE_CHANGE, f"revoked {label}")
    return label
