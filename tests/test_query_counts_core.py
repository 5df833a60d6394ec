"""/staff/ and /districts/<slug>/ keep the same number of queries at 5 and 200 staff."""

import pytest
from django.urls import reverse

from .factories import ParaFactory, SchoolFactory, TeacherFactory

pytestmark = pytest.mark.django_db

BUDGET = 12


def add_staff(world, count: int) -> None:
    schools = [world.school_a] + [SchoolFactory(district=world.district_a) for _ in range(3)]
    for n in range(count):
        factory = TeacherFactory if n % 2 else ParaFactory
        factory(school=schools[n % len(schools)])


@pytest.mark.parametrize("count", [5, 200])
@pytest.mark.parametrize("persona", ["pc", "dc_own"])
def test_staff_list(world, login, django_assert_max_num_queries, count, persona) -> None:
    add_staff(world, count)
    client = login(world.users[persona])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("pilot:staff-list"), {"role": "paraprofessional"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 200])
def test_district_detail(world, login, django_assert_max_num_queries, count) -> None:
    add_staff(world, count)
    client = login(world.users["pc"])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("pilot:district-detail", args=["alpha"]))
    assert response.status_code == 200
    assert (
        response.context["totals"]["teachers"] + response.context["totals"]["paraprofessionals"]
        == count + 2
    )


@pytest.mark.parametrize("count", [5, 200])
def test_district_list(world, login, django_assert_max_num_queries, count) -> None:
    add_staff(world, count)
    client = login(world.users["pc"])
    with django_assert_max_num_queries(BUDGET):
        assert client.get(reverse("pilot:district-list")).status_code == 200
