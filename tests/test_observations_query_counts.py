"""/observations/ and the district tracker make the same number of queries at 5 and at
200 observations."""

import pytest
from django.urls import reverse

from .factories import ObservationFactory, PairingFactory, ParaFactory, SchoolFactory

pytestmark = pytest.mark.django_db

BUDGET = 10
KINDS = ("baseline", "mid", "end")


def add_observations(world, count: int) -> None:
    """``count`` observations of pairings mentored by the world's teacher, over several
    schools, plus the world's pair with three, some acknowledged and quoted."""
    from observations.models import Acknowledgement, Quote

    own = PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    for kind in KINDS:
        o = ObservationFactory(pairing=own, kind=kind, scores=3, submitted=True)
        Acknowledgement.objects.create(observation=o, acknowledged_by=world.users["para"])
        Quote.objects.create(observation=o, comment="strengths", text=o.strengths)
    schools = [world.school_a, SchoolFactory(district=world.district_a)]
    made, n = 3, 0
    while made < count:
        pairing = PairingFactory(
            cohort=world.cohort,
            teacher=world.teacher,
            paraprofessional=ParaFactory(school=schools[n % 2]),
        )
        for kind in KINDS[: min(3, count - made)]:
            ObservationFactory(pairing=pairing, kind=kind, submitted=(n % 2 == 0), scores=2)
            made += 1
        n += 1


@pytest.mark.parametrize("count", [5, 200])
@pytest.mark.parametrize("persona", ["pc", "dc_own", "teacher", "para"])
def test_index(world, login, django_assert_max_num_queries, count, persona):
    add_observations(world, count)
    client = login(world.users[persona])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("observations:index"))
    assert response.status_code == 200
    if persona == "teacher":
        assert len(response.context["teacher_observations"]) == count


@pytest.mark.parametrize("count", [5, 200])
def test_tracker(world, login, django_assert_max_num_queries, count):
    add_observations(world, count)
    client = login(world.users["dc_own"])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("observations:tracker-district", args=["alpha"]))
    assert response.status_code == 200
    assert response.context["totals"]["pairings"] == len(response.context["pairings"])
