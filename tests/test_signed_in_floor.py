"""The least a signed-in page costs (issue 17): the session, the user, and the principal —
the user's roles and staff record — in ONE query, shared by the view, the navigation and
the context processors of the request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.pages import SIGNED_IN_FLOOR
from pilot.access import principal
from pilot.models import RoleAssignment, User

from .factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["pc", "dc_own", "liaison", "teacher", "para"])
def test_signed_in_floor_is_three_queries(world, login, persona) -> None:
    client = login(world.users[persona])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(SIGNED_IN_FLOOR)
    assert response.status_code == 200
    tables = [
        next(t for t in ("django_session", "pilot_roleassignment", "pilot_user") if t in q["sql"])
        for q in ctx.captured_queries
    ]
    # Session, user, then one query joining the roles and the staff record to the user.
    assert tables == ["django_session", "pilot_user", "pilot_roleassignment"], ctx.captured_queries
    assert "pilot_staff" in ctx.captured_queries[2]["sql"]
    # The navigation was built from that principal: the Reports entry only for coordinators.
    labels = [entry["label"] for entry in response.context["nav_entries"]]
    assert ("Reports" in labels) == (persona in ("pc", "dc_own")), labels
    assert response.context["principal"] is principal(response.wsgi_request.user)


def test_principal_reads_every_role_and_the_staff_record_in_one_query(
    world, django_assert_num_queries
) -> None:
    user = UserFactory(email="many@example.test")
    for district in (world.district_a, world.district_b):
        RoleAssignmentFactory(
            user=user, role=RoleAssignment.Role.DISTRICT_COORDINATOR, district=district
        )
    RoleAssignmentFactory(
        user=user, role=RoleAssignment.Role.COLLEGE_LIAISON, college=world.college
    )
    world.teacher.user = user
    world.teacher.save()
    fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        p = principal(fresh)
        assert principal(fresh) is p  # cached on the user for the rest of the request
        assert p.district_ids == {world.district_a.pk, world.district_b.pk}
        assert p.college_ids == {world.college.pk}
        assert not p.is_program_coordinator
        assert p.staff == world.teacher and p.is_teacher
        assert p.staff.district.name and p.staff.school.name  # joined, no further query


def test_an_inactive_staff_record_is_not_the_principals(world) -> None:
    world.teacher.is_active = False
    world.teacher.save()
    p = principal(User.objects.get(pk=world.users["teacher"].pk))
    assert p.staff is None and not p.is_teacher
    pc = principal(User.objects.get(pk=world.users["pc"].pk))
    assert pc.is_program_coordinator and pc.staff is None and not pc.district_ids
