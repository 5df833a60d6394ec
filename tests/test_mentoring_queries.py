"""Pairing pages make the same number of queries with 5 rows as with 200."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from mentoring.models import Goal, MentoringSession, Pairing, SupportRole
from tests.factories import PairingFactory, ParaFactory

pytestmark = pytest.mark.django_db

# Measured: list 8 (6 for a member), unpaired 9, detail 10 (8 for a coordinator).
LIST_BUDGET = 9
DETAIL_BUDGET = 12  # 10, and 2 for the observations section (its list and growth)
# Pages other apps also add to: measured 10 and 5, with room for their sections.
DISTRICT_BUDGET = 12
# The teacher's dashboard: 8, and 2 for the mentees' credits earned (coursework's panel).
DASHBOARD_BUDGET = 10


def make_pairings(w, n: int) -> list[Pairing]:
    pairings = []
    for _ in range(n):
        pairing = PairingFactory(
            cohort=w.cohort,
            teacher=w.teacher,
            paraprofessional=ParaFactory(school=w.school_a),
            starts_on=date(2026, 8, 3),
        )
        pairings.append(pairing)
    sessions = [
        MentoringSession(
            pairing=p,
            held_on=date(2026, 9, 1),
            minutes=30,
            focus_areas=["engagement"],
            notes="n",
            logged_by=w.teacher,
        )
        for p in pairings
    ]
    MentoringSession.objects.bulk_create(sessions)
    SupportRole.objects.bulk_create(
        [SupportRole(pairing=p, role="small_group", tier=1 + i % 3) for i, p in enumerate(pairings)]
    )
    return pairings


def fill_pairing(w, n: int) -> Pairing:
    pairing = PairingFactory(
        cohort=w.cohort, teacher=w.teacher, paraprofessional=w.para, starts_on=date(2026, 8, 3)
    )
    MentoringSession.objects.bulk_create(
        MentoringSession(
            pairing=pairing,
            held_on=date(2026, 8, 3) + timedelta(days=i % 100),
            minutes=10 + i % 50,
            focus_areas=["engagement", "classroom_support"],
            notes=f"note {i}",
            logged_by=w.teacher if i % 2 else w.para,
        )
        for i in range(n)
    )
    Goal.objects.bulk_create(
        Goal(
            pairing=pairing,
            focus_area="engagement",
            text=f"goal {i}",
            target_on=date(2027, 1, 1),
            status=["open", "met", "dropped"][i % 3],
            set_by=w.teacher,
        )
        for i in range(n)
    )
    SupportRole.objects.create(pairing=pairing, role="monitoring", tier=1)
    return pairing


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize("persona", ["pc", "dc_own", "teacher"])
def test_pairing_list(world, client, django_assert_max_num_queries, rows, persona) -> None:
    make_pairings(world, rows)
    client.force_login(world.users[persona])
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(reverse("mentoring:pairing-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize("persona", ["pc", "teacher"])
def test_pairing_detail(world, client, django_assert_max_num_queries, rows, persona) -> None:
    pairing = fill_pairing(world, rows)
    client.force_login(world.users[persona])
    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = client.get(reverse("mentoring:pairing-detail", args=[pairing.uuid]))
    assert response.status_code == 200
    assert response.context["numbers"].session_count == rows
    if persona == "teacher":
        assert f"note {rows - 1}".encode() in response.content


@pytest.mark.parametrize("rows", [5, 200])
def test_district_detail_with_support_roles(
    world, client, django_assert_max_num_queries, rows
) -> None:
    make_pairings(world, rows)
    client.force_login(world.users["dc_own"])
    with django_assert_max_num_queries(DISTRICT_BUDGET):
        response = client.get(reverse("pilot:district-detail", args=["alpha"]))
    (section,) = (
        s["data"]
        for s in response.context["extra_sections"]
        if s["template"] == "mentoring/district_support_roles.html"
    )
    assert sum(r["total"] for r in section[0]["roles"]) == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_dashboard_panel(world, client, django_assert_max_num_queries, rows) -> None:
    make_pairings(world, rows)
    client.force_login(world.users["teacher"])
    with django_assert_max_num_queries(DASHBOARD_BUDGET):
        response = client.get("/")
    assert len(response.context["mentoring_panel"]["pairings"]) == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_unpaired(world, client, django_assert_max_num_queries, rows) -> None:
    for _ in range(rows):
        ParaFactory(school=world.school_a)
    client.force_login(world.users["pc"])
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(reverse("mentoring:unpaired"))
    assert response.context["page"].paginator.count == rows + 2  # and the world's two paras
