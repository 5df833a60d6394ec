"""What one signed-in user is: their roles and scope, loaded once per request."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from pilot.models import RoleAssignment, Staff, User

_CACHE_ATTR = "_pilot_principal"


@dataclass(frozen=True)
class Principal:
    user: User | AnonymousUser
    is_program_coordinator: bool = False
    district_ids: frozenset[int] = field(default_factory=frozenset)
    college_ids: frozenset[int] = field(default_factory=frozenset)
    staff: Staff | None = None

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_district_coordinator(self) -> bool:
        return bool(self.district_ids)

    @property
    def is_coordinator(self) -> bool:
        return self.is_program_coordinator or self.is_district_coordinator

    @property
    def is_college_liaison(self) -> bool:
        return bool(self.college_ids)

    @property
    def is_teacher(self) -> bool:
        return self.staff is not None and self.staff.role == Staff.Role.TEACHER

    @property
    def is_paraprofessional(self) -> bool:
        return self.staff is not None and self.staff.role == Staff.Role.PARAPROFESSIONAL

    @property
    def role_label(self) -> str:
        if self.is_program_coordinator:
            return "Program coordinator"
        if self.is_district_coordinator:
            return "District coordinator"
        if self.is_college_liaison:
            return "College liaison"
        if self.is_teacher:
            return "Teacher"
        if self.is_paraprofessional:
            return "Paraprofessional"
        return "No role yet"


def principal(user: User | AnonymousUser) -> Principal:
    """The user's roles, cached on the user object so a request loads them once."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        result = Principal(user=user)
    else:
        districts: set[int] = set()
        colleges: set[int] = set()
        program = False
        for role, district_id, college_id in RoleAssignment.objects.filter(user=user).values_list(
            "role", "district_id", "college_id"
        ):
            if role == RoleAssignment.Role.PROGRAM_COORDINATOR:
                program = True
            elif role == RoleAssignment.Role.DISTRICT_COORDINATOR:
                districts.add(district_id)
            elif role == RoleAssignment.Role.COLLEGE_LIAISON:
                colleges.add(college_id)
        staff = (
            Staff.objects.select_related("district", "school")
            .filter(user=user, is_active=True)
            .first()
        )
        result = Principal(
            user=user,
            is_program_coordinator=program,
            district_ids=frozenset(districts),
            college_ids=frozenset(colleges),
            staff=staff,
        )
    setattr(user, _CACHE_ATTR, result)
    return result


def forget(user: User) -> None:
    """Drop the cached roles, e.g. after an account is linked within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
