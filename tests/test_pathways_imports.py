"""Milestone imports: each bad row named with the service's message, nothing written from
a file with a bad row, a good file written through the services, re-import unchanged."""

from datetime import date

import pytest
from django.urls import reverse

from pathways.models import Assessment, Credential, EmploymentEvent
from pilot.imports.kinds import get_kind
from pilot.models import ImportRun

from .authz.mentoring_rows import pairing
from .factories import DegreePlanFactory
from .test_imports import csv_upload, outcomes, upload

pytestmark = pytest.mark.django_db

ASSESSMENTS = "district,paraprofessional,paraprofessional name,kind,assessment,code,date,passed"


def errors_of(run) -> dict[int, list]:
    return {n: r["errors"] for n, r in outcomes(run).items() if r["type"] == "error"}


def test_kinds_belong_to_who_records_them(world) -> None:
    assert get_kind("assessments").allows(world.users["dc_own"])
    assert not get_kind("assessments").allows(world.users["liaison"])
    assert get_kind("credentials").allows(world.users["liaison"])
    assert not get_kind("credentials").allows(world.users["pc"])


def test_assessment_file_with_bad_rows_writes_nothing(world, login) -> None:
    pairing(world)
    para = world.para
    client = login(world.users["dc_own"])
    run = upload(
        client,
        "assessments",
        csv_upload(
            [
                ASSESSMENTS,
                f"alpha,{para.email},,licensure,Praxis Elementary,5001,2026-09-01,yes",
                f"alpha,{para.email},,licensure,Praxis Elementary,5002,2020-01-01,no",
                f"alpha,{para.email},,licensure,Praxis Elementary,5003,2026-09-02,maybe",
                f"alpha,{world.para_b.email},,licensure,Praxis,5001,2026-09-01,yes",
                f"beta,{world.para_b.email},,licensure,Praxis,5001,2026-09-01,yes",
            ],
            "assessments.csv",
        ),
    )
    errors = errors_of(run)
    assert set(errors) == {3, 4, 5, 6}, errors
    text = repr(errors)
    assert "first cohort began" in text
    assert "is not yes or no" in text
    assert "Unknown person" in text and "Unknown district" not in repr(errors[5])
    response = client.post(reverse("imports:confirm", args=[run.uuid]))
    assert response.status_code in (200, 302)
    assert not Assessment.objects.exists()


def test_good_assessment_and_employment_files_write_through_the_services(world, login) -> None:
    pairing(world)
    para = world.para
    client = login(world.users["pc"])
    lines = [ASSESSMENTS, f"alpha,{para.email},,licensure,Praxis Elementary,5001,2026-09-01,yes"]
    run = upload(client, "assessments", csv_upload(lines, "a.csv"))
    assert not errors_of(run)
    client.post(reverse("imports:confirm", args=[run.uuid]))
    saved = Assessment.objects.get()
    assert saved.passed and saved.verified_by == world.users["pc"]
    assert saved.history.count() == 1
    # The same file again changes nothing.
    again = upload(client, "assessments", csv_upload(lines, "a.csv"))
    assert {r["type"] for r in outcomes(again).values()} == {"unchanged"}

    header = (
        "district,paraprofessional,paraprofessional name,event,school,date,"
        "still teaching,school year ending"
    )
    run = upload(
        client,
        "employment",
        csv_upload(
            [
                header,
                f"alpha,{para.email},,teacher_of_record,{world.school_a.name},2026-10-01,,",
                f"alpha,{para.email},,yearly_check,,2026-10-02,yes,20x7",
            ],
            "e.csv",
        ),
    )
    errors = errors_of(run)
    assert list(errors) == [3]
    assert not EmploymentEvent.objects.exists()
    assert ImportRun.objects.filter(kind="employment").exists()


def test_credential_import_needs_the_exception_reason(world, login) -> None:
    pairing(world)
    DegreePlanFactory(college=world.college, name="Para Certificate")
    client = login(world.users["liaison"])
    from .authz.coursework_rows import cw

    cw(world, "enrollment")  # the para studies at the liaison's college
    header = "district,paraprofessional,paraprofessional name,plan,date awarded,exception reason"
    row = f"alpha,{world.para.email},,Para Certificate,2026-10-01,"
    run = upload(client, "credentials", csv_upload([header, row], "c.csv"))
    assert "give the reason for the exception" in repr(errors_of(run))
    run = upload(client, "credentials", csv_upload([header, row + "Prior degree"], "c.csv"))
    assert not errors_of(run)
    client.post(reverse("imports:confirm", args=[run.uuid]))
    assert Credential.objects.get().exception_reason == "Prior degree"
    assert date(2026, 10, 1) == Credential.objects.get().awarded_on


def test_exported_assessments_import_back_unchanged(world, login) -> None:
    pairing(world)
    client = login(world.users["pc"])
    lines = [ASSESSMENTS, f"alpha,{world.para.email},,licensure,Praxis,5001,2026-09-01,no"]
    run = upload(client, "assessments", csv_upload(lines, "a.csv"))
    client.post(reverse("imports:confirm", args=[run.uuid]))
    export = client.get(reverse("pathways:milestone-export", args=["assessments", "csv"]))
    content = export.content.decode("utf-8-sig")
    assert content.splitlines()[0] == ASSESSMENTS
    again = upload(
        client,
        "assessments",
        csv_upload(content.strip().splitlines(), "assessments.csv"),
    )
    assert {r["type"] for r in outcomes(again).values()} == {"unchanged"}
    liaison = login(world.users["liaison"])
    url = reverse("pathways:milestone-export", args=["assessments", "csv"])
    assert liaison.get(url).status_code == 403
