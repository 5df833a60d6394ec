"""Mentoring pages that show typed text: pair names, session notes and next steps, goals."""

from django.urls import reverse

from ..factories import GoalFactory, MentoringSessionFactory, PairingFactory
from . import Page, hostile
from .pilot_pages import COHORT, DISTRICT, PARA_FIRST, SCHOOL

NOTE = hostile("We planned")
NEXT = hostile("Try")
GOAL = hostile("Run the group")


def pairing(w):
    return w.once(
        "pairing",
        lambda w: PairingFactory(
            cohort=w.cohort, teacher=w.teacher, paraprofessional=w.para, district=w.district_a
        ),
    )


def session(w):
    return w.once(
        "session",
        lambda w: MentoringSessionFactory(pairing=pairing(w), notes=NOTE, next_steps=NEXT),
    )


def make_hostile(w) -> None:
    session(w)
    w.once("goal", lambda w: GoalFactory(pairing=pairing(w), text=GOAL))


PAGES = {
    "pairing list": Page(lambda w: reverse("mentoring:pairing-list"), [PARA_FIRST]),
    "pairing page as coordinator": Page(
        lambda w: reverse("mentoring:pairing-detail", args=[pairing(w).uuid]), [PARA_FIRST, SCHOOL]
    ),
    "pairing page as teacher": Page(
        lambda w: reverse("mentoring:pairing-detail", args=[pairing(w).uuid]),
        [PARA_FIRST, NOTE, NEXT, GOAL],
        persona="teacher",
    ),
    "session page as paraprofessional": Page(
        lambda w: reverse("mentoring:session-detail", args=[session(w).uuid]),
        [PARA_FIRST, NOTE, NEXT],
        persona="para",
    ),
    "pairing edit form": Page(
        lambda w: reverse("mentoring:pairing-update", args=[pairing(w).uuid]), [PARA_FIRST]
    ),
    # The rollover preview names the cohort, its districts and each continuing pair.
    "rollover preview": Page(
        lambda w: reverse("pilot:cohort-rollover", args=[pairing(w).cohort.uuid]),
        [COHORT, DISTRICT, PARA_FIRST],
    ),
}
