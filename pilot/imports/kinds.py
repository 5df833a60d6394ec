"""The kinds of roster file a user may import, and how a new kind is added.

A kind is a resource (``pilot.imports.resources.RosterResource`` subclass) plus the
capabilities that admit a user to it. The ``/imports/`` page offers each user the kinds
their capabilities allow (403 when none), with a template per kind; the resource scopes
every row to the user. Another app adds a kind from its ``AppConfig.ready()``::

    from pilot.access import Capability
    from pilot.imports.kinds import ImportKind, register

    register(ImportKind("pairings", "Pairings", PairingResource, (Capability.MANAGE_PROGRAM,)))
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from pilot.access import Capability, can
from pilot.models import User

from .resources import DistrictSchoolResource, RosterResource, StaffResource


@dataclass(frozen=True)
class ImportKind:
    slug: str
    label: str
    resource_class: type[RosterResource]
    capabilities: tuple[Capability, ...]
    help_text: str = ""

    @property
    def columns(self) -> list[str]:
        return self.resource_class.columns()

    @property
    def required_columns(self) -> list[str]:
        return list(self.resource_class.required_columns or self.columns)

    @property
    def example_row(self) -> list[str]:
        return [self.resource_class.example_row.get(c, "") for c in self.columns]

    def resource(self, user: User | AnonymousUser, file_name: str = "") -> RosterResource:
        return self.resource_class(user=user, file_name=file_name)

    def allows(self, user: User | AnonymousUser) -> bool:
        return can(user, *self.capabilities)


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    existing = _KINDS.get(kind.slug)
    if existing is not None and existing != kind:
        raise ValueError(f"An import kind named {kind.slug!r} is already registered.")
    _KINDS[kind.slug] = kind
    return kind


def get_kind(slug: str) -> ImportKind | None:
    return _KINDS.get(slug)


def all_kinds() -> list[ImportKind]:
    return list(_KINDS.values())


def kinds_for(user: User | AnonymousUser) -> list[ImportKind]:
    return [kind for kind in _KINDS.values() if kind.allows(user)]


def import_capabilities() -> tuple[Capability, ...]:
    """Any one of these admits a user to the import pages (each kind checks its own)."""
    return tuple(dict.fromkeys(c for kind in _KINDS.values() for c in kind.capabilities))


DISTRICTS_AND_SCHOOLS = register(
    ImportKind(
        "districts-schools",
        "Districts and schools",
        DistrictSchoolResource,
        (Capability.MANAGE_PROGRAM,),
        "One row per school. Name the district as people know it, by its name or its code "
        "(NCES id); a name no district has adds the district (program coordinators only); "
        "district coordinators update schools in their own districts.",
    )
)
STAFF = register(
    ImportKind(
        "staff",
        "Staff",
        StaffResource,
        (Capability.MANAGE_PROGRAM,),
        "One row per teacher or paraprofessional, matched by employee id or email within "
        "the district. The school must already exist.",
    )
)
