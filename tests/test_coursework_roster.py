"""The liaison's roster grade page, enrollment, modules and transfer credit verification."""

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from coursework.models import Enrollment, Module
from pilot.models import RoleAssignment
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    ParaFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    TeacherFactory,
    TransferCreditFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering(world):
    course = CourseFactory(college=world.college, code="EDU 120", credit_hours=Decimal("3"))
    return OfferingFactory(
        course=course,
        cohort=world.cohort,
        term="Fall 2026",
        starts_on=date(2026, 8, 24),
        ends_on=date(2026, 10, 16),
    )


def grades_url(offering):
    return reverse("coursework:offering-grades", args=[offering.uuid])


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name") and named["name"] != "csrfmiddlewaretoken":
            self.values[named["name"]] = named.get("value") or ""


def load_grades_page(client, offering) -> dict[str, str]:
    """What a browser would send back untouched: every input of the grades page."""
    response = client.get(grades_url(offering))
    assert response.status_code == 200
    inputs = _Inputs()
    inputs.feed(response.content.decode())
    return inputs.values


def save_grades(client, offering, page, grades, completed_on="2026-10-16"):
    """Type ``grades`` into a page loaded earlier and save it."""
    data = {**page, "completed_on": completed_on}
    data.update({f"grade-{e.uuid}": g for e, g in grades.items()})
    return client.post(grades_url(offering), data)


def post_grades(client, offering, grades, completed_on="2026-10-16"):
    return save_grades(client, offering, load_grades_page(client, offering), grades, completed_on)


def second_tab(user) -> Client:
    """Another browser, signed in as ``user``."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def snapshot(enrollments):
    return [
        Enrollment.objects.values_list("status", "grade", "completed_on").get(pk=e.pk)
        for e in enrollments
    ]


def test_one_bad_row_saves_nothing_and_marks_that_row(world, login, offering):
    enrollments = [EnrollmentFactory(offering=offering, para=ParaFactory()) for _ in range(3)]
    graded = EnrollmentFactory(offering=offering, para=ParaFactory(), grade="C")
    before = snapshot([*enrollments, graded])
    client = login(world.users["liaison"])

    response = post_grades(
        client,
        offering,
        {enrollments[0]: "A", enrollments[1]: "B+", enrollments[2]: "w", graded: "B"},
    )

    assert response.status_code == 200
    assert snapshot([*enrollments, graded]) == before  # nothing saved, not even good rows
    html = response.content.decode()
    assert "1 row needs a correction; no grade was saved." in html
    assert "“B+” is not on the scale" in html
    bad = f'id="id_grade-{enrollments[1].uuid}"'
    assert bad in html
    row = html[html.rfind("<tr", 0, html.index(bad)) : html.index(bad)]
    assert 'class="table-danger"' in row
    assert html.count('aria-invalid="true"') == 1
    # What the liaison typed stays in every row to be corrected, not lost.
    assert (
        f'name="grade-{enrollments[0].uuid}" id="id_grade-{enrollments[0].uuid}" value="A"' in html
    )


def test_valid_roster_saves_every_row_with_status_date_and_history(world, login, offering):
    a, w, i, cleared = (EnrollmentFactory(offering=offering, para=ParaFactory()) for _ in range(4))
    done_earlier = EnrollmentFactory(offering=offering, para=ParaFactory(), grade="B")
    client = login(world.users["liaison"])

    response = post_grades(
        client,
        offering,
        {a: "a", w: "W", i: "I", cleared: "", done_earlier: "A"},
        completed_on="2026-10-20",
    )

    assert response.status_code == 302
    assert snapshot([a, w, i, cleared, done_earlier]) == [
        ("completed", "A", date(2026, 10, 20)),
        ("withdrawn", "W", None),
        ("incomplete", "I", None),
        ("enrolled", "", None),
        ("completed", "A", offering.ends_on),  # a changed grade keeps its completion date
    ]
    latest = a.history.latest("history_date")
    assert latest.grade == "A"
    assert latest.history_user == world.users["liaison"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Grades saved for {offering}: 4 enrollments changed."]


def test_bad_completion_date_saves_nothing(world, login, offering):
    enrollment = EnrollmentFactory(offering=offering, para=ParaFactory())
    response = post_grades(login(world.users["liaison"]), offering, {enrollment: "A"}, "")
    assert response.status_code == 200
    assert snapshot([enrollment]) == [("enrolled", "", None)]


def test_roster_of_another_college_is_not_found(world, login):
    foreign = OfferingFactory(cohort=world.cohort)  # a course of another college
    response = login(world.users["liaison"]).get(grades_url(foreign))
    assert response.status_code == 404


def test_enroll_many_at_once_only_from_districts_in_the_cohort(world, login, offering):
    in_a = [ParaFactory(school=world.school_a) for _ in range(2)]
    outside = ParaFactory(school=SchoolFactory())  # a district not in the cohort
    teacher = TeacherFactory(school=world.school_a)
    client = login(world.users["liaison"])
    url = reverse("coursework:offering-enroll", args=[offering.uuid])

    page = client.get(url).content.decode()
    assert str(in_a[0].last_name) in page
    assert f'value="{outside.pk}"' not in page
    assert f'value="{teacher.pk}"' not in page

    response = client.post(url, {"paras": [p.pk for p in in_a] + [world.para.pk]})
    assert response.status_code == 302
    assert set(offering.enrollments.values_list("para_id", flat=True)) == {
        world.para.pk,
        *(p.pk for p in in_a),
    }
    assert Enrollment.history.filter(offering_id=offering.pk).count() == 3

    # Someone outside the cohort's districts cannot be slipped in.
    response = client.post(url, {"paras": [outside.pk]})
    assert response.status_code == 200
    assert not offering.enrollments.filter(para=outside).exists()


def test_enroll_narrowed_by_district(world, login, offering):
    client = login(world.users["liaison"])
    url = reverse("coursework:offering-enroll", args=[offering.uuid])
    page = client.get(url, {"district": world.district_b.pk}).content.decode()
    assert world.para_b.last_name in page
    assert f'value="{world.para.pk}"' not in page


def test_enroll_everyone_shown_enrolls_the_narrowed_list(world, login, offering):
    in_a = [ParaFactory(school=world.school_a) for _ in range(2)]
    client = login(world.users["liaison"])
    url = reverse("coursework:offering-enroll", args=[offering.uuid])
    narrowed = f"{url}?district={world.district_a.pk}"
    page = client.get(narrowed).content.decode()
    assert "Enroll all 3 shown" in page  # world.para and the two new ones, not district B's
    response = client.post(narrowed, {"everyone": "shown"})
    assert response.status_code == 302
    assert set(offering.enrollments.values_list("para_id", flat=True)) == {
        world.para.pk,
        *(p.pk for p in in_a),
    }


def test_module_must_fall_within_the_offering(world, login, offering):
    client = login(world.users["liaison"])
    url = reverse("coursework:module-create", args=[offering.uuid])
    response = client.post(
        url, {"title": "Late", "mode": "online", "order": 1, "due_on": "2027-01-05"}
    )
    assert response.status_code == 200
    assert "Choose a date within the offering" in response.content.decode()
    response = client.post(
        url, {"title": "Orientation", "mode": "in_person", "order": 1, "due_on": "2026-09-01"}
    )
    assert response.status_code == 302
    assert Module.objects.get(offering=offering).title == "Orientation"


def test_verifying_transfer_credit_makes_it_count(world, login):
    course = CourseFactory(college=world.college, code="PSY 111")
    transfer = TransferCreditFactory(para=world.para, college=world.college)
    para_client = login(world.users["para"])
    page = para_client.get(reverse("coursework:progress")).content.decode()
    assert "Awaiting verification" in page

    client = login(world.users["liaison"])
    response = client.post(
        reverse("coursework:transfer-verify", args=[transfer.uuid]),
        {f"{transfer.uuid}-equivalent_course": course.pk},
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.is_verified
    assert transfer.verified_by == world.users["liaison"]
    assert transfer.equivalent_course == course


def test_transfer_credit_of_another_college_cannot_be_verified(world, login):
    transfer = TransferCreditFactory(para=world.para)  # evaluated by another college
    response = login(world.users["liaison"]).post(
        reverse("coursework:transfer-verify", args=[transfer.uuid])
    )
    assert response.status_code == 404
    transfer.refresh_from_db()
    assert not transfer.is_verified


def test_enroll_asks_for_a_district_or_name_past_a_class_sized_list(
    world, login, offering, monkeypatch
):
    monkeypatch.setattr("coursework.views.offerings.ENROLL_LIST_LIMIT", 1)
    client = login(world.users["liaison"])
    url = reverse("coursework:offering-enroll", args=[offering.uuid])
    page = client.get(url).content.decode()
    assert "2 paraprofessionals could take this offering. Choose a district" in page
    assert f'value="{world.para.pk}"' not in page
    page = client.get(url, {"q": world.para.last_name}).content.decode()
    assert f'value="{world.para.pk}"' in page


def test_a_row_missing_from_the_post_is_left_as_it_was(world, login, offering):
    shown = EnrollmentFactory(offering=offering, para=ParaFactory())
    client = login(world.users["liaison"])
    page = load_grades_page(client, offering)
    added_later = EnrollmentFactory(offering=offering, para=ParaFactory(), grade="B")
    response = save_grades(client, offering, page, {shown: "A"})
    assert response.status_code == 302
    assert snapshot([shown, added_later]) == [
        ("completed", "A", date(2026, 10, 16)),
        ("completed", "B", offering.ends_on),
    ]


def test_emptying_a_grade_box_says_whose_grade_was_removed(world, login, offering):
    enrollment = EnrollmentFactory(offering=offering, para=world.para)
    client = login(world.users["liaison"])
    post_grades(client, offering, {enrollment: "B"})
    enrollment.refresh_from_db()
    assert enrollment.grade == "B"
    response = post_grades(client, offering, {enrollment: ""})
    page = client.get(response["Location"]).content.decode()
    assert f"Grades removed for {world.para.full_name}" in page
    enrollment.refresh_from_db()
    assert enrollment.grade == "" and enrollment.status == Enrollment.Status.ENROLLED


def colleague(world) -> Client:
    """A second liaison of the same college, in a browser of their own."""
    user = UserFactory(full_name="Dana Reyes")
    RoleAssignmentFactory(
        user=user, role=RoleAssignment.Role.COLLEGE_LIAISON, college=world.college
    )
    return second_tab(user)


def named_para(first: str, last: str):
    return ParaFactory(first_name=first, last_name=last)


def grade_cell(html: str, enrollment) -> str:
    """The final grade cell of an enrollment's row."""
    box = html.index(f'id="id_grade-{enrollment.uuid}"')
    return html[html.rfind("<td>", 0, box) : html.index("</td>", box)]


def test_the_stale_roster_page_refuses_the_save_and_names_whose_rows_changed(
    world, login, offering
):
    ana = EnrollmentFactory(offering=offering, para=named_para("Ana", "Alvarez"))
    ben = EnrollmentFactory(offering=offering, para=named_para("Ben", "Brooks"), grade="B")
    cal = EnrollmentFactory(offering=offering, para=named_para("Cal", "Chen"))
    other, stale = colleague(world), login(world.users["liaison"])
    other_page = load_grades_page(other, offering)
    stale_page = load_grades_page(stale, offering)
    assert save_grades(other, offering, other_page, {ana: "A", ben: "C"}).status_code == 302
    before = snapshot([ana, ben, cal])
    history_before = Enrollment.history.filter(offering_id=offering.pk).count()

    # The page loaded before that save would put back "" for Ana and B for Ben.
    response = save_grades(stale, offering, stale_page, {ana: "F", ben: "D", cal: "P"})

    assert response.status_code == 409
    assert snapshot([ana, ben, cal]) == before  # nothing written, not even Cal's row
    assert Enrollment.history.filter(offering_id=offering.pk).count() == history_before
    html = response.content.decode()
    assert (
        "Nothing was saved: the grades of Ana Alvarez and Ben Brooks were saved elsewhere "
        "after you loaded this page." in html
    )
    for row, saved, typed in ((ana, "A", "F"), (ben, "C", "D")):
        cell = grade_cell(html, row)
        assert "Saved elsewhere by Dana Reyes at " in cell
        assert f"with “{saved}”; your change to “{typed}” was not saved." in cell
        assert f'value="{saved}"' in cell  # the box shows what is saved now
        assert 'aria-invalid="true"' in cell
    assert "Saved elsewhere" not in grade_cell(html, cal)
    assert 'value="P"' in grade_cell(html, cal)  # what the liaison typed there is kept

    # Saving the page as it came back writes Cal's grade and keeps the other save.
    inputs = _Inputs()
    inputs.feed(html)
    assert save_grades(stale, offering, inputs.values, {}).status_code == 302
    assert [grade for _, grade, _ in snapshot([ana, ben, cal])] == ["A", "C", "P"]


def test_a_save_writes_only_the_rows_the_page_changed(world, login, offering):
    a = EnrollmentFactory(offering=offering, para=named_para("Ana", "Alvarez"))
    b = EnrollmentFactory(offering=offering, para=named_para("Ben", "Brooks"))
    other, liaison = colleague(world), login(world.users["liaison"])
    other_page = load_grades_page(other, offering)
    page = load_grades_page(liaison, offering)
    assert save_grades(other, offering, other_page, {b: "A"}).status_code == 302
    b_history = b.history.count()
    b_stamp = Enrollment.objects.get(pk=b.pk).updated_at

    # B's box still holds the "" it was loaded with: not a change, so not written.
    response = save_grades(liaison, offering, page, {a: "C"})

    assert response.status_code == 302
    assert snapshot([a, b]) == [
        ("completed", "C", date(2026, 10, 16)),
        ("completed", "A", date(2026, 10, 16)),
    ]
    assert b.history.count() == b_history
    assert Enrollment.objects.get(pk=b.pk).updated_at == b_stamp
    assert a.history.latest("history_date").history_user == world.users["liaison"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Grades saved for {offering}: 1 enrollment changed."]


def test_a_grade_posted_without_how_its_row_was_loaded_is_refused(world, login, offering):
    """An old copy of the page, or a hand-made post, cannot say whether the row changed
    since: it is refused rather than allowed to overwrite."""
    enrollment = EnrollmentFactory(offering=offering, para=ParaFactory(), grade="B")
    client = login(world.users["liaison"])
    response = client.post(
        grades_url(offering), {"completed_on": "2026-10-16", f"grade-{enrollment.uuid}": "F"}
    )
    assert response.status_code == 200
    assert "This row was not on the page you loaded: reload the page" in response.content.decode()
    assert snapshot([enrollment]) == [("completed", "B", offering.ends_on)]


def test_offering_page_lists_who_is_enrolled_and_the_liaison_drops_one(world, login, offering):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pilot.models import Staff

    Staff.objects.filter(pk=world.para.pk).update(first_name="Ana", last_name="Lee")
    open_one = EnrollmentFactory(para=world.para, offering=offering)
    graded = EnrollmentFactory(
        para=ParaFactory(school=world.school_a), offering=offering, grade="B"
    )
    client = login(world.users["liaison"])
    detail = reverse("coursework:offering-detail", args=[offering.uuid])
    with CaptureQueriesContext(connection) as few:
        page = client.get(detail).content.decode()
    drop = reverse("coursework:enrollment-drop", args=[open_one.uuid])
    # The name links to the person's path (the core's {% person %} tag).
    named = r'<th scope="row" class="fw-normal"><a href="/people/[0-9a-f-]+/">Ana Lee</a></th>'
    assert re.search(named, page)
    assert "<td>Enrolled</td><td>—</td>" in page and "<td>Completed</td><td>B</td>" in page
    assert f'href="{drop}"' in page  # only the ungraded one can be dropped
    assert reverse("coursework:enrollment-drop", args=[graded.uuid]) not in page
    for _ in range(5):  # the list keeps its number of queries as it grows
        EnrollmentFactory(para=ParaFactory(school=world.school_a), offering=offering)
    with CaptureQueriesContext(connection) as more:
        client.get(detail)
    assert len(more) == len(few)

    asked = client.get(drop)
    assert "Drop Ana Lee from EDU 120" in asked.content.decode()
    assert Enrollment.objects.filter(pk=open_one.pk).exists()  # asking changes nothing
    response = client.post(drop)
    assert response.status_code == 302 and response["Location"] == detail
    assert not Enrollment.objects.filter(pk=open_one.pk).exists()
    record = Enrollment.history.filter(id=open_one.pk).latest("history_date")
    assert record.history_type == "-"
    assert record.history_user == world.users["liaison"]
    assert record.history_change_reason == "dropped"

    refused = client.post(reverse("coursework:enrollment-drop", args=[graded.uuid]))
    assert refused.status_code == 400
    assert "record W (withdrawn) instead" in refused.content.decode()
    assert Enrollment.objects.filter(pk=graded.pk).exists()
