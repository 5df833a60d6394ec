"""The pathways demo data: three pilot years (two closed, the current one running to June
2027), idempotent, with every kind of movement the pipeline shows."""

import re

import pytest
from django.urls import reverse

from demo import coursework, mentoring, observations
from demo import pathways as demo
from demo.core import seed_core
from mentoring.models import Pairing
from pathways.models import (
    Assessment,
    CohortStatus,
    Credential,
    DistrictRule,
    EmploymentEvent,
    TeacherRecord,
)
from pilot.models import Cohort, Staff

pytestmark = pytest.mark.django_db

MODELS = [CohortStatus, Credential, Assessment, EmploymentEvent, TeacherRecord, DistrictRule]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def _funnel(page: str) -> dict[str, str]:
    """The funnel table's rows as the page shows them: step -> figure."""
    table = page[page.index("<caption>The pipeline, every starting cohort</caption>") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>\s*<td[^>]*>([^<]+)</td>', table)
    return {step.strip(): figure.strip() for step, figure in rows}


def test_demo_milestones_are_idempotent_and_cover_the_pipeline(client) -> None:
    world = seed_core()
    for app in (mentoring, coursework, observations, demo):
        app.seed(world)
    first = counts()
    again = seed_core()
    mentoring.seed(again)
    demo.seed(again)
    assert counts() == first

    # Three years: two closed, the current one running to June 2027 with no status yet.
    cohorts = list(Cohort.objects.order_by("starts_on").values_list("name", "status"))
    assert cohorts == [
        ("2024–2025 Pilot", "closed"),
        ("2025–2026 Pilot", "closed"),
        ("2026–2027 Pilot", "active"),
    ]
    for cohort in (world.first_cohort, world.past_cohort):
        by_status = set(CohortStatus.objects.filter(cohort=cohort).values_list("status", flat=True))
        assert by_status == {"continuing", "completed", "withdrew"}
    assert not CohortStatus.objects.filter(cohort=world.cohort).exists()
    assert not CohortStatus.objects.filter(status="withdrew", reason="").exists()
    # Some continued across all three years.
    all_three = Staff.objects.filter(pairings_as_paraprofessional__cohort=world.first_cohort)
    all_three = all_three.filter(pairings_as_paraprofessional__cohort=world.cohort).distinct()
    assert all_three.count() == 7
    assert Credential.objects.exists()
    passed = set(Assessment.objects.values_list("kind", "passed"))
    assert passed == {(k, p) for k in ("licensure", "paraprofessional") for p in (True, False)}
    assert EmploymentEvent.objects.filter(kind="teacher_of_record").count() == 13
    assert EmploymentEvent.objects.filter(kind="left_district").count() == 1
    # Those hired from the first year are teachers now (their record's role changed), and
    # one teaches in another district under a record linked to theirs.
    became = Staff.objects.filter(role="teacher", pairings_as_paraprofessional__isnull=False)
    assert became.distinct().count() == 7
    link = TeacherRecord.objects.select_related("para", "teacher").get()
    assert link.teacher.district == world.districts[1] != link.para.district
    assert Pairing.objects.filter(paraprofessional_role="teacher").count() == 7
    assert list(DistrictRule.objects.values_list("district", "credential_before_teaching")) == [
        (world.districts[0].pk, True)
    ]

    client.force_login(world.users["coordinator@demo.test"])
    page = client.get(reverse("pathways:pipeline")).content.decode()
    for name, _ in cohorts:
        assert name in page
    assert _funnel(page) == {
        "Started": "79",
        "Second year or completed": "53",
        "Earned a credential": "9",
        "Passed a licensure assessment": "16",
        "Became a teacher of record": "13",
        "Still teaching 1 year later": "7",
        "Still teaching 3 years later": "0",
    }
    para = world.staff["para@demo.test"]
    assert client.get(reverse("pathways:person", args=[para.uuid])).status_code == 200
    person = client.get(reverse("pathways:person", args=[link.para.uuid])).content.decode()
    assert "Teaching as" in person and link.teacher.district.name in person
