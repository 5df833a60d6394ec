"""Observation pages that show typed text: comments, evidence notes, the response."""

from django.urls import reverse
from django.utils import timezone

from ..factories import ObservationFactory
from . import Page, hostile
from .mentoring_pages import pairing
from .pilot_pages import PARA_FIRST

STRENGTHS = hostile("Calm directions")
GROWTH = hostile("Wait time")
NEXT_STEPS = hostile("Think-pair-share")
EVIDENCE = hostile("Seen at the table")
RESPONSE = hostile("Thank you")


def observation(w):
    return w.once("observation", _observation)


def _observation(w):
    from observations.models import Acknowledgement

    obs = ObservationFactory(
        pairing=pairing(w), scores=3, strengths=STRENGTHS, growth=GROWTH, next_steps=NEXT_STEPS
    )
    rating = obs.ratings.first()
    rating.evidence = EVIDENCE
    rating.save()
    obs.status, obs.submitted_at = "submitted", timezone.now()
    obs.save()
    Acknowledgement.objects.create(
        observation=obs, acknowledged_by=w.users["para"], response=RESPONSE
    )
    return obs


def make_hostile(w) -> None:
    observation(w)


def _reminders(w) -> str:
    from observations.models import ReminderSent

    w.once(
        "reminder",
        lambda w: ReminderSent.objects.create(
            pairing=pairing(w), kind="end", due_on=pairing(w).ends_on, sent_to="t@example.test"
        ),
    )
    return reverse("observations:reminders")


def _detail(w) -> str:
    return reverse("observations:detail", args=[observation(w).uuid])


ALL_TEXT = [PARA_FIRST, STRENGTHS, GROWTH, NEXT_STEPS, EVIDENCE, RESPONSE]

PAGES = {
    "observation as program coordinator": Page(_detail, ALL_TEXT),
    "observation as teacher": Page(_detail, ALL_TEXT, persona="teacher"),
    "observation as paraprofessional": Page(_detail, ALL_TEXT, persona="para"),
    "observations index as paraprofessional": Page(
        lambda w: reverse("observations:index"), [PARA_FIRST], persona="para"
    ),
    "reminders as program coordinator": Page(_reminders, [PARA_FIRST]),
    "growth as program coordinator": Page(
        lambda w: reverse("observations:growth", args=[pairing(w).uuid]), [PARA_FIRST]
    ),
}
