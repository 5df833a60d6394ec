"""A paraprofessional's progress page, plan declaration, modules, transcripts, the mentor
rule, the coordinators' report and the dashboards."""

import csv
import io
import re
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from coursework.access import LEARNERS
from coursework.models import ModuleCompletion, PlanDeclaration
from pilot.models import AuditEntry, Staff
from tests import factories
from tests.factories import (
    CourseFactory,
    DegreePlanFactory,
    EnrollmentFactory,
    ModuleFactory,
    OfferingFactory,
    ParaFactory,
    RequirementBlockFactory,
    TransferCreditFactory,
)
from tests.pdf_layout import off_the_paper, words

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's visible words, whitespace collapsed."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: enough to find its title and bookmarks."""
    out = b""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    return out


@pytest.fixture
def studies(world):
    """world.para: EDU 101 passed (A), EDU 102 failed, EDU 103 in progress with two modules
    (one done), verified transfer credit (3) and unverified (3); a 12-credit plan with a
    6-credit core (EDU 101-103) and 6 credits of electives, declared."""
    college = world.college
    c1, c2, c3 = (
        CourseFactory(college=college, code=f"EDU 10{n}", title=f"Course {n}") for n in (1, 2, 3)
    )
    past = dict(cohort=world.cohort, starts_on=date(2026, 1, 5), ends_on=date(2026, 5, 1))
    EnrollmentFactory(para=world.para, offering=OfferingFactory(course=c1, **past), grade="A")
    EnrollmentFactory(para=world.para, offering=OfferingFactory(course=c2, **past), grade="F")
    current = OfferingFactory(
        course=c3, cohort=world.cohort, starts_on=date(2026, 8, 24), ends_on=date(2027, 5, 1)
    )
    open_enrollment = EnrollmentFactory(para=world.para, offering=current)
    m1 = ModuleFactory(offering=current, order=1, title="Orientation")
    m2 = ModuleFactory(offering=current, order=2, title="Small groups")
    ModuleCompletion.objects.create(
        enrollment=open_enrollment, module=m1, completed_on=date.today()
    )
    TransferCreditFactory(
        para=world.para, college=college, course_title="Speech", verified_at="2026-09-01T12:00Z"
    )
    TransferCreditFactory(para=world.para, college=college, course_title="Algebra")
    plan = DegreePlanFactory(college=college, name="Para Certificate", total_credits=Decimal(12))
    RequirementBlockFactory(
        plan=plan, name="Core", credits_required=Decimal(6), order=1, courses=[c1, c2, c3]
    )
    RequirementBlockFactory(
        plan=plan, name="Electives", credits_required=Decimal(6), order=2, is_open=True
    )
    PlanDeclaration.objects.create(para=world.para, plan=plan, declared_on=date(2026, 8, 1))
    other = DegreePlanFactory(college=college, name="Big Degree", total_credits=Decimal(60))
    RequirementBlockFactory(
        plan=other, name="Everything", credits_required=Decimal(60), is_open=True
    )
    return {"enrollment": open_enrollment, "modules": (m1, m2), "plan": plan, "other": other}


def test_para_sees_credit_toward_declared_plan(world, login, studies):
    response = login(world.users["para"]).get(reverse("coursework:progress"))
    assert response.status_code == 200
    page = text(response)
    assert "Toward Para Certificate" in page
    assert "6 of 12 credits earned (50%), 3 in progress, 3 still to plan." in page
    assert "Core 3 of 6 credits earned, 3 in progress, 0 remaining" in page
    assert "Electives 3 of 6 credits earned, 0 in progress, 3 remaining" in page
    assert "1 of 2 modules done" in page
    html = response.content.decode()
    assert '<progress aria-labelledby="plan-overall" value="6.0" max="12.0">' in html
    assert "style=" not in html  # the CSP forbids inline styles


def test_what_if_counts_the_same_credit_under_another_plan(world, login, studies):
    response = login(world.users["para"]).get(
        reverse("coursework:progress"), {"plan": studies["other"].uuid}
    )
    page = text(response)
    assert "Under Big Degree" in page
    assert "6 of 60 credits earned (10%), 3 in progress, 51 still to plan." in page
    # The declared plan is unchanged.
    assert PlanDeclaration.objects.get(para=world.para).plan == studies["plan"]


def test_para_declares_a_plan(world, login, studies):
    client = login(world.users["para"])
    response = client.post(reverse("coursework:declare-plan"), {"plan": studies["other"].uuid})
    assert response.status_code == 302
    assert PlanDeclaration.objects.get(para=world.para).plan == studies["other"]
    assert PlanDeclaration.history.filter(para_id=world.para.pk).count() == 2


def test_para_marks_a_module_done_and_not_done(world, login, studies):
    client = login(world.users["para"])
    enrollment, (m1, m2) = studies["enrollment"], studies["modules"]
    url = reverse("coursework:module-done", args=[enrollment.uuid, m2.uuid])
    assert client.post(url, {"done": "true"}).status_code == 302
    assert set(enrollment.completions.values_list("module_id", flat=True)) == {m1.pk, m2.pk}
    assert client.post(url, {"done": "false"}).status_code == 302
    assert set(enrollment.completions.values_list("module_id", flat=True)) == {m1.pk}


def test_para_cannot_mark_anothers_module(world, login, studies):
    other = EnrollmentFactory(para=ParaFactory(school=world.school_a))
    module = ModuleFactory(offering=other.offering)
    url = reverse("coursework:module-done", args=[other.uuid, module.uuid])
    assert login(world.users["para"]).post(url, {"done": "true"}).status_code == 404
    # Nor a module of another offering through their own enrollment.
    url = reverse("coursework:module-done", args=[studies["enrollment"].uuid, module.uuid])
    assert login(world.users["para"]).post(url, {"done": "true"}).status_code == 404
    assert not ModuleCompletion.objects.filter(module=module).exists()


def test_para_opens_own_progress_by_uuid_but_not_anothers(world, login):
    client = login(world.users["para"])
    own = reverse("coursework:progress-for", args=[world.para.uuid])
    assert client.get(own).status_code == 200
    other = ParaFactory(school=world.school_a)
    assert client.get(reverse("coursework:progress-for", args=[other.uuid])).status_code == 404
    transcript = reverse("coursework:transcript", args=[other.uuid])
    assert client.get(transcript).status_code == 404


def test_coordinator_in_scope_opens_progress(world, login, studies):
    url = reverse("coursework:progress-for", args=[world.para.uuid])
    response = login(world.users["dc_own"]).get(url)
    assert response.status_code == 200
    page = text(response)
    assert f"Progress of {world.para.full_name}" in page
    assert "Mark done" not in page  # only the paraprofessional marks modules
    assert login(world.users["dc_other"]).get(url).status_code == 404


def test_mentor_opens_progress_other_teachers_get_404(world, login):
    url = reverse("coursework:progress-for", args=[world.para.uuid])
    factories.PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    assert login(world.users["teacher"]).get(url).status_code == 200
    assert world.para in LEARNERS.visible(world.users["teacher"])
    other_teacher = world.teacher_b
    other_user = other_teacher.user
    assert world.para not in LEARNERS.visible(other_user)
    assert login(other_user).get(url).status_code == 404


def test_transcript_page_csv_and_pdf_are_logged(world, login, studies):
    Staff.objects.filter(pk=world.para.pk).update(first_name="Ana", last_name="Lee")
    client = login(world.users["dc_own"])
    uuid = world.para.uuid

    page = client.get(reverse("coursework:transcript", args=[uuid]))
    assert page.status_code == 200
    assert "EDU 101" in text(page)

    response = client.get(reverse("coursework:transcript-csv", args=[uuid]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="transcript-ana-lee-{str(uuid)[:8]}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_code = {r["code"]: r for r in rows if r["kind"] == "course"}
    assert by_code["EDU 101"]["grade"] == "A"
    assert by_code["EDU 101"]["credits_earned"] == "3.0"
    assert by_code["EDU 102"]["credits_earned"] == "0"
    transfers = {r["title"]: r["status"] for r in rows if r["kind"] == "transfer"}
    assert transfers == {"Speech": "verified", "Algebra": "awaiting verification"}

    response = client.get(reverse("coursework:transcript-pdf", args=[uuid]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    inside = pdf_text(response.content)
    assert b"/Title (Unofficial transcript of Ana Lee)" in inside  # the document's title
    assert b"/Title (Transfer credit)" in inside  # a heading, as a PDF bookmark

    entries = AuditEntry.objects.filter(actor=world.users["dc_own"]).order_by("at")
    assert [e.action for e in entries] == [
        AuditEntry.Action.TRANSCRIPT,
        AuditEntry.Action.EXPORT,
        AuditEntry.Action.PDF,
    ]
    assert all(str(uuid) in e.subject for e in entries)


def test_transcript_pdf_keeps_rows_whole_and_says_it_is_unofficial(world, login):
    Staff.objects.filter(pk=world.para.pk).update(first_name="Ana", last_name="Lee")
    world.college.name = "Riverbend Community College"
    world.college.save()
    for n in range(1, 31):  # enough long rows to run over two pages
        course = CourseFactory(
            college=world.college,
            code=f"EDU {100 + n}",
            title=f"Reading and writing across the content areas in small groups, end{n}",
        )
        EnrollmentFactory(para=world.para, offering=OfferingFactory(course=course, term="Fall"))
    client = login(world.users["dc_own"])
    response = client.get(reverse("coursework:transcript-pdf", args=[world.para.uuid]))
    assert response["Content-Disposition"].startswith('attachment; filename="transcript-ana-lee-')
    pdf = response.content
    assert off_the_paper(pdf) == []
    found = words(pdf)
    pages = sorted({w.page for w in found})
    assert len(pages) > 1
    first = " ".join(w.text for w in found if w.page == 1)
    assert first.lower().startswith("riverbend community college unofficial transcript")
    for page in pages:
        assert "Unofficial transcript" in " ".join(w.text for w in found if w.page == page)
    assert "EDU" not in {w.text for w in found}  # codes stay on one line, not "EDU" / "101"
    for n in range(1, 31):
        code = f"EDU {100 + n}"
        row = next(w.page for w in found if w.text == code or w.text.startswith(f"{code} "))
        end = next(w.page for w in found if w.text.endswith(f"end{n}"))
        assert end == row, f"row {n} split across pages"


def test_csv_neutralises_formulas(world, login):
    TransferCreditFactory(
        para=world.para, course_title="=HYPERLINK(1)", verified_at="2026-09-01T12:00Z"
    )
    response = login(world.users["para"]).get(
        reverse("coursework:transcript-csv", args=[world.para.uuid])
    )
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_transfer_credit_claim_by_para_waits_for_verification(world, login):
    client = login(world.users["para"])
    response = client.post(
        reverse("coursework:transfer-create"),
        {
            "college": world.college.pk,
            "institution": "State University",
            "course_title": "Statistics",
            "credit_hours": "3",
            "completed_on": "2024-05-01",
        },
    )
    assert response.status_code == 302
    credit = world.para.transfer_credits.get()
    assert not credit.is_verified
    response = client.post(
        reverse("coursework:transfer-create"),
        {"college": world.college.pk, "institution": "X", "course_title": "Y", "credit_hours": "0"},
    )
    assert response.status_code == 200
    assert world.para.transfer_credits.count() == 1


def test_report_counts_per_district_and_hides_small_groups(world, login):
    course = CourseFactory(college=world.college)
    offering = OfferingFactory(course=course, cohort=world.cohort)
    for n in range(5):
        para = ParaFactory(school=world.school_a)
        EnrollmentFactory(para=para, offering=offering, grade="B" if n < 3 else "F")
    EnrollmentFactory(para=world.para_b, offering=offering, grade="A")  # one person in B

    response = login(world.users["pc"]).get(reverse("coursework:report"))
    page = text(response)
    assert "Alpha District 2026–2027 Pilot 5 5 5 3 0 9" in page
    assert "Beta District 2026–2027 Pilot Too few to report" in page

    page = text(login(world.users["dc_own"]).get(reverse("coursework:report")))
    assert "Alpha District" in page
    assert "Beta District" not in page


def test_liaison_dashboard_lists_offerings_waiting_for_grades(world, login):
    course = CourseFactory(college=world.college, code="EDU 150", title="MTSS")
    ended = OfferingFactory(
        course=course, cohort=world.cohort, starts_on=date(2025, 8, 1), ends_on=date(2025, 10, 1)
    )
    EnrollmentFactory(para=world.para, offering=ended)
    graded = OfferingFactory(
        course=CourseFactory(college=world.college, code="EDU 151", title="Graded"),
        cohort=world.cohort,
        starts_on=date(2025, 8, 1),
        ends_on=date(2025, 10, 1),
    )
    EnrollmentFactory(para=world.para, offering=graded, grade="A")
    page = text(login(world.users["liaison"]).get(reverse("pilot:dashboard")))
    assert "Offerings waiting for grades" in page
    assert "EDU 150 MTSS" in page
    assert "1 enrollment without a final grade" in page
    assert "EDU 151" not in page


def test_para_dashboard_shows_credits_toward_plan(world, login, studies):
    page = text(login(world.users["para"]).get(reverse("pilot:dashboard")))
    assert "Credits toward Para Certificate" in page
    assert "6 of 12 credits earned, 3 in progress, 3 still to plan." in page


def test_mentor_dashboard_links_to_each_mentees_progress(world, login, studies):
    factories.PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    response = login(world.users["teacher"]).get(reverse("pilot:dashboard"))
    page = text(response)
    assert "College credit of the paraprofessionals I mentor" in page
    assert (  # 6: EDU 101 and the verified transfer credit, as on the transcript
        f"{world.para.last_name} : 6 credits earned, 1 course in progress, "
        "toward Para Certificate" in page
    )
    assert reverse("coursework:progress-for", args=[world.para.uuid]) in response.content.decode()
    # A teacher who mentors no one has no such panel.
    other = login(world.teacher_b.user).get(reverse("pilot:dashboard"))
    assert "College credit of the paraprofessionals I mentor" not in text(other)


def test_credits_earned_is_the_same_figure_on_the_list_and_the_transcript(world, login):
    """Passed courses (a course passed twice counts once) and verified transfer credit;
    not failed courses, courses in progress or transfer credit awaiting verification."""
    Staff.objects.filter(pk=world.para.pk).update(first_name="Ana", last_name="Lee")
    course = CourseFactory(college=world.college, code="EDU 101", credit_hours=Decimal("3"))
    for grade in ("C", "A"):
        EnrollmentFactory(para=world.para, offering=OfferingFactory(course=course), grade=grade)
    EnrollmentFactory(para=world.para, grade="F")
    EnrollmentFactory(para=world.para)  # in progress
    verified = TransferCreditFactory(para=world.para, credit_hours=Decimal("2"))
    verified.verified_at = "2026-09-01T12:00Z"
    verified.save()
    TransferCreditFactory(para=world.para, credit_hours=Decimal("4"))  # not yet verified
    client = login(world.users["pc"])
    listing = text(client.get(reverse("coursework:learner-list"), {"q": "Lee"}))
    transcript = text(client.get(reverse("coursework:transcript", args=[world.para.uuid])))
    assert "Credits earned" in listing and "College credits earned" not in listing
    assert "Lee, Ana Alpha District · Alpha Elementary — 5 1" in listing  # 5 earned, 1 open
    assert "Credits earned 5 (3 in progress)" in transcript
