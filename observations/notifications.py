"""Emails about observations: written to the outbox with the change, sent after it commits."""

from django.conf import settings
from django.urls import reverse

from pilot.mail import queue_template
from pilot.models import Staff

from .models import Observation


def staff_email(staff: Staff) -> str:
    """Where a staff member reads mail: their sign-in if they have one, else their record."""
    if staff.user_id and staff.user.email:
        return staff.user.email
    return staff.email


def observation_link(observation: Observation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("observations:detail", args=[observation.uuid])


def _later(template: str, to: str, context: dict) -> None:
    if to:
        queue_template(to=to, template=template, context=context, kind="observation")


def observation_submitted(observation: Observation) -> None:
    """The paraprofessional is told a new observation about them is ready to read."""
    pairing = observation.pairing
    _later(
        "observations/email/submitted.txt",
        staff_email(pairing.paraprofessional),
        {"observation": observation, "pairing": pairing, "link": observation_link(observation)},
    )


def observation_acknowledged(observation: Observation) -> None:
    """The teacher is told the paraprofessional has received (not agreed with) it."""
    pairing = observation.pairing
    _later(
        "observations/email/acknowledged.txt",
        staff_email(pairing.teacher),
        {
            "observation": observation,
            "pairing": pairing,
            "acknowledgement": observation.acknowledgement,
            "link": observation_link(observation),
        },
    )


def observation_reopened(observation: Observation, reason: str) -> None:
    """The teacher is told a coordinator reopened their observation, and why."""
    pairing = observation.pairing
    _later(
        "observations/email/reopened.txt",
        staff_email(pairing.teacher),
        {
            "observation": observation,
            "pairing": pairing,
            "reason": reason,
            "link": observation_link(observation),
        },
    )
