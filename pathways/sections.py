"""A link to the person page on the pages that name a paraprofessional (staff, pairing,
progress). No query for a paraprofessional: whoever may open those pages may open the
person page too (staff: coordinators in scope; pairing: coordinators in scope and the
pair; progress: the coursework learner policy, which ``PERSONS.visible`` includes). A
teacher's staff page links to the path they had as a paraprofessional (their own record,
or the one linked to it): one query. The district page says the district's pathway rule:
one query."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from pilot.models import District, Staff

from .access import DISTRICT_RULES, PERSONS
from .models import DistrictRule
from .views import person_url


def _link(request: HttpRequest, para: Staff) -> dict | None:
    if para.role != Staff.Role.PARAPROFESSIONAL:
        return None
    return {
        "template": "pathways/person_link.html",
        "data": {"url": person_url(para), "para": para},
    }


def staff_section(request: HttpRequest, member: Staff) -> dict | None:
    if member.role == Staff.Role.PARAPROFESSIONAL:
        return _link(request, member)
    # A teacher who was a paraprofessional: this record paired as one, or linked to one.
    para = (
        PERSONS.visible(request.user)
        .filter(Q(pk=member.pk) | Q(teacher_link__teacher=member))
        .first()
    )
    if para is None:
        return None
    return {
        "template": "pathways/person_link.html",
        "data": {"url": person_url(para), "para": para, "former": True},
    }


def district_section(request: HttpRequest, district: District) -> dict | None:
    rule = DistrictRule.objects.filter(district=district).first()
    return {
        "template": "pathways/district_rule.html",
        "data": {
            "required": bool(rule and rule.credential_before_teaching),
            "url": reverse("pathways:district-rule", args=[district.slug])
            if DISTRICT_RULES.allows(request.user, "edit", district)
            else None,
        },
    }


def learner_section(request: HttpRequest, para: Staff) -> dict | None:
    return _link(request, para)


def pairing_section(request: HttpRequest, pairing: Any) -> dict | None:
    return _link(request, pairing.paraprofessional)
