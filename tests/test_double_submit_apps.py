"""Create forms of mentoring, observations and coursework save once however often the same
form is sent (a double click, a reload): ``@one_time_submit`` (pilot/views/generic.py)."""

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coursework.models import Course, DegreePlan, Enrollment, Module, Offering, TransferCredit
from mentoring.models import Goal, MentoringSession, Pairing
from observations.models import Observation
from pilot.models import FormSubmission
from tests.factories import OfferingFactory, PairingFactory, current_rubric

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([0-9a-f-]{36})">')


def page_token(client: Client, url: str) -> str:
    """The one-time token the form page hands the browser."""
    response = client.get(url)
    assert response.status_code == 200
    found = TOKEN.findall(response.content.decode())
    assert len(found) == 1, "the form page should carry exactly one token"
    return found[0]


def pairing(w):
    return w.once(
        "pairing",
        lambda w: PairingFactory(cohort=w.cohort, teacher=w.teacher, paraprofessional=w.para),
    )


def offering(w):
    return w.once(
        "offering",
        lambda w: OfferingFactory(course__college=w.college, cohort=w.cohort, term="Fall 2026"),
    )


@dataclass(frozen=True)
class CreateForm:
    persona: str
    url: Any  # world -> URL of the form page (and where it posts)
    data: Any  # world -> a valid POST
    count: Any  # () -> how many of the created records exist


def _plan(w) -> dict:
    return {
        "college": w.college.pk,
        "name": "Paraeducator Certificate",
        "kind": "certificate",
        "total_credits": "6",
        "blocks-TOTAL_FORMS": "1",
        "blocks-INITIAL_FORMS": "0",
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "1000",
        "blocks-0-name": "Electives",
        "blocks-0-credits_required": "6",
        "blocks-0-order": "1",
        "blocks-0-is_open": "on",
    }


FORMS = {
    "pairing": CreateForm(
        "pc",
        lambda w: reverse("mentoring:pairing-create") + f"?district=alpha&cohort={w.cohort.uuid}",
        lambda w: {
            "teacher": w.teacher.pk,
            "paraprofessional": w.para.pk,
            "starts_on": w.cohort.starts_on.isoformat(),
            "ends_on": w.cohort.ends_on.isoformat(),
            "focus_areas": ["classroom_support"],
        },
        lambda: Pairing.objects.count(),
    ),
    "session": CreateForm(
        "teacher",
        lambda w: reverse("mentoring:session-create", args=[pairing(w).uuid]),
        lambda w: {
            "held_on": "2026-10-14",
            "minutes": "35",
            "focus_areas": ["engagement"],
            "notes": "Planned the reading group.",
            "next_steps": "Para leads it on Thursday.",
        },
        lambda: MentoringSession.objects.count(),
    ),
    "goal": CreateForm(
        "para",
        lambda w: reverse("mentoring:goal-create", args=[pairing(w).uuid]),
        lambda w: {"focus_area": "engagement", "text": "Finish ED 101.", "target_on": "2027-01-15"},
        lambda: Goal.objects.count(),
    ),
    "observation": CreateForm(
        "teacher",
        lambda w: current_rubric() and reverse("observations:create", args=[pairing(w).uuid]),
        lambda w: {"kind": "baseline", "observed_on": "2026-09-14"},
        lambda: Observation.objects.count(),
    ),
    "course": CreateForm(
        "liaison",
        lambda w: reverse("coursework:course-create"),
        lambda w: {
            "college": w.college.pk,
            "code": "EDU 135",
            "title": "Math Intervention for Small Groups",
            "credit_hours": "1.5",
            "delivery": "in_person",
            "domains": ["classroom_support"],
        },
        lambda: Course.objects.count(),
    ),
    "offering": CreateForm(
        "liaison",
        lambda w: offering(w) and reverse("coursework:offering-create"),
        lambda w: {
            "course": offering(w).course.pk,
            "cohort": w.cohort.pk,
            "term": "Spring 2027",
            "section": "01",
            "starts_on": "2027-01-11",
            "ends_on": "2027-05-07",
            "instructor": "Dr. K",
        },
        lambda: Offering.objects.filter(term="Spring 2027").count(),
    ),
    "module": CreateForm(
        "liaison",
        lambda w: reverse("coursework:module-create", args=[offering(w).uuid]),
        lambda w: {"title": "Tiers and teams", "mode": "online", "order": "1"},
        lambda: Module.objects.count(),
    ),
    "enrollment": CreateForm(
        "liaison",
        lambda w: reverse("coursework:offering-enroll", args=[offering(w).uuid]),
        lambda w: {"paras": [w.para.pk]},
        lambda: Enrollment.objects.count(),
    ),
    "transfer credit": CreateForm(
        "para",
        lambda w: reverse("coursework:transfer-create"),
        lambda w: {
            "college": w.college.pk,
            "institution": "State University",
            "course_title": "Statistics",
            "credit_hours": "3",
            "completed_on": "2025-05-01",
        },
        lambda: TransferCredit.objects.count(),
    ),
    "degree plan": CreateForm(
        "liaison", lambda w: reverse("coursework:plan-create"), _plan, DegreePlan.objects.count
    ),
}


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_repeated_post_creates_one_record(kind, world, login) -> None:
    form = FORMS[kind]
    client = login(world.users[form.persona])
    url = form.url(world)
    before = form.count()
    post = {**form.data(world), "form_token": page_token(client, url)}

    first = client.post(url, post)
    assert first.status_code == 302, first.content.decode()[:3000]
    second = client.post(url, post)
    third = client.post(url, post, follow=True)

    assert form.count() == before + 1
    # The repeats land where the first did, saying the form had already been sent.
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert "it was saved once" in third.content.decode()


def test_an_invalid_form_keeps_the_token_unclaimed(world, login) -> None:
    """A form shown again with its errors saved nothing: corrected, it saves once."""
    client = login(world.users["teacher"])
    url = FORMS["session"].url(world)
    token = page_token(client, url)
    data = FORMS["session"].data(world)
    invalid = client.post(url, {**data, "minutes": "", "form_token": token})
    assert invalid.status_code == 200 and "Please correct" in invalid.content.decode()
    assert not FormSubmission.objects.exists()
    # The page shown again carries a fresh token; the first one still works too.
    assert TOKEN.search(invalid.content.decode()).group(1) != token
    assert client.post(url, {**data, "form_token": token}).status_code == 302
    assert client.post(url, {**data, "form_token": token}).status_code == 302
    assert MentoringSession.objects.count() == 1


def test_a_fresh_form_creates_another_record(world, login) -> None:
    client = login(world.users["teacher"])
    url = FORMS["session"].url(world)
    for _ in range(2):
        data = {**FORMS["session"].data(world), "form_token": page_token(client, url)}
        assert client.post(url, data).status_code == 302
    assert MentoringSession.objects.count() == 2


def test_a_tampered_token_saves_nothing(world, login) -> None:
    client = login(world.users["liaison"])
    url = FORMS["course"].url(world)
    response = client.post(
        url, {**FORMS["course"].data(world), "form_token": "not-a-token"}, follow=True
    )
    assert "This form has expired" in response.content.decode()
    assert TOKEN.search(response.content.decode())  # the form again, with a token to send
    assert not Course.objects.exists()


def test_a_refusal_undoes_the_claim(world, login) -> None:
    """Out of scope (404) after the claim: the claim is rolled back with it."""
    client = login(world.users["teacher"])
    other = PairingFactory(cohort=world.cohort, teacher=world.teacher_b)
    url = reverse("mentoring:session-create", args=[other.uuid])
    token = page_token(client, FORMS["session"].url(world))
    response = client.post(url, {**FORMS["session"].data(world), "form_token": token})
    assert response.status_code == 404
    assert not FormSubmission.objects.exists()
