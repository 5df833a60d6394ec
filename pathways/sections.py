"""A link to the person page on the pages that name a paraprofessional (staff, pairing,
progress). No query: whoever may open those pages may open the person page too (staff:
coordinators in scope; pairing: coordinators in scope and the pair; progress: the
coursework learner policy, which ``PERSONS.visible`` includes)."""

from typing import Any

from django.http import HttpRequest

from pilot.models import Staff

from .views import person_url


def _link(request: HttpRequest, para: Staff) -> dict | None:
    if para.role != Staff.Role.PARAPROFESSIONAL:
        return None
    return {
        "template": "pathways/person_link.html",
        "data": {"url": person_url(para), "para": para},
    }


def staff_section(request: HttpRequest, member: Staff) -> dict | None:
    return _link(request, member)


def learner_section(request: HttpRequest, para: Staff) -> dict | None:
    return _link(request, para)


def pairing_section(request: HttpRequest, pairing: Any) -> dict | None:
    return _link(request, pairing.paraprofessional)
