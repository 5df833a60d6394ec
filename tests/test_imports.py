"""Roster import: files refused or read, every row previewed, all-or-nothing confirm,
scope per row, OneRoster, templates and the staff export."""

import csv
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.fields import Field

from pilot.access import Capability
from pilot.imports import kinds, services
from pilot.imports.files import MAX_BYTES
from pilot.imports.kinds import STAFF, ImportKind
from pilot.imports.resources import RosterResource, TextWidget
from pilot.models import AuditEntry, College, District, ImportRun, School, Staff

from .factories import ImportRunFactory, ParaFactory, SchoolFactory, TeacherFactory

pytestmark = pytest.mark.django_db

UNKNOWN = ": give its name as on the Districts page, or its code."
STAFF_HEADER = "district,school name,role,first name,last name,email,employee id,active"
SCHOOLS_HEADER = "district,state,school name,grade band,support model"


def csv_upload(lines: list[str], name: str = "staff.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def upload(client, kind: str, file) -> ImportRun:
    """Upload a file for preview; return the run it created."""
    response = client.post(reverse("imports:index"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.get(uuid=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def refused(client, kind: str, file) -> list[str]:
    """Upload a file that should be refused: the messages on the file field."""
    response = client.post(reverse("imports:index"), {"kind": kind, "file": file})
    assert response.status_code == 200
    assert not ImportRun.objects.exists()
    return response.context["form"].errors["file"]


def outcomes(run: ImportRun) -> dict[int, dict]:
    return {r["row"]: r for r in run.outcomes}


def staff_line(district, school, role, first, last, email, employee_id="", active="yes") -> str:
    return ",".join([district, school, role, first, last, email, employee_id, active])


# ---- files refused before parsing ------------------------------------------------------


def test_files_are_refused_before_parsing(world, login, monkeypatch):
    client = login(world.users["pc"])

    def never(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr("pilot.imports.files.csv_rows", never)
    monkeypatch.setattr("pilot.imports.files.xlsx_rows", never)

    too_big = SimpleUploadedFile("big.csv", b"a" * (MAX_BYTES + 1), content_type="text/csv")
    assert "at most 5 MB" in refused(client, "staff", too_big)[0]

    pdf = SimpleUploadedFile("staff.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert refused(client, "staff", pdf) == ["staff.pdf is not a .csv or .xlsx file."]

    fake_xlsx = SimpleUploadedFile("staff.xlsx", STAFF_HEADER.encode())
    assert "is not an Excel workbook" in refused(client, "staff", fake_xlsx)[0]

    latin1 = SimpleUploadedFile(
        "staff.csv",
        f"{STAFF_HEADER}\nalpha,Alpha Elementary,teacher,José,Núñez,j@a.test,,\n".encode("cp1252"),
    )
    message = refused(client, "staff", latin1)[0]
    assert "not UTF-8 text (unreadable bytes on line 2)" in message
    assert "CSV UTF-8" in message

    utf16 = SimpleUploadedFile("staff.csv", STAFF_HEADER.encode("utf-16"))
    assert "not UTF-8 text" in refused(client, "staff", utf16)[0]


def test_file_without_the_kinds_columns_is_refused(world, login):
    client = login(world.users["pc"])
    messages = refused(client, "staff", csv_upload(["name,email", "Ann,ann@a.test"]))
    assert messages[0].startswith(
        "The file has no “district”, “school name”, “role”, “first name”, “last name” columns"
    )
    assert refused(client, "staff", csv_upload([STAFF_HEADER])) == [
        "staff.csv has a header row but no rows of data."
    ]


# ---- preview ---------------------------------------------------------------------------


def test_preview_shows_every_row_and_writes_nothing(world, login):
    teacher, para = world.teacher, world.para
    TeacherFactory(school=world.school_a, first_name="Cy", last_name="Oh", employee_id="C7")
    gus = TeacherFactory(school=world.school_a, first_name="Gus", last_name="Ives")
    client = login(world.users["pc"])
    before = Staff.objects.count()
    run = upload(
        client,
        "staff",
        csv_upload(
            [
                # header row is row 1; spreadsheet-style headers are matched loosely
                "District,School Name,Role,First Name,Last Name,Email,Employee ID,Active,Notes",
                staff_line(
                    "alpha", "alpha elementary", "teacher", "Ann", "Lee", "Ann@A.test", "N1"
                ),
                staff_line(
                    "alpha",
                    "Alpha Elementary",
                    "teacher",
                    teacher.first_name,
                    "Newname",
                    teacher.email,
                    teacher.employee_id,
                    "no",
                ),
                staff_line(
                    "alpha",
                    "Alpha Elementary",
                    "paraprofessional",
                    para.first_name,
                    para.last_name,
                    para.email,
                    para.employee_id,
                    "yes",
                ),
                staff_line("alpha", "Nowhere Middle", "teacher", "Bo", "Ray", "bo@a.test"),
                # Cy is found by employee id, but the email is the paraprofessional's
                staff_line("alpha", "Alpha Elementary", "teacher", "Cy", "Oh", para.email, "C7"),
                staff_line(
                    "alpha", "Alpha Elementary", "paraprofessional", "Gus", "Ives", gus.email
                ),
                staff_line(
                    "alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.test", "N1"
                ),
                staff_line("alpha", "Alpha Elementary", "principal", "Di", "", "not-an-email"),
                "",
                staff_line("zeta", "Zeta High", "teacher", "Ed", "Fox", "ed@z.test"),
            ]
        ),
    )
    rows = outcomes(run)
    assert Staff.objects.count() == before  # a preview writes nothing
    assert run.status == ImportRun.Status.PREVIEWED and not run.can_confirm
    assert (run.new_count, run.updated_count, run.unchanged_count, run.error_count) == (1, 1, 1, 6)
    assert run.data["ignored_columns"] == ["notes"]

    assert rows[2]["type"] == "new" and rows[2]["label"] == "Ann Lee <ann@a.test>"
    assert rows[3]["type"] == "update"
    assert rows[3]["changes"] == [
        ["last name", teacher.last_name, "Newname"],
        ["active", "yes", "no"],
    ]
    assert rows[4]["type"] == "unchanged"
    assert rows[5]["errors"] == [
        ["school name", "Unknown school “Nowhere Middle” in Alpha District."]
    ]
    assert rows[6]["errors"] == [
        [
            "email",
            f"{para.email} is used by another person in Alpha District: "
            f"{para.full_name} (employee id {para.employee_id}).",
        ]
    ]
    assert rows[7]["errors"] == [
        [
            "role",
            "Gus Ives is a teacher; this row gives paraprofessional. "
            "Change a role on the staff page, not by import.",
        ]
    ]
    assert rows[8]["errors"] == [
        ["email", "Duplicate row: the same email as row 2."],
        ["employee id", "Duplicate row: the same employee id as row 2."],
    ]
    assert sorted(rows[9]["errors"]) == [
        ["email", "“not-an-email” is not an email address."],
        ["last name", "Required."],
        ["role", "“principal” is not one of: teacher, paraprofessional."],
    ]
    assert 10 not in rows  # the blank line is skipped but still counted
    assert rows[11]["errors"] == [["district", f"Unknown district “zeta”{UNKNOWN}"]]

    page = client.get(reverse("imports:run", args=[run.uuid]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirm import" not in html
    assert "6 rows have errors" in html
    assert "Unknown school “Nowhere Middle” in Alpha District." in html
    everything = client.get(reverse("imports:run", args=[run.uuid]), {"show": "all"})
    assert "Newname" in everything.content.decode()


def test_confirm_is_refused_while_any_row_has_an_error(world, login):
    client = login(world.users["pc"])
    run = upload(
        client,
        "staff",
        csv_upload(
            [
                STAFF_HEADER,
                staff_line("alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.test"),
                staff_line("alpha", "Nowhere", "teacher", "Bo", "Ray", "bo@a.test"),
            ]
        ),
    )
    response = client.post(reverse("imports:confirm", args=[run.uuid]), follow=True)
    assert "nothing was written" in response.content.decode()
    assert not Staff.objects.filter(email="ann@a.test").exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEWED
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()


def test_confirm_writes_every_row_records_the_import_and_keeps_history(world, login):
    user = world.users["dc_own"]
    client = login(user)
    world.teacher.user.is_active = True
    run = upload(
        client,
        "staff",
        csv_upload(
            [
                STAFF_HEADER,
                staff_line(
                    "alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.test", "N1"
                ),
                staff_line("alpha", "Alpha Elementary", "para", "Bo", "Ray", "bo@a.test", "", ""),
                staff_line(
                    "alpha",
                    "Alpha Elementary",
                    "teacher",
                    world.teacher.first_name,
                    world.teacher.last_name,
                    world.teacher.email,
                    world.teacher.employee_id,
                    "no",
                ),
            ],
            name="alpha-staff.csv",
        ),
    )
    assert run.can_confirm
    response = client.post(reverse("imports:confirm", args=[run.uuid]), follow=True)
    assert "Imported alpha-staff.csv: 2 new, 1 updated, 0 unchanged." in response.content.decode()

    run.refresh_from_db()
    assert run.status == ImportRun.Status.CONFIRMED and run.confirmed_at is not None
    assert (run.owner, run.file_name, run.kind) == (user, "alpha-staff.csv", "staff")
    assert (run.new_count, run.updated_count, run.unchanged_count) == (2, 1, 0)
    assert "rows" not in run.data  # the uploaded rows are not kept once imported

    bo = Staff.objects.get(email="bo@a.test")
    assert (bo.role, bo.is_active, bo.district, bo.school) == (
        Staff.Role.PARAPROFESSIONAL,
        True,
        world.district_a,
        world.school_a,
    )
    history = Staff.history.filter(email="ann@a.test").get()
    assert history.history_user == user
    assert history.history_change_reason == "Imported from alpha-staff.csv"
    # Deactivated by the file: the person's sign-in is switched off with them.
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active
    assert not world.teacher.user.__class__.objects.get(pk=world.teacher.user_id).is_active
    assert world.teacher.history.first().history_user == user

    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.actor == user
    assert entry.subject == "Staff import: alpha-staff.csv"
    assert "2 new, 1 updated, 0 unchanged" in entry.detail

    again = client.post(reverse("imports:confirm", args=[run.uuid]), follow=True)
    assert "already confirmed" in again.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


def test_confirm_rechecks_the_rows_and_writes_nothing_if_they_changed(world, login):
    client = login(world.users["pc"])
    run = upload(
        client,
        "staff",
        csv_upload(
            [
                STAFF_HEADER,
                staff_line("alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.test"),
                staff_line("alpha", "Alpha Elementary", "teacher", "Bo", "Ray", "bo@a.test"),
            ]
        ),
    )
    assert run.new_count == 2
    # Someone adds Ann by hand, as a paraprofessional, between preview and confirm.
    ParaFactory(school=world.school_a, email="ann@a.test", first_name="Ann", last_name="Lee")
    response = client.post(reverse("imports:confirm", args=[run.uuid]), follow=True)
    assert "changed since the preview, so nothing was written" in response.content.decode()
    assert not Staff.objects.filter(email="bo@a.test").exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEWED
    assert outcomes(run)[2]["errors"][0][0] == "role"


def test_reimporting_the_same_file_changes_nothing(world, login):
    client = login(world.users["pc"])
    lines = [
        STAFF_HEADER,
        staff_line("alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.test", "N1"),
        staff_line("beta", "Beta Elementary", "paraprofessional", "Bo", "Ray", "bo@b.test"),
    ]
    first = upload(client, "staff", csv_upload(lines))
    client.post(reverse("imports:confirm", args=[first.uuid]))
    stamps = dict(Staff.objects.values_list("email", "updated_at"))
    history = Staff.history.count()

    second = upload(client, "staff", csv_upload(lines))
    assert (second.new_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    assert second.can_confirm  # confirming records the import, and changes nothing
    client.post(reverse("imports:confirm", args=[second.uuid]))
    assert dict(Staff.objects.values_list("email", "updated_at")) == stamps
    assert Staff.history.count() == history


# ---- 10,000 rows -----------------------------------------------------------------------


def _big_file(world, rows: int, bad_at: int | None = None) -> list[str]:
    schools = [world.school_a.name] + [
        SchoolFactory(district=world.district_a, name=f"Alpha School {n}").name for n in range(9)
    ]
    lines = [STAFF_HEADER]
    for i in range(rows):
        school = "Closed Academy" if i == bad_at else schools[i % len(schools)]
        role = "teacher" if i % 3 == 0 else "paraprofessional"
        lines.append(
            staff_line(
                "alpha", school, role, f"First{i}", f"Last{i}", f"p{i}@alpha.test", f"A{i:05d}"
            )
        )
    return lines


def test_ten_thousand_rows_all_or_nothing_then_unchanged(
    world, login, django_capture_on_commit_callbacks
):
    user = world.users["pc"]
    client = login(user)
    before = Staff.objects.count()
    bad = 9_990  # the 9,991st data row: spreadsheet row 9,992
    lines = _big_file(world, 10_000, bad_at=bad)

    run = upload(client, "staff", csv_upload(lines))
    assert (run.new_count, run.error_count) == (9_999, 1)
    [error] = [r for r in run.outcomes if r["type"] == "error"]
    assert error["row"] == bad + 2
    assert error["errors"] == [
        ["school name", "Unknown school “Closed Academy” in Alpha District."]
    ]
    page = client.get(reverse("imports:run", args=[run.uuid]))
    assert "Unknown school “Closed Academy”" in page.content.decode()
    assert '<td class="text-end">9992</td>' in page.content.decode()

    # Even a real (not dry) run writes nothing: the rows before the bad one, already sent
    # to the database in batches, are rolled back with it.
    outcome = services.run_import(STAFF, user, run.data, dry_run=False, file_name="big.csv")
    assert outcome.has_errors
    client.post(reverse("imports:confirm", args=[run.uuid]))
    assert Staff.objects.count() == before

    lines[bad + 1] = lines[bad + 1].replace("Closed Academy", world.school_a.name)
    good = upload(client, "staff", csv_upload(lines))
    assert (good.new_count, good.error_count) == (10_000, 0)
    # Long: confirmed by a background job (run here right after the commit).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[good.uuid]))
    assert response["Location"].startswith("/jobs/")
    assert Staff.objects.count() == before + 10_000

    again = upload(client, "staff", csv_upload(lines))
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 0, 10_000)


# ---- scope -----------------------------------------------------------------------------


def test_district_coordinator_row_naming_another_districts_school_is_refused(world, login):
    lines = [
        STAFF_HEADER,
        staff_line("alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.test"),
        staff_line("beta", "Beta Elementary", "teacher", "Bo", "Ray", "bo@b.test"),
        staff_line("alpha", "Beta Elementary", "teacher", "Cy", "Oh", "cy@a.test"),
    ]
    run = upload(login(world.users["dc_own"]), "staff", csv_upload(lines))
    rows = outcomes(run)
    assert rows[2]["type"] == "new"
    assert rows[3]["errors"] == [["district", "“beta” is not one of your districts."]]
    assert rows[4]["errors"] == [
        ["school name", "Unknown school “Beta Elementary” in Alpha District."]
    ]
    assert not run.can_confirm

    # The same rows are fine for the program coordinator, but for the school in the wrong district.
    pc_run = upload(login(world.users["pc"]), "staff", csv_upload(lines[:3]))
    assert pc_run.new_count == 2 and pc_run.can_confirm


def test_import_runs_belong_to_their_owner(world, login):
    run = upload(
        login(world.users["dc_own"]),
        "staff",
        csv_upload(
            [STAFF_HEADER, staff_line("alpha", "Alpha Elementary", "teacher", "A", "B", "a@a.test")]
        ),
    )
    client = login(world.users["pc"])
    assert client.get(reverse("imports:run", args=[run.uuid])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[run.uuid])).status_code == 404
    assert not Staff.objects.filter(email="a@a.test").exists()
    assert str(run.uuid) not in client.get(reverse("imports:index")).content.decode()
    theirs = ImportRunFactory(owner=world.users["dc_other"], file_name="beta-staff.csv")
    client = login(world.users["dc_own"])
    assert "beta-staff.csv" not in client.get(reverse("imports:index")).content.decode()
    assert client.get(reverse("imports:run", args=[theirs.uuid])).status_code == 404


# ---- districts and schools -------------------------------------------------------------


def test_program_coordinator_stands_up_a_district_from_a_file(world, login):
    client = login(world.users["pc"])
    lines = [
        SCHOOLS_HEADER,
        "Gamma Schools,ia,Gamma Elementary,elementary,para_led",
        "gamma  SCHOOLS,IA,Gamma Middle,Middle (6–8),Teachers take intervention; "
        "paraprofessionals oversee independent work",
        "alpha district,,Alpha Elementary,,teacher_led",  # by name, any case
        "alpha,,Alpha High,high,para led",  # by code
    ]
    run = upload(client, "districts-schools", csv_upload(lines, "schools.csv"))
    rows = outcomes(run)
    assert [rows[n]["type"] for n in (2, 3, 4, 5)] == ["new", "new", "update", "new"]
    assert rows[4]["changes"] == [["support model", "para_led", "teacher_led"]]
    client.post(reverse("imports:confirm", args=[run.uuid]))

    gamma = District.objects.get(slug="gamma-schools")
    assert (gamma.name, gamma.state) == ("Gamma Schools", "IA")
    assert sorted(gamma.schools.values_list("name", "grade_band", "support_model")) == [
        ("Gamma Elementary", "elementary", "para_led"),
        ("Gamma Middle", "middle", "teacher_led"),
    ]
    assert School.objects.get(name="Alpha Elementary").support_model == "teacher_led"

    again = upload(client, "districts-schools", csv_upload(lines, "schools.csv"))
    assert again.unchanged_count == 4

    moved = upload(
        client,
        "districts-schools",
        csv_upload(
            [
                SCHOOLS_HEADER,
                "Gamma Schools,MN,Gamma Elementary,elementary,para_led",
                "gamma-schools,IA,Gamma Middle,middle,teacher_led",
            ]
        ),
    )
    rows = outcomes(moved)
    assert rows[2]["changes"] == [["state", "IA", "MN"]]
    assert rows[3]["errors"] == [["state", "Row 2 gives “MN” for the same district."]]


def test_district_coordinator_cannot_add_a_district_by_file(world, login):
    client = login(world.users["dc_own"])
    run = upload(
        client,
        "districts-schools",
        csv_upload(
            [
                SCHOOLS_HEADER,
                "Gamma Schools,IA,Gamma Elementary,elementary,para_led",
                "beta,,Beta Elementary,,teacher_led",
                "alpha,,Alpha Middle,middle,para_led",
                "Alpha District,,alpha middle,middle,para_led",
                "alpha,,Alpha High,,",
            ]
        ),
    )
    rows = outcomes(run)
    assert rows[2]["errors"] == [
        [
            "district",
            f"Unknown district “Gamma Schools”{UNKNOWN}",
        ]
    ]
    assert rows[3]["errors"] == [["district", "“beta” is not one of your districts."]]
    assert rows[4]["type"] == "new"
    assert rows[5]["errors"] == [["school name", "Duplicate row: the same new school as row 4."]]
    assert rows[6]["errors"] == [
        ["grade band", "Required for a new school."],
        ["support model", "Required for a new school."],
    ]
    assert not District.objects.filter(name="Gamma Schools").exists()


# ---- XLSX and OneRoster ----------------------------------------------------------------


def test_xlsx_file_with_numbers_typed_into_cells(world, login):
    data = tablib.Dataset(headers=STAFF_HEADER.split(","))
    data.append(["alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.test", 10442, True])
    upload_file = SimpleUploadedFile("staff.xlsx", data.export("xlsx"))
    run = upload(login(world.users["pc"]), "staff", upload_file)
    assert run.new_count == 1, run.outcomes
    assert run.data["rows"][0][6:8] == ["10442", "yes"]


ORGS = [
    "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "d1,active,2026-08-01,Alpha District,district,,",
    "s1,active,2026-08-01,Alpha Elementary,school,,d1",
    "s2,active,2026-08-01,Annex School,school,,d1",
]
USERS = [
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
    'u1,active,2026-08-01,true,"d1,s1",teacher,tn,,Tara,Nguyen,,T-501,tara@alpha.test,,,,,',
    "u2,active,2026-08-01,true,s1,aide,an,,Abel,Nunez,,A-502,abel@alpha.test,,,,,",
    "u3,active,2026-08-01,true,s1,student,sx,,Sam,Xu,,S-1,sam@alpha.test,,,,03,",
    "u4,active,2026-08-01,true,d1,administrator,ad,,Ada,Dunn,,AD-1,ada@alpha.test,,,,,",
    "u5,active,2026-08-01,true,s1,student,sy,,Sue,Yo,,S-2,sue@alpha.test,,,,04,",
]


def oneroster_post(client, orgs=ORGS, users=USERS, district=None):
    return client.post(
        reverse("imports:oneroster"),
        {
            "district": district,
            "orgs": csv_upload(orgs, "orgs.csv"),
            "users": csv_upload(users, "users.csv"),
        },
    )


def test_oneroster_imports_only_teachers_and_aides(world, login):
    client = login(world.users["dc_own"])
    response = oneroster_post(client, district=world.district_a.pk)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.source == ImportRun.Source.ONEROSTER
    assert run.file_name == "orgs.csv + users.csv"
    assert (run.new_count, run.ignored_count, run.error_count) == (2, 3, 0)
    assert [r["row"] for r in run.outcomes] == [2, 3]  # users.csv row numbers
    client.post(reverse("imports:confirm", args=[run.uuid]))

    tara = Staff.objects.get(email="tara@alpha.test")
    abel = Staff.objects.get(email="abel@alpha.test")
    assert (tara.role, tara.school, tara.employee_id) == ("teacher", world.school_a, "T-501")
    assert (abel.role, abel.school) == ("paraprofessional", world.school_a)
    assert not Staff.objects.filter(email__in=["sam@alpha.test", "ada@alpha.test"]).exists()


def test_oneroster_school_must_exist_in_the_chosen_district(world, login):
    client = login(world.users["pc"])
    users = [USERS[0], "u9,active,2026-08-01,true,s2,teacher,x,,Xi,Lo,,,xi@alpha.test,,,,,"]
    oneroster_post(client, users=users, district=world.district_a.pk)
    run = ImportRun.objects.get()
    assert run.outcomes[0]["errors"] == [
        ["school name", "Unknown school “Annex School” in Alpha District."]
    ]
    # A district coordinator can only choose their own district.
    response = oneroster_post(login(world.users["dc_own"]), district=world.district_b.pk)
    assert "district" in response.context["form"].errors
    # Files that are not OneRoster are refused on their field.
    response = oneroster_post(client, orgs=["name,kind", "x,y"], district=world.district_a.pk)
    assert response.context["form"].errors["orgs"] == [
        "This is not a OneRoster orgs.csv: it has no sourcedId, type columns."
    ]


MANIFEST = [
    "propertyName,value",
    "manifest.version,1.0",
    "oneroster.version,1.1",
    "file.academicSessions,bulk",
    "file.classes,bulk",
    "file.enrollments,bulk",
    "file.orgs,bulk",
    "file.users,bulk",
]


def zip_upload(files: dict[str, list[str] | bytes], name: str = "oneroster.zip"):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in files.items():
            data = content if isinstance(content, bytes) else ("\n".join(content) + "\n").encode()
            archive.writestr(member, data)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def bundle_post(client, files, district, name="oneroster.zip"):
    return client.post(
        reverse("imports:oneroster"), {"district": district, "bundle": zip_upload(files, name)}
    )


def test_oneroster_zip_is_taken_as_it_comes(world, login):
    client = login(world.users["dc_own"])
    files = {
        "manifest.csv": MANIFEST,
        "orgs.csv": ORGS,
        "users.csv": USERS,
        "classes.csv": ["sourcedId,title", "c1,Reading"],  # not needed: ignored
        "enrollments.csv": ["sourcedId,classSourcedId,userSourcedId,role", "e1,c1,u3,student"],
    }
    response = bundle_post(client, files, world.district_a.pk, "sis-export-2026.zip")
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.source == ImportRun.Source.ONEROSTER
    assert run.file_name == "sis-export-2026.zip"
    assert (run.new_count, run.ignored_count, run.error_count) == (2, 3, 0)


def test_oneroster_zip_that_is_not_a_bundle_is_refused_plainly(world, login, monkeypatch):
    client = login(world.users["dc_own"])
    district = world.district_a.pk

    def refused(files, name="oneroster.zip") -> list[str]:
        response = bundle_post(client, files, district, name)
        assert response.status_code == 200
        assert not ImportRun.objects.exists()
        return response.context["form"].errors["bundle"]

    not_bundle = (
        "oneroster.zip is not a OneRoster bundle: a OneRoster 1.1 CSV export is a zip file "
        "with manifest.csv, orgs.csv and users.csv at its top level."
    )
    assert refused({"orgs.csv": ORGS, "users.csv": USERS}) == [not_bundle]  # no manifest
    assert refused({"export/manifest.csv": MANIFEST, "orgs.csv": ORGS}) == [not_bundle]
    old = [line.replace("1.1", "1.0") for line in MANIFEST]
    assert refused({"manifest.csv": old, "orgs.csv": ORGS, "users.csv": USERS}) == [
        "oneroster.zip is not a OneRoster 1.1 bundle: its manifest says version 1.0."
    ]
    assert refused({"manifest.csv": MANIFEST, "orgs.csv": ORGS}) == [
        "oneroster.zip has no users.csv: export the bundle again with orgs and users."
    ]
    response = client.post(
        reverse("imports:oneroster"),
        {"district": district, "bundle": csv_upload(ORGS, "orgs.zip")},
    )
    assert response.context["form"].errors["bundle"] == [
        "orgs.zip is not a OneRoster bundle: a OneRoster 1.1 CSV export is a zip file with "
        "manifest.csv, orgs.csv and users.csv at its top level."
    ]
    # The same expansion limits as a workbook's: a small zip that unpacks to a lot.
    monkeypatch.setattr("pilot.imports.workbook.MAX_UNPACKED_BYTES", 1024)
    big = {"manifest.csv": MANIFEST, "orgs.csv": ORGS, "users.csv": USERS, "x.csv": b"0" * 4096}
    [message] = refused(big)
    assert message.startswith("oneroster.zip unpacks to ")
    monkeypatch.setattr("pilot.imports.oneroster.MAX_BYTES", 100)
    [message] = refused({"manifest.csv": MANIFEST, "orgs.csv": ORGS, "users.csv": USERS})
    assert message.startswith("manifest.csv in oneroster.zip unpacks to more than")
    # Neither the zip nor both CSV files: said on the CSV fields.
    response = client.post(reverse("imports:oneroster"), {"district": district})
    assert response.context["form"].errors["orgs"] == [
        "Upload the OneRoster zip file, or both CSV files."
    ]


# ---- templates and the staff export ----------------------------------------------------


def test_templates_have_a_header_and_an_example_row(world, login):
    client = login(world.users["dc_own"])
    response = client.get(reverse("imports:template", args=["staff", "csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="staff-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == STAFF_HEADER.split(",")
    assert rows[1][:3] == [
        "Cedar Valley Community Schools",
        "Lincoln Elementary",
        "paraprofessional",
    ]

    response = client.get(reverse("imports:template", args=["districts-schools", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == SCHOOLS_HEADER.split(",")
    assert values[1][0] == "Cedar Valley Community Schools"
    assert client.get(reverse("imports:template", args=["grades", "csv"])).status_code == 404
    assert client.get(reverse("imports:template", args=["staff", "pdf"])).status_code == 404


def _export(client, fmt: str, **filters):
    response = client.get(reverse("imports:staff-export", args=[fmt]), filters)
    assert response.status_code == 200
    return response


def test_staff_export_neutralises_formula_cells_and_logs(world, login):
    TeacherFactory(
        school=world.school_a,
        first_name='=HYPERLINK("http://x.test")',
        last_name="+Cmd",
        email="danger@alpha.test",
        employee_id="@SUM(A1)",
    )
    TeacherFactory(school=world.school_a, first_name="-2+3", last_name="-5", email="neg@alpha.test")
    client = login(world.users["dc_own"])

    rows = list(csv.reader(io.StringIO(_export(client, "csv").content.decode("utf-8-sig"))))
    assert rows[0] == STAFF_HEADER.split(",")
    danger = next(r for r in rows if r[5] == "danger@alpha.test")
    assert danger[3:5] == ['\'=HYPERLINK("http://x.test")', "'+Cmd"]
    assert danger[6] == "'@SUM(A1)"
    # a plain negative number cannot carry a formula and stays as it is
    assert next(r for r in rows if r[5] == "neg@alpha.test")[3:5] == ["'-2+3", "-5"]

    sheet = openpyxl.load_workbook(io.BytesIO(_export(client, "xlsx").content)).active
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row}
    assert cells['\'=HYPERLINK("http://x.test")'] == "s"  # text, not a formula
    assert not any(t == "f" for t in cells.values())

    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).first()
    assert entry.actor == world.users["dc_own"] and entry.subject == "staff list (xlsx)"


def test_staff_export_respects_scope_and_filters_and_reimports_unchanged(world, login):
    client = login(world.users["dc_own"])
    rows = list(csv.reader(io.StringIO(_export(client, "csv").content.decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {"Alpha District"}  # district B stays out of scope
    only_teachers = _export(client, "csv", role="teacher").content.decode("utf-8-sig")
    assert world.teacher.email in only_teachers and world.para.email not in only_teachers

    TeacherFactory(school=world.school_a, first_name="=1+1", email="f@alpha.test")
    exported = _export(client, "csv").content
    run = upload(client, "staff", SimpleUploadedFile("export.csv", exported))
    assert run.unchanged_count == len(rows) and run.error_count == 0


QUERIES = 6  # session, user, roles, own staff profile, the staff (one cursor), the access log


def test_staff_export_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.users["pc"])
    TeacherFactory.create_batch(3, school=world.school_a)
    with django_assert_max_num_queries(QUERIES) as small:
        _export(client, "xlsx")
    ParaFactory.create_batch(195, school=world.school_b)
    with django_assert_max_num_queries(QUERIES) as large:
        assert len(list(csv.reader(io.StringIO(_export(client, "csv").content.decode())))) > 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_staff_list_links_to_exports_with_its_filters(world, login):
    response = login(world.users["pc"]).get(reverse("pilot:staff-list"), {"role": "teacher"})
    html = response.content.decode()
    assert 'href="/staff/export.csv?role=teacher"' in html
    assert 'href="/staff/export.xlsx?role=teacher"' in html


def test_imports_page_and_navigation_are_for_coordinators_and_the_liaison(world, login):
    response = login(world.users["dc_other"]).get(reverse("imports:index"))
    assert response.status_code == 200
    nav = [item["label"] for item in response.context["nav_entries"]]
    assert "Imports" in nav
    assert [k.slug for k in response.context["kinds"]] == [
        "districts-schools",
        "staff",
        "pairings",
        "assessments",
        "employment",
    ]
    client = login(world.users["liaison"])
    response = client.get(reverse("imports:index"))
    assert [k.slug for k in response.context["kinds"]] == ["enrollments", "credentials"]
    assert "Imports" in [i["label"] for i in response.context["nav_entries"]]
    assert "OneRoster" not in response.content.decode()
    client = login(world.users["teacher"])
    assert client.get(reverse("imports:index")).status_code == 403
    nav = [i["label"] for i in client.get(reverse("pilot:dashboard")).context["nav_entries"]]
    assert "Imports" not in nav


# ---- a kind registered later -----------------------------------------------------------


class CollegeResource(RosterResource):
    """A stand-in for a kind another app registers (pairings, enrollments and grades)."""

    slug = Field(attribute="slug", column_name="college slug", widget=TextWidget(lower=True))
    name = Field(attribute="name", column_name="college name", widget=TextWidget())
    example_row = {"college slug": "dmacc", "college name": "Des Moines Area CC"}

    class Meta(RosterResource.Meta):
        model = College
        fields = ("slug", "name")
        import_id_fields = ("slug",)

    def prefetch(self, dataset):
        self.colleges = {c.slug: c for c in College.objects.all()}

    def find_existing(self, row):
        return self.colleges.get(row["college slug"].lower())

    def describe(self, row):
        return row["college name"]

    def check_row(self, college, row, errors):
        self.require(college, "name", "college name", errors)


def test_a_kind_registered_later_admits_its_users(world, login, monkeypatch):
    kind = ImportKind("colleges", "Colleges", CollegeResource, (Capability.MANAGE_COLLEGE,))
    monkeypatch.setitem(kinds._KINDS, kind.slug, kind)
    client = login(world.users["liaison"])
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200
    assert [k.slug for k in page.context["kinds"]] == ["enrollments", "credentials", "colleges"]
    assert client.get(reverse("imports:template", args=["staff", "csv"])).status_code == 403
    template = client.get(reverse("imports:template", args=["colleges", "csv"]))
    assert template.content.decode("utf-8-sig").splitlines()[0] == "college slug,college name"

    run = upload(
        client,
        "colleges",
        csv_upload(["college slug,college name", "dmacc,Des Moines Area CC", "test-cc,"]),
    )
    assert outcomes(run)[3] == {
        "row": 3,
        "type": "error",
        "label": "",
        "summary": "",
        "changes": [],
        "errors": [["college name", "Required."]],
    }


def test_the_staff_services_message_reaches_the_rows_column(world, login):
    """An email another district's staff member uses: the staff service's message, naming
    them only for a user who may see them, in the email column."""
    from pilot.services.staff import email_in_use_message

    owner = world.para_b
    lines = [
        STAFF_HEADER,
        staff_line("alpha", "Alpha Elementary", "para", "Ann", "Lee", owner.email),
    ]
    for persona, scope in (("pc", None), ("dc_own", frozenset({world.district_a.pk}))):
        run = upload(login(world.users[persona]), "staff", csv_upload(lines))
        message = email_in_use_message(email=owner.email, owner=owner, scope=scope)
        assert outcomes(run)[2]["errors"] == [["email", message]]


def test_import_history_reads_naturally(world, login):
    user = world.users["pc"]
    client = login(user)
    page = client.get(reverse("imports:index")).content.decode()
    assert "You have not imported any files yet." in page
    assert "Your last 0" not in page
    ImportRunFactory(owner=user)
    page = client.get(reverse("imports:index")).content.decode()
    assert "<caption>Your last import</caption>" in page
    ImportRunFactory(owner=user)
    page = client.get(reverse("imports:index")).content.decode()
    assert "<caption>Your last 2 imports</caption>" in page


def test_the_district_is_named_as_people_know_it(world, login):
    """By its name in any case, by its NCES id or by its short code; a code of someone
    else's district says so, an unknown one says what to give."""
    District.objects.filter(pk=world.district_a.pk).update(nces_id="1900001")
    client = login(world.users["dc_own"])
    lines = [
        STAFF_HEADER,
        staff_line("ALPHA  district", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.org"),
        staff_line("1900001", "Alpha Elementary", "teacher", "Bo", "Ray", "bo@a.org"),
        staff_line("alpha", "Alpha Elementary", "teacher", "Cy", "Day", "cy@a.org"),
        staff_line("Beta District", "Beta Elementary", "teacher", "Di", "Fay", "di@b.org"),
        staff_line("Alpha Distric", "Alpha Elementary", "teacher", "Ed", "Go", "ed@a.org"),
        staff_line("", "Alpha Elementary", "teacher", "Fo", "Ho", "fo@a.org"),
    ]
    rows = outcomes(upload(client, "staff", csv_upload(lines)))
    assert [rows[n]["type"] for n in (2, 3, 4)] == ["new", "new", "new"]
    assert rows[5]["errors"] == [["district", "“Beta District” is not one of your districts."]]
    assert rows[6]["errors"] == [["district", f"Unknown district “Alpha Distric”{UNKNOWN}"]]
    assert rows[7]["errors"] == [["district", "Give the district's name or code."]]
    page = client.get(reverse("imports:index")).content.decode()
    assert "slug" not in page.lower()
