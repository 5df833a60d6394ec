"""Pairings by roster import: every row's errors in plain words, all-or-nothing writes
through mentoring's services, re-import unchanged, district scope, and the pairing list's
CSV/XLSX export that imports back unchanged."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentoring.models import Pairing
from pilot.imports.kinds import get_kind
from pilot.models import AuditEntry, Cohort

from .factories import (
    CohortFactory,
    MentoringSessionFactory,
    PairingFactory,
    ParaFactory,
    SupportRoleFactory,
    TeacherFactory,
)
from .test_imports import csv_upload, outcomes, upload

pytestmark = pytest.mark.django_db

HEADER = (
    "cohort,district,teacher,teacher name,paraprofessional,paraprofessional name,"
    "start date,end date,focus areas,support roles,status"
)


def line(
    cohort,
    district,
    teacher,
    para,
    starts="2026-09-01",
    ends="2027-06-30",
    focus="Classroom Support",
    roles="",
) -> str:
    cells = [cohort, district, teacher, "", para, "", starts, ends, focus, roles, ""]
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


def errors_of(run) -> dict[int, list[list[str]]]:
    return {n: r["errors"] for n, r in outcomes(run).items() if r["type"] == "error"}


def test_template_documents_the_cell_formats(world, login):
    client = login(world.users["pc"])
    response = client.get(reverse("imports:template", args=["pairings", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER.split(",")
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["support roles"] == "small_group:2; monitoring:1"
    assert example["focus areas"] == "Classroom Support; Classroom Management"
    page = client.get(reverse("imports:index")).content.decode()
    assert "role:tier" in page and "small_group" in page


def test_each_bad_row_says_what_is_wrong_and_nothing_is_written(world, login):
    cohort = world.cohort.name
    other_teacher = TeacherFactory(school=world.school_a, first_name="Sam", last_name="Ray")
    paired = ParaFactory(school=world.school_a, first_name="Lou", last_name="Dee")
    PairingFactory(
        cohort=world.cohort,
        teacher=other_teacher,
        paraprofessional=paired,
        district=world.district_a,
    )
    free = ParaFactory(school=world.school_a, first_name="Ada", last_name="Moe", employee_id="P9")
    teacher, para = world.teacher, world.para
    before = Pairing.objects.count()
    client = login(world.users["pc"])
    run = upload(
        client,
        "pairings",
        csv_upload(
            [
                HEADER,
                # 2: a good row (by employee id), so the file is not all errors
                line(cohort, "alpha", teacher.email, "P9"),
                # 3: a teacher given as the paraprofessional
                line(cohort, "alpha", teacher.email, other_teacher.email),
                # 4: a paraprofessional given as the teacher
                line(cohort, "alpha", para.email, free.email),
                # 5: a teacher of another district
                line(cohort, "alpha", world.teacher_b.email, para.email),
                # 6: the paraprofessional is already actively paired (with Sam Ray)
                line(cohort, "alpha", teacher.email, paired.email),
                # 7: starts before the cohort; 8: ends before it starts
                line(cohort, "alpha", teacher.email, para.email, starts="2026-07-01"),
                line(cohort, "alpha", other_teacher.email, para.email, "2027-03-01", "2027-01-04"),
                # 9: nobody has this email
                line(cohort, "alpha", "nobody@alpha.test", para.email),
                # 10: the same pairing as row 2
                line(cohort, "alpha", teacher.email, free.email),
                # 11: unknown cohort, focus area and support role
                line("1999 Pilot", "alpha", teacher.email, para.email, roles="teaching:2"),
                line(
                    cohort, "alpha", teacher.email, para.email, focus="Math", roles="monitoring:4"
                ),
            ],
            name="pairings.csv",
        ),
    )
    assert outcomes(run)[2]["type"] == "new"
    assert errors_of(run) == {
        3: [["paraprofessional", "Sam Ray is a teacher, not a paraprofessional."]],
        4: [["teacher", f"{para.full_name} is a paraprofessional, not a teacher."]],
        5: [
            [
                "teacher",
                f"{world.teacher_b.full_name} works in Beta District, not Alpha District: a "
                "pairing joins two people of one district.",
            ]
        ],
        6: [
            [
                "paraprofessional",
                f"Lou Dee already has an active pairing in {cohort} (with Sam Ray).",
            ]
        ],
        7: [["start date", "Start within the cohort (Aug 1, 2026 – Jun 30, 2027)."]],
        8: [["end date", "The end date cannot be before the start date."]],
        9: [
            [
                "teacher",
                "Unknown person: nobody in Alpha District has the email or employee id "
                "“nobody@alpha.test”.",
            ]
        ],
        10: [["paraprofessional", "Duplicate row: the same pairing as row 2."]],
        11: [
            ["cohort", "Unknown cohort “1999 Pilot”."],
            [
                "support roles",
                "“teaching” is not a support role: use small_group, one_on_one, tier1_support, "
                "independent_work, monitoring, relationships.",
            ],
        ],
        12: [
            [
                "focus areas",
                "“Math” is not one of the pilot's questions: Classroom Support; Engagement with "
                "the Profession; Classroom Management.",
            ],
            ["support roles", "“monitoring:4”: the tier is 1, 2 or 3."],
            ["paraprofessional", "Duplicate row: the same pairing as row 7."],
        ],
    }
    response = client.get(reverse("imports:run", args=[run.uuid]))
    assert response.context["run"].can_confirm is False
    assert "Sam Ray is a teacher, not a paraprofessional." in response.content.decode()
    client.post(reverse("imports:confirm", args=[run.uuid]))
    assert Pairing.objects.count() == before


def test_two_new_rows_cannot_pair_one_paraprofessional_twice(world, login):
    other = TeacherFactory(school=world.school_a)
    run = upload(
        login(world.users["pc"]),
        "pairings",
        csv_upload(
            [
                HEADER,
                line(world.cohort.name, "alpha", world.teacher.email, world.para.email),
                line(world.cohort.name, "alpha", other.email, world.para.email),
            ]
        ),
    )
    assert errors_of(run) == {
        3: [
            [
                "paraprofessional",
                f"Row 2 already pairs {world.para.full_name} in {world.cohort.name}: a "
                "paraprofessional has one active pairing per cohort.",
            ]
        ]
    }


def test_new_cohort_rules_closed_cohort_district_not_enrolled_inactive_person(world, login):
    closed = CohortFactory(name="2024 Pilot", status=Cohort.Status.CLOSED)
    later = CohortFactory(name="2027 Pilot", starts_on=date(2027, 8, 1), ends_on=date(2028, 6, 30))
    gone = ParaFactory(school=world.school_a, is_active=False, first_name="Al", last_name="Oak")
    run = upload(
        login(world.users["pc"]),
        "pairings",
        csv_upload(
            [
                HEADER,
                line(closed.name, "alpha", world.teacher.email, world.para.email),
                line(later.name, "alpha", world.teacher.email, world.para.email, "", ""),
                line(world.cohort.name, "alpha", world.teacher.email, gone.email),
            ]
        ),
    )
    assert errors_of(run) == {
        2: [["cohort", "2024 Pilot is closed: its records can no longer change."]],
        3: [["district", "Alpha District is not enrolled in 2027 Pilot."]],
        4: [["paraprofessional", "Al Oak is inactive."]],
    }


def test_confirm_creates_pairings_through_the_services_then_reimport_is_unchanged(
    world, login, django_capture_on_commit_callbacks
):
    lines = [
        HEADER,
        line(
            world.cohort.name,
            "alpha",
            world.teacher.employee_id or world.teacher.email,
            world.para.email,
            focus="classroom_management; Classroom Support",
            roles="Small-group instruction:Tier 2; monitoring:1",
        ),
        line(
            world.cohort.name,
            "BETA",
            world.teacher_b.email.upper(),
            world.para_b.email,
            starts="",
            ends="",
            focus="engagement",
        ),
    ]
    client = login(world.users["pc"])
    run = upload(client, "pairings", csv_upload(lines, name="fall-pairings.csv"))
    assert [r["type"] for r in run.outcomes] == ["new", "new"]
    assert not Pairing.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[run.uuid]), follow=True)
    assert "Imported fall-pairings.csv: 2 new, 0 updated, 0 unchanged." in (
        response.content.decode()
    )
    alpha = Pairing.objects.get(paraprofessional=world.para)
    assert alpha.teacher == world.teacher and alpha.status == Pairing.Status.ACTIVE
    assert (alpha.starts_on, alpha.ends_on) == (date(2026, 9, 1), date(2027, 6, 30))
    assert alpha.focus_areas == ["classroom_support", "classroom_management"]
    assert {(r.role, r.tier) for r in alpha.support_roles.all()} == {
        ("small_group", 2),
        ("monitoring", 1),
    }
    beta = Pairing.objects.get(paraprofessional=world.para_b)
    # blank dates: the form's defaults (today within the cohort, to the cohort's end)
    assert beta.ends_on == world.cohort.ends_on and beta.focus_areas == ["engagement"]
    history = alpha.history.first()
    assert history.history_user == world.users["pc"]
    assert history.history_change_reason == "Imported from fall-pairings.csv"
    # as when a pairing is created on its page, both members are emailed
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.teacher.email, world.para.email, world.teacher_b.email, world.para_b.email]
    )

    again = upload(client, "pairings", csv_upload(lines, name="fall-pairings.csv"))
    assert [r["type"] for r in again.outcomes] == ["unchanged", "unchanged"]


def test_update_lists_changes_and_closed_pairings_do_not_change(world, login):
    pairing = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
        starts_on=date(2026, 9, 1),
        focus_areas=["classroom_support"],
    )
    SupportRoleFactory(pairing=pairing, role="monitoring", tier=1)
    MentoringSessionFactory(pairing=pairing, held_on=date(2026, 10, 5))
    done_para = ParaFactory(school=world.school_a)
    done = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=done_para,
        district=world.district_a,
        starts_on=date(2026, 8, 10),
        status=Pairing.Status.COMPLETED,
        closed_on=date(2026, 10, 1),
    )
    cohort = world.cohort.name
    client = login(world.users["dc_own"])
    run = upload(
        client,
        "pairings",
        csv_upload(
            [
                HEADER,
                line(
                    cohort,
                    "alpha",
                    world.teacher.email,
                    world.para.email,
                    "2026-09-01",
                    "2027-05-28",
                    roles="monitoring:2; one_on_one:3",
                ),
                line(
                    cohort,
                    "alpha",
                    world.teacher.email,
                    done_para.email,
                    "2026-08-10",
                    "2027-06-30",
                    focus="Classroom Support",
                ),
            ]
        ),
    )
    rows = outcomes(run)
    assert rows[2]["type"] == "update"
    assert rows[2]["changes"] == [
        ["end date", "2027-06-30", "2027-05-28"],
        ["support roles", "monitoring:1", "one_on_one:3; monitoring:2"],
    ]
    assert rows[3]["type"] == "unchanged"  # a completed pairing, exactly as stored

    # moving the start past a logged session, or changing a completed pairing: refused
    run = upload(
        client,
        "pairings",
        csv_upload(
            [
                HEADER,
                line(cohort, "alpha", world.teacher.email, world.para.email, "2026-10-20"),
                line(
                    cohort,
                    "alpha",
                    world.teacher.email,
                    done_para.email,
                    "2026-08-10",
                    "2027-06-30",
                    focus="Classroom Management",
                ),
            ]
        ),
    )
    assert errors_of(run) == {
        2: [["start date", "A session was logged on Oct 5, 2026: start by then."]],
        3: [
            [
                "",
                "This pairing is completed: it no longer changes, by import or otherwise. "
                "Leave its row as exported, or remove it.",
            ]
        ],
    }
    done.refresh_from_db()
    assert done.focus_areas == ["classroom_support"]


def test_district_coordinator_cannot_import_pairings_into_another_district(world, login):
    client = login(world.users["dc_own"])
    run = upload(
        client,
        "pairings",
        csv_upload(
            [
                HEADER,
                line(world.cohort.name, "beta", world.teacher_b.email, world.para_b.email),
                # district B's teacher named in district A: not found, and not revealed
                line(world.cohort.name, "alpha", world.teacher_b.email, world.para.email),
            ]
        ),
    )
    assert errors_of(run) == {
        2: [["district", "“beta” is not one of your districts."]],
        3: [
            [
                "teacher",
                "Unknown person: nobody in Alpha District has the email or employee id "
                f"“{world.teacher_b.email}”.",
            ]
        ],
    }
    client.post(reverse("imports:confirm", args=[run.uuid]))
    assert not Pairing.objects.exists()


# ---- export --------------------------------------------------------------------------


def _export(client, fmt: str, **filters):
    response = client.get(reverse("mentoring:pairing-export", args=[fmt]), filters)
    assert response.status_code == 200
    return response


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _program(world):
    active = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
        focus_areas=["classroom_support", "engagement"],
    )
    SupportRoleFactory(pairing=active, role="small_group", tier=2)
    SupportRoleFactory(pairing=active, role="tier1_support", tier=1)
    # an earlier pairing of the same two people, ended early, in the same cohort
    PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
        starts_on=date(2026, 8, 3),
        ends_on=date(2026, 8, 20),
        status=Pairing.Status.ENDED_EARLY,
        closed_on=date(2026, 8, 20),
        end_reason="Moved schools",
    )
    PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher_b,
        paraprofessional=world.para_b,
        district=world.district_b,
    )
    return active


def test_export_has_the_template_columns_scope_filters_and_logs(world, login):
    _program(world)
    client = login(world.users["dc_own"])
    rows = _rows(_export(client, "csv"))
    assert rows[0] == HEADER.split(",")
    assert {r[1] for r in rows[1:]} == {"Alpha District"}  # district B is out of scope
    by_start = {r[6]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    active = by_start[world.cohort.starts_on.isoformat()]
    assert active["teacher"] == world.teacher.email
    assert active["paraprofessional name"] == world.para.full_name
    assert active["focus areas"] == "Classroom Support; Engagement with the Profession"
    assert active["support roles"] == "small_group:2; tier1_support:1"
    assert active["status"] == "Active"
    assert by_start["2026-08-03"]["status"] == "Ended early"

    pc_rows = _rows(_export(login(world.users["pc"]), "csv", district="beta"))
    assert [r[1] for r in pc_rows[1:]] == ["Beta District"]

    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).first()
    assert entry.subject == "pairing list (csv)" and "district=beta" in entry.detail

    client = login(world.users["dc_own"])
    sheet = openpyxl.load_workbook(io.BytesIO(_export(client, "xlsx").content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER.split(",") and len(values) == 3
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_name_starting_a_formula_is_neutralised_in_the_export(world, login):
    _program(world)
    world.teacher.first_name, world.teacher.last_name = "@SUM(A1)", "+Cmd"
    world.teacher.save()
    rows = _rows(_export(login(world.users["pc"]), "csv"))
    assert "'@SUM(A1) +Cmd" in [r[3] for r in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_file_imports_back_unchanged(world, login, fmt):
    _program(world)
    client = login(world.users["pc"])
    exported = _export(client, fmt).content
    run = upload(client, "pairings", SimpleUploadedFile(f"pairings.{fmt}", exported))
    assert run.error_count == 0, run.outcomes
    assert run.unchanged_count == 3 and run.new_count == run.updated_count == 0


# session, user, roles, own staff profile, the pairings with their people, their support
# roles, the access log
QUERIES = 7


def test_export_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.users["pc"])
    _program(world)
    with django_assert_max_num_queries(QUERIES) as small:
        _export(client, "xlsx")
    for _ in range(40):
        teacher = TeacherFactory(school=world.school_a)
        pairing = PairingFactory(cohort=world.cohort, district=world.district_a, teacher=teacher)
        SupportRoleFactory(pairing=pairing, role="monitoring", tier=1)
    with django_assert_max_num_queries(QUERIES) as large:
        assert len(_rows(_export(client, "csv"))) == 44
    assert len(large.captured_queries) == len(small.captured_queries)


def test_pairing_list_links_to_exports_with_its_filters(world, login):
    html = (
        login(world.users["pc"])
        .get(reverse("mentoring:pairing-list"), {"district": "alpha"})
        .content.decode()
    )
    assert 'href="/pairings/export.csv?district=alpha"' in html
    assert 'href="/pairings/export.xlsx?district=alpha"' in html
    teacher_page = login(world.users["teacher"]).get(reverse("mentoring:pairing-list"))
    assert "/pairings/export" not in teacher_page.content.decode()


def test_pairings_kind_is_registered_for_coordinators_only(world):
    kind = get_kind("pairings")
    assert kind.allows(world.users["dc_own"]) and kind.allows(world.users["pc"])
    assert not kind.allows(world.users["liaison"]) and not kind.allows(world.users["teacher"])
