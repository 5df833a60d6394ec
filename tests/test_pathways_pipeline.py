"""The pipeline report's figures against hand-computed values, and its suppression: no
withheld figure can be recovered from a total shown on the page or in the CSV."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from pathways import pipeline
from pathways.models import Assessment, CohortStatus, Credential, EmploymentEvent
from pilot.models import School, Staff
from pilot.reporting.tables import TOO_FEW
from tests.factories import (
    CohortFactory,
    DegreePlanFactory,
    PairingFactory,
    ParaFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_cell_withheld_alone_in_a_sum_takes_the_smallest_other_with_it() -> None:
    values = {"total": 20, "a": 3, "b": 9, "c": 8}
    hidden = pipeline.complementary_suppression(values, [("total", ["a", "b", "c"])], primary={"a"})
    assert hidden == {"a", "c"}


def test_suppression_spreads_through_sums_that_share_a_cell() -> None:
    # The cohort's total is withheld in the sum over cohorts; its own districts must then
    # not give it away either.
    values = {"all": 30, "A": 27, "B": 3, "A.x": 20, "A.y": 7}
    sums = [("all", ["A", "B"]), ("A", ["A.x", "A.y"])]
    hidden = pipeline.complementary_suppression(values, sums, primary={"B"})
    assert hidden == {"B", "A", "A.y"}
    for total, parts in sums:
        assert sum(k in hidden for k in [total, *parts]) != 1


@pytest.fixture
def program():
    """Cohort A: six paraprofessionals in Xville (five go all the way to still teaching a
    year after being hired) and three in Yton; cohort B: five new ones in Xville."""
    a = CohortFactory(name="Cohort A", starts_on=date(2024, 8, 1), ends_on=date(2025, 6, 30))
    b = CohortFactory(name="Cohort B", starts_on=date(2025, 8, 1), ends_on=date(2026, 6, 30))
    x = SchoolFactory(district__name="Xville", support_model="para_led")
    y = SchoolFactory(district__name="Yton", support_model="teacher_led")
    by = UserFactory()
    plan = DegreePlanFactory()

    def paired(school, cohort) -> Staff:
        teacher = TeacherFactory(school=school)
        return PairingFactory(
            cohort=cohort, teacher=teacher, paraprofessional=ParaFactory(school=school)
        ).paraprofessional

    xs = [paired(x, a) for _ in range(6)]
    for _ in range(3):
        paired(y, a)
    for _ in range(5):
        paired(x, b)
    for i, para in enumerate(xs[:5]):
        if i < 4:  # a second year
            PairingFactory(cohort=b, teacher=TeacherFactory(school=x), paraprofessional=para)
        else:
            CohortStatus.objects.create(
                para=para, cohort=a, status="completed", recorded_on=a.ends_on, recorded_by=by
            )
        Credential.objects.create(para=para, plan=plan, awarded_on=date(2025, 6, 1), recorded_by=by)
        Assessment.objects.create(
            para=para,
            kind="licensure",
            name="Praxis",
            code="5001",
            taken_on=date(2025, 7, 1),
            passed=True,
            entered_by=by,
        )
        EmploymentEvent.objects.create(
            para=para,
            kind="teacher_of_record",
            district=x.district,
            school=x,
            occurred_on=date(2025, 8, 15),
            recorded_by=by,
        )
        EmploymentEvent.objects.create(
            para=para,
            kind="yearly_check",
            district=x.district,
            occurred_on=date(2026, 6, 1),
            still_teaching=True,
            check_year=2027,
            recorded_by=by,
        )
    Assessment.objects.create(
        para=xs[5],
        kind="licensure",
        name="Praxis",
        code="5001",
        taken_on=date(2025, 7, 1),
        passed=False,
        entered_by=by,
    )
    return a, b


def _rows(table) -> dict[tuple[str, str], list[str]]:
    return {(str(r[0]), str(r[1])): [str(c) for c in r[2:]] for r in table.rows}


def test_funnel_figures_match_hand_counts(program) -> None:
    report = pipeline.build(Staff.objects.all())
    funnel = {str(r[0]): str(r[1]) for r in report.funnel.table.rows}
    assert funnel == {
        "Started": "14",
        "Second year or completed": "5",
        "Earned a credential": "5",
        "Passed a licensure assessment": "5",
        "Became a teacher of record": "5",
        "Still teaching 1 year later": "5",
        "Still teaching 3 years later": "0",
    }
    rows = _rows(report.districts.table)
    assert rows[("Cohort A", "All")] == ["9", "5", "5", "5", "5", "5", "0"]
    assert rows[("Cohort B", "Xville")] == ["5", "0", "0", "0", "0", "0", "0"]
    # Yton's three are withheld, and so Xville's row beside them (else 9 − 6 = 3).
    assert rows[("Cohort A", "Yton")] == [TOO_FEW] * 7
    assert rows[("Cohort A", "Xville")][0] == TOO_FEW
    medians = _rows(report.medians)
    # 304, 334 and 379 days from August 1, 2024, in months of 30.44 days.
    assert medians[("Cohort A", "All")] == ["10.0", "11.0", "12.5"]
    assert medians[("Cohort A", "Xville")] == ["10.0", "11.0", "12.5"]
    assert medians[("Cohort A", "Yton")] == ["—", "—", "—"]
    para_led = dict(School.SupportModel.choices)["para_led"]
    assert medians[("Cohort A", para_led)] == ["10.0", "11.0", "12.5"]
    assert medians[("Cohort B", "All")] == ["—", "—", "—"]


def _recoverable(table) -> list[str]:
    """Columns of a cohort in which exactly one of the groups and the total is withheld."""
    problems = []
    by_cohort: dict[str, list] = {}
    for row in table.rows:
        by_cohort.setdefault(str(row[0]), []).append(row)
    for cohort, rows in by_cohort.items():
        for column in range(2, len(table.columns)):
            withheld = [r for r in rows if r[column].suppressed]
            if len(withheld) == 1:
                problems.append(f"{cohort}: {table.columns[column]} ({withheld[0][1]})")
    return problems


def test_no_withheld_cell_can_be_worked_out_from_the_totals(program) -> None:
    report = pipeline.build(Staff.objects.all())
    assert not _recoverable(report.districts.table)
    assert not _recoverable(report.support_models.table)


def test_the_csv_withholds_the_same_cells(program, client) -> None:
    from tests.factories import RoleAssignmentFactory

    coordinator = RoleAssignmentFactory().user
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("pathways:pipeline-csv", args=["pipeline-districts"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    yton = next(r for r in rows if r[:2] == ["Cohort A", "Yton"])
    xville = next(r for r in rows if r[:2] == ["Cohort A", "Xville"])
    assert yton[2:] == [TOO_FEW] * 7 and xville[2] == TOO_FEW
    page = client.get(reverse("pathways:pipeline"))
    assert "the next smallest figure of the same total is withheld too" in page.content.decode()
    assert b"<svg" in page.content


def test_the_pilot_report_and_its_csv_carry_the_cohorts_pipeline(program, client) -> None:
    from tests.factories import RoleAssignmentFactory

    a, _ = program
    client.force_login(
        RoleAssignmentFactory().user, backend="django.contrib.auth.backends.ModelBackend"
    )
    page = client.get(reverse("reports:pilot"), {"cohort": a.uuid})
    assert "From pilot year to teaching career" in page.content.decode()
    response = client.get(reverse("reports:pilot-table-csv", args=["pipeline"]), {"cohort": a.uuid})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1:] == [
        ["Started", "9"],
        ["Second year or completed", "5"],
        ["Earned a credential", "5"],
        ["Passed a licensure assessment", "5"],
        ["Became a teacher of record", "5"],
        ["Still teaching 1 year later", "5"],
        ["Still teaching 3 years later", "0"],
    ]
    pdf = client.get(reverse("reports:pilot-pdf"), {"cohort": a.uuid})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from tests.test_escaping import pdf_text

    # pdf_text drops the spaces: the funnel's rows with their figures are in the PDF.
    assert "Becameateacherofrecord5" in pdf_text(pdf.content)


@pytest.mark.parametrize("scale", [1, 10])
def test_pipeline_page_queries_stay_flat(client, django_assert_max_num_queries, scale) -> None:
    from tests.factories import RoleAssignmentFactory

    by = UserFactory()
    for n in range(scale):
        cohort = CohortFactory(
            name=f"Cohort {n}", starts_on=date(2015 + n, 8, 1), ends_on=date(2016 + n, 6, 30)
        )
        school = SchoolFactory()
        for _ in range(2):
            para = PairingFactory(
                cohort=cohort, teacher=TeacherFactory(school=school)
            ).paraprofessional
            EmploymentEvent.objects.create(
                para=para,
                kind="teacher_of_record",
                district=school.district,
                school=school,
                occurred_on=date(2016 + n, 8, 15),
                recorded_by=by,
            )
    client.force_login(
        RoleAssignmentFactory().user, backend="django.contrib.auth.backends.ModelBackend"
    )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("pathways:pipeline"))
    assert response.status_code == 200
    assert response.content.decode().count("Cohort ") >= scale


def _funnel(client) -> dict[str, str]:
    page = client.get(reverse("pathways:pipeline"))
    assert page.status_code == 200
    return {str(r[0]): str(r[1]) for r in page.context["report"].funnel.table.rows}


def test_cached_figures_show_a_new_pairing_and_milestone_on_the_next_load(program, client) -> None:
    """The figures are cached per scope until the next write: a warm load reads fewer
    queries, a new pairing or a new credential shows at once, and a district coordinator
    gets their districts' figures, not the program's cached ones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pilot.models import RoleAssignment
    from tests.factories import RoleAssignmentFactory

    _, b = program
    client.force_login(
        RoleAssignmentFactory().user, backend="django.contrib.auth.backends.ModelBackend"
    )
    with CaptureQueriesContext(connection) as cold:
        assert _funnel(client)["Started"] == "14"
    with CaptureQueriesContext(connection) as warm:
        assert _funnel(client)["Started"] == "14"
    assert len(warm) < len(cold)

    x = School.objects.get(district__name="Xville")
    para = PairingFactory(
        cohort=b, teacher=TeacherFactory(school=x), paraprofessional=ParaFactory(school=x)
    ).paraprofessional
    assert _funnel(client)["Started"] == "15"
    Credential.objects.create(
        para=para, plan=DegreePlanFactory(), awarded_on=date(2026, 6, 1), recorded_by=UserFactory()
    )
    assert _funnel(client)["Earned a credential"] == "6"

    client.force_login(
        RoleAssignmentFactory(
            role=RoleAssignment.Role.DISTRICT_COORDINATOR, district=x.district
        ).user,
        backend="django.contrib.auth.backends.ModelBackend",
    )
    # Xville's own: cohort A's six and cohort B's six, not the program's fifteen.
    assert _funnel(client)["Started"] == "12"
