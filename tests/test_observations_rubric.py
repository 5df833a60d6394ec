"""Publishing a rubric version: a copy of the current one with the wording changed;
observations keep their version."""

import pytest
from django.urls import reverse
from django.utils import timezone

from observations.models import Observation, Rubric

from .factories import ObservationFactory, PairingFactory, current_rubric

pytestmark = pytest.mark.django_db


def test_program_coordinator_publishes_a_new_version(world, client):
    old = ObservationFactory(
        pairing=PairingFactory(
            cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
        )
    )
    v1 = current_rubric()
    target = v1.indicators.get(key="clear-learning-targets")
    client.force_login(world.users["pc"])
    form = client.get(reverse("observations:rubric-publish")).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data.update(
        {
            "title": "Paraprofessional Observation Rubric",
            "notes": "Clearer wording for learning targets.",
            f"statement_{target.pk}": "States and revisits clear learning targets",
            f"descriptor_{target.pk}_4": "Students restate the target unprompted.",
        }
    )
    response = client.post(reverse("observations:rubric-publish"), data)
    v2 = Rubric.objects.current()
    assert response.status_code == 302 and v2.version == 2 and v2.published_by == world.users["pc"]
    assert v2.indicators.count() == v1.indicators.count() == 9
    assert list(v2.domains.values_list("question", flat=True)) == list(
        v1.domains.values_list("question", flat=True)
    )
    changed = v2.indicators.get(key="clear-learning-targets")
    assert changed.statement == "States and revisits clear learning targets"
    assert changed.descriptors.get(level=4).text == "Students restate the target unprompted."
    assert changed.descriptors.get(level=1).text == target.descriptors.get(level=1).text
    # Version 1 is unchanged and the existing observation keeps it.
    target.refresh_from_db()
    assert target.statement == "States clear learning targets"
    assert Observation.objects.get(pk=old.pk).rubric == v1
    # A new observation is written on version 2.
    client.force_login(world.users["teacher"])
    client.post(
        reverse("observations:create", args=[old.pairing.uuid]),
        {"kind": "end", "observed_on": min(timezone.localdate(), old.pairing.ends_on).isoformat()},
    )
    assert Observation.objects.get(pairing=old.pairing, kind="end").rubric == v2


def test_missing_descriptor_is_refused(world, client):
    client.force_login(world.users["pc"])
    indicator = current_rubric().indicators.first()
    form = client.get(reverse("observations:rubric-publish")).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data.update({"notes": "x", f"descriptor_{indicator.pk}_2": ""})
    response = client.post(reverse("observations:rubric-publish"), data)
    assert response.status_code == 200 and Rubric.objects.count() == 1


def test_rubric_pages_show_descriptors(world, client):
    client.force_login(world.users["para"])
    html = client.get(reverse("observations:rubric-detail", args=[current_rubric().uuid]))
    assert (
        "Students set goals, choose strategies and track their own progress."
        in html.content.decode()
    )
    assert b"Publish a new version" not in client.get(reverse("observations:rubric-list")).content
