"""Course enrollments and final grades by roster import (the college liaison's kind): each
bad row named, the grade setting the status through coursework's services, re-import
unchanged, other colleges' offerings out of reach, and the roster exports that import back
unchanged."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coursework import services
from coursework.models import Enrollment
from pilot.imports.kinds import get_kind
from pilot.models import AuditEntry

from .factories import (
    CollegeFactory,
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    ParaFactory,
)
from .test_imports import csv_upload, outcomes, upload

pytestmark = pytest.mark.django_db

HEADER = (
    "course code,term,section,cohort,district,paraprofessional,paraprofessional name,"
    "grade,completed date"
)


def line(code, term, district, para, grade="", completed="", section="", cohort="") -> str:
    return ",".join([code, term, section, cohort, district, para, "", grade, completed])


def errors_of(run) -> dict[int, list[list[str]]]:
    return {n: r["errors"] for n, r in outcomes(run).items() if r["type"] == "error"}


@pytest.fixture
def offering(world):
    course = CourseFactory(college=world.college, code="EDU 110", title="Foundations")
    return OfferingFactory(
        course=course,
        cohort=world.cohort,
        term="Fall 2026",
        starts_on=date(2026, 8, 24),
        ends_on=date(2026, 11, 20),
    )


def test_template_and_kind_are_the_liaisons(world, login):
    client = login(world.users["liaison"])
    response = client.get(reverse("imports:template", args=["enrollments", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER.split(",")
    assert dict(zip(rows[0], rows[1], strict=True))["grade"] == "B"
    kind = get_kind("enrollments")
    assert kind.allows(world.users["liaison"])
    # coordinators neither import nor export grades
    for persona in ("pc", "dc_own"):
        assert not kind.allows(world.users[persona])
        client = login(world.users[persona])
        url = reverse("imports:template", args=["enrollments", "csv"])
        assert client.get(url).status_code == 403


def test_each_bad_row_says_what_is_wrong_and_nothing_is_written(world, login, offering):
    other_college = CollegeFactory(name="Other CC", slug="other-cc")
    foreign = OfferingFactory(
        course=CourseFactory(college=other_college, code="BIO 101"),
        cohort=world.cohort,
        term="Fall 2026",
    )
    EnrollmentFactory(offering=foreign, para=world.para_b)
    amy = ParaFactory(school=world.school_a, first_name="Amy", last_name="Fox", employee_id="A1")
    teacher = world.teacher
    before = Enrollment.objects.count()
    client = login(world.users["liaison"])
    run = upload(
        client,
        "enrollments",
        csv_upload(
            [
                HEADER,
                # 2: a good row, by employee id
                line("EDU 110", "Fall 2026", "alpha", "A1", "B", "2026-11-20"),
                # 3: a grade not on the scale
                line("EDU 110", "Fall 2026", "alpha", world.para.email, "E"),
                # 4: no such offering (term), 5: no such course at this college
                line("EDU 110", "Spring 2027", "alpha", world.para.email),
                line("BIO 101", "Fall 2026", "beta", world.para_b.email, "A"),
                # 6: a teacher is not a paraprofessional
                line("edu 110", "fall 2026", "alpha", teacher.email),
                # 7: nobody with that email; 8: unknown district
                line("EDU 110", "Fall 2026", "alpha", "ghost@alpha.test"),
                line("EDU 110", "Fall 2026", "gamma", world.para.email),
                # 9: the same paraprofessional and offering as row 2
                line("EDU 110", "Fall 2026", "alpha", amy.email, "A"),
                # 10: a completed date with a W
                line("EDU 110", "Fall 2026", "beta", world.para_b.email, "W", "2026-11-01"),
            ],
            name="grades.csv",
        ),
    )
    assert outcomes(run)[2]["type"] == "new"
    assert errors_of(run) == {
        3: [
            [
                "grade",
                "“E” is not on the grade scale: use A, B, C, D, F, P, W or I, or leave it empty.",
            ]
        ],
        4: [
            [
                "course code",
                "Unknown offering: EDU 110 has no offering in Spring 2027 at Test Community "
                "College.",
            ]
        ],
        5: [["course code", "No course “BIO 101” with offerings at Test Community College."]],
        6: [
            [
                "paraprofessional",
                f"{teacher.full_name} is a teacher, not a paraprofessional: only "
                "paraprofessionals enroll in courses.",
            ]
        ],
        7: [
            [
                "paraprofessional",
                "Unknown person: nobody in Alpha District has the email or employee id "
                "“ghost@alpha.test”.",
            ]
        ],
        8: [
            [
                "paraprofessional",
                "Unknown district “gamma”: give its name as on the Districts page, or its code.",
            ]
        ],
        9: [
            [
                "paraprofessional",
                "Duplicate row: the same paraprofessional in this offering as row 2.",
            ]
        ],
        10: [
            [
                "completed date",
                "Only a final grade (A, B, C, D, F or P) has a completed date: leave it empty "
                "for W, I or no grade yet.",
            ]
        ],
    }
    client.post(reverse("imports:confirm", args=[run.uuid]))
    assert Enrollment.objects.count() == before
    assert Enrollment.objects.get(offering=foreign).grade == ""


def test_grades_set_the_status_and_reimport_is_unchanged(world, login, offering):
    open_one = EnrollmentFactory(offering=offering, para=world.para)
    graded = EnrollmentFactory(offering=offering, para=world.para_b, grade="C")
    newcomer = ParaFactory(school=world.school_a, employee_id="N7")
    lines = [
        HEADER,
        line("EDU 110", "Fall 2026", "alpha", world.para.email.upper(), "a", "2026-11-18"),
        # blank completed date: a grade already final keeps its date
        line("EDU 110", "Fall 2026", "beta", world.para_b.email, "B"),
        line("EDU 110", "Fall 2026", "alpha", "N7", "W", section="01"),
    ]
    client = login(world.users["liaison"])
    run = upload(client, "enrollments", csv_upload(lines, name="fall-grades.csv"))
    rows = outcomes(run)
    assert [rows[n]["type"] for n in (2, 3, 4)] == ["update", "update", "new"]
    assert rows[2]["changes"] == [["grade", "", "A"], ["completed date", "", "2026-11-18"]]
    assert rows[3]["changes"] == [["grade", "C", "B"]]
    assert not Enrollment.objects.filter(para=newcomer).exists()

    response = client.post(reverse("imports:confirm", args=[run.uuid]), follow=True)
    assert "Imported fall-grades.csv: 1 new, 2 updated, 0 unchanged." in response.content.decode()
    open_one.refresh_from_db()
    assert (open_one.grade, open_one.status, open_one.completed_on) == (
        "A",
        Enrollment.Status.COMPLETED,
        date(2026, 11, 18),
    )
    graded.refresh_from_db()
    assert (graded.grade, graded.completed_on) == ("B", offering.ends_on)
    withdrawn = Enrollment.objects.get(para=newcomer)
    assert (withdrawn.status, withdrawn.completed_on) == (Enrollment.Status.WITHDRAWN, None)
    record = open_one.history.first()
    assert record.history_user == world.users["liaison"]
    assert record.history_change_reason == "Imported from fall-grades.csv"

    again = upload(client, "enrollments", csv_upload(lines, name="fall-grades.csv"))
    assert [r["type"] for r in again.outcomes] == ["unchanged"] * 3


def test_a_final_grade_without_a_date_takes_the_offerings_end(world, login, offering):
    client = login(world.users["liaison"])
    run = upload(
        client,
        "enrollments",
        csv_upload([HEADER, line("EDU 110", "Fall 2026", "alpha", world.para.email, "P")]),
    )
    client.post(reverse("imports:confirm", args=[run.uuid]))
    enrollment = Enrollment.objects.get(para=world.para)
    assert (enrollment.status, enrollment.completed_on) == ("completed", offering.ends_on)


def test_the_services_completed_date_rules_reach_the_rows_column(world, login, offering):
    EnrollmentFactory(
        offering=offering, para=world.para_b, grade="B", completed_on=date(2026, 8, 1)
    )
    client = login(world.users["liaison"])
    run = upload(
        client,
        "enrollments",
        csv_upload(
            [
                HEADER,
                # 2: before the offering started; 3: the date already recorded is kept
                line("EDU 110", "Fall 2026", "alpha", world.para.email, "B", "2026-08-01"),
                line("EDU 110", "Fall 2026", "beta", world.para_b.email, "A", "2026-08-01"),
            ]
        ),
    )
    said = services.grade_problems(
        grade="B", completed_on=date(2026, 8, 1), recorded_on=None, offering=offering
    )
    assert said == {"completed_on": "Aug 1, 2026 is before the offering started (Aug 24, 2026)."}
    assert errors_of(run) == {2: [["completed date", said["completed_on"]]]}


def test_sections_and_cohorts_tell_offerings_of_one_term_apart(world, login, offering):
    OfferingFactory(course=offering.course, cohort=world.cohort, term="Fall 2026", section="02")
    client = login(world.users["liaison"])
    run = upload(
        client,
        "enrollments",
        csv_upload(
            [
                HEADER,
                line("EDU 110", "Fall 2026", "alpha", world.para.email),
                # a spreadsheet turned section 02 into the number 2
                line("EDU 110", "Fall 2026", "beta", world.para_b.email, section="2"),
                line("EDU 110", "Fall 2026", "beta", world.para_b.email, section="03"),
            ]
        ),
    )
    cohort = world.cohort.name
    assert errors_of(run) == {
        2: [
            [
                "course code",
                f"EDU 110 has several offerings in Fall 2026 (section 01, {cohort}; section 02, "
                f"{cohort}): give the section and cohort.",
            ]
        ],
        4: [
            [
                "course code",
                "Unknown offering: EDU 110 has no offering in Fall 2026, section 03 at Test "
                "Community College.",
            ]
        ],
    }
    assert outcomes(run)[3]["type"] == "new"


def test_new_enrollments_need_a_district_of_the_cohort_and_an_active_person(world, login, offering):
    world.enrollment_a.withdrawn_on = date(2026, 9, 1)
    world.enrollment_a.save()
    gone = ParaFactory(school=world.school_b, is_active=False, first_name="Al", last_name="Oak")
    run = upload(
        login(world.users["liaison"]),
        "enrollments",
        csv_upload(
            [
                HEADER,
                line("EDU 110", "Fall 2026", "alpha", world.para.email),
                line("EDU 110", "Fall 2026", "beta", gone.email),
            ]
        ),
    )
    assert errors_of(run) == {
        2: [
            [
                "paraprofessional",
                f"Alpha District is not enrolled in {world.cohort.name}, the cohort of {offering}.",
            ]
        ],
        3: [["paraprofessional", "Al Oak is inactive."]],
    }


# ---- exports ---------------------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_roster_export_has_the_template_columns_is_neutralised_and_logged(world, login, offering):
    world.para.first_name, world.para.last_name = "=cmd|' /C calc'!A0", "Lee"
    world.para.save()
    EnrollmentFactory(offering=offering, para=world.para, grade="A")
    EnrollmentFactory(offering=offering, para=world.para_b)
    client = login(world.users["liaison"])
    url = reverse("coursework:offering-enrollments-export", args=[offering.uuid, "csv"])
    rows = _rows(client.get(url))
    assert rows[0] == HEADER.split(",")
    by_email = {r[5]: r for r in rows[1:]}
    assert by_email[world.para.email] == [
        "EDU 110",
        "Fall 2026",
        "01",
        world.cohort.name,
        "Alpha District",
        world.para.email,
        "'=cmd|' /C calc'!A0 Lee",
        "A",
        "2026-11-20",
    ]
    assert by_email[world.para_b.email][7:] == ["", ""]
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).first()
    assert entry.subject == f"enrollments of {offering} (csv)" and entry.detail == "2 rows"
    xlsx = client.get(
        reverse("coursework:offering-enrollments-export", args=[offering.uuid, "xlsx"])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_liaison_cannot_export_another_colleges_offering(world, login):
    foreign = OfferingFactory(course=CourseFactory(college=CollegeFactory()))
    client = login(world.users["liaison"])
    url = reverse("coursework:offering-enrollments-export", args=[foreign.uuid, "csv"])
    assert client.get(url).status_code == 404
    client = login(world.users["pc"])
    assert client.get(url).status_code == 403


def test_enrollment_list_export_follows_the_offering_list(world, login, offering):
    past = OfferingFactory(
        course=offering.course,
        cohort=world.cohort,
        term="Summer 2026",
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 7, 31),
    )
    winter = OfferingFactory(
        course=offering.course,
        cohort=world.cohort,
        term="Winter 2026",
        starts_on=date(2026, 11, 30),
        ends_on=date(2027, 1, 29),
    )
    EnrollmentFactory(offering=past, para=world.para, grade="B")
    EnrollmentFactory(offering=offering, para=world.para)  # ended November 20: past
    EnrollmentFactory(offering=winter, para=world.para_b)
    EnrollmentFactory(offering=OfferingFactory(), para=world.para_b)  # another college's
    client = login(world.users["liaison"])
    current = _rows(client.get(reverse("coursework:enrollment-export", args=["csv"])))
    assert [r[1] for r in current[1:]] == ["Winter 2026"]
    old = _rows(client.get(reverse("coursework:enrollment-export", args=["csv"]), {"show": "past"}))
    assert [r[1] for r in old[1:]] == ["Summer 2026", "Fall 2026"]
    page = client.get(reverse("coursework:offering-list")).content.decode()
    assert 'href="/coursework/enrollments/export.csv?show=current"' in page
    detail = client.get(reverse("coursework:offering-detail", args=[offering.uuid]))
    assert f"/coursework/offerings/{offering.uuid}/enrollments.xlsx" in detail.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_roster_imports_back_unchanged(world, login, offering, fmt):
    EnrollmentFactory(offering=offering, para=world.para, grade="A")
    EnrollmentFactory(offering=offering, para=world.para_b, grade="W")
    EnrollmentFactory(
        offering=OfferingFactory(
            course=offering.course,
            cohort=world.cohort,
            term="Fall 2026",
            section="02",
            ends_on=offering.ends_on,
        ),
        para=ParaFactory(school=world.school_a),
    )
    client = login(world.users["liaison"])
    url = reverse("coursework:enrollment-export", args=[fmt])
    exported = client.get(url, {"show": "past"}).content
    run = upload(client, "enrollments", SimpleUploadedFile(f"roster.{fmt}", exported))
    assert run.error_count == 0, run.outcomes
    assert run.unchanged_count == 3 and run.new_count == run.updated_count == 0


QUERIES = 6  # session, user, roles, staff profile, the offering or the enrollments, the log


def test_export_query_count_does_not_grow(world, login, offering, django_assert_max_num_queries):
    client = login(world.users["liaison"])
    url = reverse("coursework:enrollment-export", args=["xlsx"]) + "?show=past"
    EnrollmentFactory(offering=offering, para=world.para)
    with django_assert_max_num_queries(QUERIES) as small:
        client.get(url)
    for para in ParaFactory.create_batch(30, school=world.school_a):
        EnrollmentFactory(offering=offering, para=para, grade="B")
    with django_assert_max_num_queries(QUERIES) as large:
        assert len(_rows(client.get(url.replace("xlsx", "csv")))) == 32
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_closed_cohorts_offering_takes_no_imported_row(world, login, offering):
    EnrollmentFactory(offering=offering, para=world.para)
    world.cohort.status = "closed"
    world.cohort.save()
    before = list(Enrollment.objects.values_list("pk", "grade", "status"))
    amy = ParaFactory(school=world.school_a, first_name="Amy", last_name="Fox")
    client = login(world.users["liaison"])
    run = upload(
        client,
        "enrollments",
        csv_upload(
            [
                HEADER,
                line("EDU 110", "Fall 2026", "alpha", world.para.email, "B", "2026-11-20"),
                line("EDU 110", "Fall 2026", "alpha", amy.email),
            ],
            name="grades.csv",
        ),
    )
    closed = f"{world.cohort} is closed: its records can no longer change."
    assert errors_of(run) == {2: [["cohort", closed]], 3: [["cohort", closed]]}
    assert list(Enrollment.objects.values_list("pk", "grade", "status")) == before
