"""The main navigation: each entry shows only to roles that may reach it."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from pilot.access import Capability, can
from pilot.models import User


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    capabilities: tuple[Capability, ...]


ENTRIES: list[NavEntry] = [
    NavEntry("Dashboard", "pilot:dashboard", (Capability.VIEW_CATALOG,)),
    NavEntry("Cohorts", "pilot:cohort-list", (Capability.VIEW_PROGRAM,)),
    NavEntry("Districts", "pilot:district-list", (Capability.VIEW_PROGRAM,)),
    NavEntry("Staff", "pilot:staff-list", (Capability.VIEW_PROGRAM,)),
    NavEntry(
        "Pairings",
        "mentoring:pairing-list",
        (Capability.VIEW_PROGRAM, Capability.MENTOR, Capability.LEARN),
    ),
    NavEntry(
        "Observations",
        "observations:index",
        (Capability.VIEW_PROGRAM, Capability.MENTOR, Capability.LEARN),
    ),
    NavEntry("Imports", "imports:index", (Capability.MANAGE_PROGRAM, Capability.MANAGE_COLLEGE)),
    NavEntry("Roles", "pilot:role-list", (Capability.MANAGE_ROLES,)),
    NavEntry("My progress", "coursework:progress", (Capability.LEARN,)),
    NavEntry("Courses", "coursework:course-list", (Capability.VIEW_CATALOG,)),
    NavEntry("Offerings", "coursework:offering-list", (Capability.MANAGE_COLLEGE,)),
    NavEntry("Students", "coursework:learner-list", (Capability.MANAGE_COLLEGE,)),
    NavEntry("Transfer credit", "coursework:transfer-list", (Capability.MANAGE_COLLEGE,)),
    NavEntry("Coursework", "coursework:report", (Capability.VIEW_PROGRAM,)),
    NavEntry("Reports", "reports:index", (Capability.VIEW_PROGRAM,)),
]


def entries_for(user: User | AnonymousUser, current_path: str) -> list[dict[str, object]]:
    items = []
    for entry in ENTRIES:
        if can(user, *entry.capabilities):
            url = reverse(entry.url_name)
            current = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": entry.label, "url": url, "current": current})
    return items
