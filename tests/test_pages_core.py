"""What each role sees on the foundation's pages."""

import pytest
from django.urls import reverse

from pilot.models import User

from .factories import PASSWORD, ParaFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_any_case(world, client) -> None:
    response = client.post(
        reverse("login"), {"username": "PC@Example.test", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"].email == "pc@example.test"


def test_sign_in_error_does_not_call_the_email_case_sensitive(world, client) -> None:
    response = client.post(reverse("login"), {"username": "PC@Example.test", "password": "no"})
    assert response.status_code == 200
    [message] = response.context["form"].non_field_errors()
    assert message.startswith("That email address and password do not match an account.")
    assert "fields may be case-sensitive" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("pc", "Program coordinator dashboard"),
        ("dc_own", "District coordinator dashboard"),
        ("liaison", "College liaison dashboard"),
        ("teacher", "Welcome,"),
        ("para", "Welcome,"),
    ],
)
def test_each_role_lands_on_its_dashboard(world, login, persona, heading) -> None:
    html = login(world.users[persona]).get("/").content.decode()
    assert heading in html


def test_navigation_shows_only_what_the_role_may_reach(world, login) -> None:
    html = login(world.users["dc_own"]).get("/").content.decode()
    assert 'href="/staff/"' in html and 'href="/roles/"' not in html
    html = login(world.users["para"]).get("/").content.decode()
    assert 'href="/staff/"' not in html


def test_district_coordinator_counts_only_their_district(world, login) -> None:
    TeacherFactory.create_batch(3, school=world.school_b)
    response = login(world.users["dc_own"]).get("/")
    assert response.context["staff_counts"] == {"teachers": 1, "paraprofessionals": 1}


def test_staff_list_filters_search_and_paginates(world, login) -> None:
    ParaFactory.create_batch(60, school=world.school_a, last_name="Zimmer")
    TeacherFactory(school=world.school_a, first_name="Quincy", last_name="Adams")
    client = login(world.users["pc"])
    page = client.get(reverse("pilot:staff-list"), {"q": "quincy"}).context["page"]
    assert [s.last_name for s in page] == ["Adams"]
    page = client.get(reverse("pilot:staff-list"), {"role": "paraprofessional"}).context["page"]
    assert page.paginator.count == 62 and len(page) == 50
    page2 = client.get(reverse("pilot:staff-list"), {"role": "paraprofessional", "page": 2})
    assert len(page2.context["page"]) == 12
    html = page2.content.decode()
    assert "role=paraprofessional&amp;page=1" in html
    inactive = client.get(reverse("pilot:staff-list"), {"is_active": "false"}).context["page"]
    assert inactive.paginator.count == 0


def test_district_coordinator_staff_list_is_scoped(world, login) -> None:
    page = login(world.users["dc_own"]).get(reverse("pilot:staff-list")).context["page"]
    assert {s.district_id for s in page} == {world.district_a.id}


def test_deactivating_staff_blocks_their_sign_in(world, login, client) -> None:
    coordinator = login(world.users["pc"])
    coordinator.post(reverse("pilot:staff-set-active", args=[world.para.uuid]), {"active": "false"})
    user = User.objects.get(email="para@example.test")
    assert not user.is_active
    client.logout()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200 and not response.context["user"].is_authenticated


def test_admin_is_for_superusers_only(world, login, client) -> None:
    pc = world.users["pc"]
    pc.is_staff = True
    pc.save()
    assert login(pc).get("/admin/").status_code == 302
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert login(superuser).get("/admin/").status_code == 200


def test_grant_role_creates_account_and_logs_it(world, login) -> None:
    from pilot.models import AuditEntry, RoleAssignment

    client = login(world.users["pc"])
    response = client.post(
        reverse("pilot:role-create"),
        {
            "email": "new.dc@example.test",
            "role": "district_coordinator",
            "district": world.district_b.pk,
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user__email="new.dc@example.test")
    assert assignment.district == world.district_b
    assert AuditEntry.objects.filter(action="role_change", subject__contains="new.dc").exists()
    response = client.post(
        reverse("pilot:role-create"), {"email": "x@example.test", "role": "college_liaison"}
    )
    assert response.context["form"].errors["college"] == [
        "Choose the college this liaison works for."
    ]
