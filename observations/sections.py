"""The "Observations" section of the pairing page (mentoring's section registry)."""

from django.http import HttpRequest

from mentoring.models import Pairing
from observations.access import visible_observations
from pilot.access import principal

from . import queries
from .schedule import forms_for


def pairing_section(request: HttpRequest, pairing: Pairing) -> dict:
    """The forms of the pairing the viewer may see, where each kind stands, and the
    domain-level comparison of baseline and end of pilot. Three queries."""
    observations = list(
        visible_observations(request.user)
        .filter(pairing=pairing)
        .select_related("acknowledgement")
        .order_by("observed_on", "id")
    )
    p = principal(request.user)
    is_teacher = p.is_teacher and pairing.teacher_id == p.staff.pk
    return {
        "template": "observations/_pairing_section.html",
        "data": {
            "pairing": pairing,
            "observations": observations,
            "forms": forms_for(pairing, observations) if is_teacher else [],
            "is_teacher": is_teacher,
            "growth": queries.growth_by_domain(Pairing.objects.filter(pk=pairing.pk)),
        },
    }
