"""What mentoring adds to the core's pages (see ``pilot.registry.sections``)."""

from django.http import HttpRequest

from pilot.models import District, Staff
from pilot.registry.sections import PageSection

from . import queries


def district_support_roles(request: HttpRequest, district: District) -> dict:
    return {
        "template": "mentoring/district_support_roles.html",
        "data": queries.support_role_counts(district),
    }


def staff_active_pairings(request: HttpRequest, member: Staff) -> dict:
    return {
        "template": "mentoring/_active_pairings_note.html",
        "data": list(queries.active_pairings_of(member)),
    }


SECTIONS = [
    PageSection("mentoring-support-roles", "district", district_support_roles),
    PageSection("mentoring-active-pairings", "staff-deactivate", staff_active_pairings),
]
