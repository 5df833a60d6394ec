"""The pathways demo data: idempotent, and every kind of milestone the pipeline shows."""

import pytest
from django.urls import reverse

from demo import coursework, mentoring, observations
from demo import pathways as demo
from demo.core import seed_core
from pathways.models import Assessment, CohortStatus, Credential, EmploymentEvent

pytestmark = pytest.mark.django_db

MODELS = [CohortStatus, Credential, Assessment, EmploymentEvent]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_demo_milestones_are_idempotent_and_cover_the_pipeline(client) -> None:
    world = seed_core()
    for app in (mentoring, coursework, observations, demo):
        app.seed(world)
    first = counts()
    demo.seed(seed_core())
    assert counts() == first
    statuses = set(CohortStatus.objects.values_list("status", flat=True))
    assert statuses == {"continuing", "completed", "withdrew"}
    assert CohortStatus.objects.filter(status="withdrew").exclude(reason="").exists()
    assert Credential.objects.exists()
    assert {True, False} <= set(Assessment.objects.values_list("passed", flat=True))
    assert EmploymentEvent.objects.filter(kind="teacher_of_record").count() >= 3
    assert EmploymentEvent.objects.filter(kind="left_district").count() == 1
    client.force_login(world.users["coordinator@demo.test"])
    page = client.get(reverse("pathways:pipeline"))
    assert page.status_code == 200
    para = world.staff["para@demo.test"]
    assert client.get(reverse("pathways:person", args=[para.uuid])).status_code == 200
