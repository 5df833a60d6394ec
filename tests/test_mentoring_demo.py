"""The demo holds pairings in every state, idempotently, and each sign-in sees its part."""

import pytest
from django.db.models import Count

from demo import mentoring as demo
from demo.core import seed_core
from mentoring.access import visible_pairings
from mentoring.models import Goal, MentoringSession, Pairing, SupportRole

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Pairing, MentoringSession, Goal, SupportRole))


def test_demo_pairings(db) -> None:
    world = seed_core()
    demo.seed(world)
    first = counts()
    demo.seed(seed_core())
    assert counts() == first  # idempotent

    by_status = dict(
        Pairing.objects.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert set(by_status) == {"active", "completed", "ended_early"}
    for status in by_status:
        assert MentoringSession.objects.filter(pairing__status=status).exists()
        assert Goal.objects.filter(pairing__status=status).exists()

    users = world.users
    teacher, para = world.staff["teacher@demo.test"], world.staff["para@demo.test"]
    active = Pairing.objects.filter(status="active")
    mentees = active.filter(teacher=teacher, cohort=world.cohort)
    assert mentees.count() == 2 and mentees.filter(paraprofessional=para).exists()
    assert {p.district for p in mentees} == {world.districts[0]}
    assert active.filter(
        teacher=world.staff["teacher2@demo.test"],
        paraprofessional=world.staff["para2@demo.test"],
    ).exists()

    # Each sign-in sees exactly its part.
    assert set(visible_pairings(users["teacher@demo.test"])) == set(
        Pairing.objects.filter(teacher=teacher)
    )
    assert set(visible_pairings(users["para@demo.test"])) == set(
        Pairing.objects.filter(paraprofessional=para)
    )
    assert set(visible_pairings(users["district@demo.test"])) == set(
        Pairing.objects.filter(district=world.districts[0])
    )
    assert visible_pairings(users["coordinator@demo.test"]).count() == Pairing.objects.count()
    assert not visible_pairings(users["college@demo.test"]).exists()
