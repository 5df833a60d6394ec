"""What one signed-in user is: their roles and scope, loaded once per request."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Aggregate, CharField, Exists, OuterRef, Subquery

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


class _Ids(Aggregate):
    """The ids as one comma-separated string: GROUP_CONCAT on SQLite, STRING_AGG here."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s::text, ',')",
            **extra_context,
        )


def _role_ids(role: str, column: str) -> Subquery:
    rows = RoleAssignment.objects.filter(user=OuterRef("pk"), role=role).exclude(
        **{f"{column}__isnull": True}
    )
    return Subquery(rows.values("user").annotate(ids=_Ids(column)).values("ids")[:1])


def _ids(text: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in text.split(",")) if text else frozenset()


def _load(user: User) -> Principal:
    """One query: the user's row with its staff record (district and school) joined, and
    their roles folded into three columns."""
    Role = RoleAssignment.Role  # noqa: N806
    row = (
        User.objects.filter(pk=user.pk)
        .select_related("staff_profile__district", "staff_profile__school")
        .annotate(
            _program=Exists(
                RoleAssignment.objects.filter(user=OuterRef("pk"), role=Role.PROGRAM_COORDINATOR)
            ),
            _districts=_role_ids(Role.DISTRICT_COORDINATOR, "district_id"),
            _colleges=_role_ids(Role.COLLEGE_LIAISON, "college_id"),
        )
        .first()
    )
    if row is None:
        return Principal(user=user)
    try:
        staff = row.staff_profile
    except Staff.DoesNotExist:
        staff = None
    return Principal(
        user=user,
        is_program_coordinator=row._program,
        district_ids=_ids(row._districts),
        college_ids=_ids(row._colleges),
        staff=staff if staff is not None and staff.is_active else None,
    )


def principal(user: User | AnonymousUser) -> Principal:
    """The user's roles, cached on the user object so a request loads them once."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        result = Principal(user=user)
    else:
        result = _load(user)
    setattr(user, _CACHE_ATTR, result)
    return result


def forget(user: User) -> None:
    """Drop the cached roles, e.g. after an account is linked within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
