"""A link to the person page on the pages that name a paraprofessional (staff, pairing)."""

from typing import Any

from django.http import HttpRequest

from pilot.models import Staff

from .access import PERSONS
from .views import person_url


def _link(request: HttpRequest, para: Staff) -> dict | None:
    # One query: whether this viewer may open the person's page at all.
    if para.role != Staff.Role.PARAPROFESSIONAL:
        return None
    if not PERSONS.visible(request.user).filter(pk=para.pk).exists():
        return None
    return {
        "template": "pathways/person_link.html",
        "data": {"url": person_url(para), "para": para},
    }


def staff_section(request: HttpRequest, member: Staff) -> dict | None:
    return _link(request, member)


def pairing_section(request: HttpRequest, pairing: Any) -> dict | None:
    return _link(request, pairing.paraprofessional)
