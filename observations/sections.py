"""The "Observations" section of the pairing page (mentoring's section registry)."""

from django.http import HttpRequest

from mentoring.models import Pairing

from . import queries
from .access import OBSERVATIONS
from .schedule import forms_for


def pairing_section(request: HttpRequest, pairing: Pairing) -> dict:
    """The forms of the pairing the viewer may see, where each kind stands, and the
    domain-level comparison of baseline and end of pilot. Three queries."""
    observations = list(
        OBSERVATIONS.visible(request.user)
        .filter(pairing=pairing)
        .select_related("acknowledgement")
        .order_by("observed_on", "id")
    )
    can_start = OBSERVATIONS.allows(request.user, "start", pairing)
    return {
        "template": "observations/_pairing_section.html",
        "data": {
            "pairing": pairing,
            "observations": observations,
            "forms": forms_for(pairing, observations) if can_start else [],
            "can_start": can_start,
            "growth": queries.growth_by_domain(Pairing.objects.filter(pk=pairing.pk)),
        },
    }
