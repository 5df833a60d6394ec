"""/reports/ and /reports/pilot/: figures against hand-computed values on a small fixed
pilot (tests/report_data.py), the small-group rule, scope, CSV downloads and the PDF."""

import csv
import io
import re
import zlib
from datetime import date

import pytest
from django.urls import reverse

from pilot.models import AuditEntry
from pilot.reporting.tables import TOO_FEW

from .factories import (
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    ObservationFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
)
from .pdf_layout import off_the_paper, page_sizes, words
from .report_data import APPROVED_QUOTE, APPROVED_QUOTE_B, PENDING_QUOTE, build_small_pilot

pytestmark = pytest.mark.django_db

TF = TOO_FEW


@pytest.fixture
def pilot(world):
    return build_small_pilot(world)


def text(response) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def tables(response) -> dict[str, list[list[str]]]:
    """The report's tables as the page shows them (and the CSV holds them)."""
    return {s.table.slug: list(s.table.as_text_rows())[1:] for s in response.context["sections"]}


def rows_by_label(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows}


def report(client, **query):
    response = client.get(reverse("reports:index"), query)
    assert response.status_code == 200
    return response


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- the coordinators' report -----------------------------------------------------------


def test_defaults_to_the_latest_cohort_with_end_of_pilot_forms(world, login, pilot):
    CohortFactory(name="Pilot 2027", starts_on=date(2027, 8, 1), ends_on=date(2028, 6, 30))
    response = report(login(world.users["pc"]))
    assert response.context["data"].cohort == pilot.cohort
    page = text(response)
    assert "Showing Pilot 2025 , all districts." in page
    assert "the most recent cohort with end-of-pilot observations" in page


def test_growth_by_domain_and_indicator(world, login, pilot):
    found = tables(report(login(world.users["pc"])))
    # Seven pairings with both forms: A's five (baseline 2) and B's two (baseline 1).
    assert rows_by_label(found["growth-by-domain"]) == {
        "Classroom Support": ["7", "1.71", "2.86", "+1.14"],
        "Engagement with the Profession": ["7", "1.71", "2.86", "+1.14"],
        "Classroom Management": ["7", "1.71", "2.29", "+0.57"],
    }
    indicators = found["growth-by-indicator"]
    assert len(indicators) == 9
    targets = rows_by_label(indicators)["States clear learning targets"]
    assert targets == ["Classroom Support", "7", "1.71", "2.86", "+1.14"]
    monitors = rows_by_label(indicators)["Monitors activities and behaviour continuously"]
    assert monitors == ["Classroom Management", "7", "1.71", "2.29", "+0.57"]


def test_growth_by_district_and_support_model_hide_small_groups(world, login, pilot):
    found = tables(report(login(world.users["pc"])))
    assert rows_by_label(found["growth-by-district"]) == {
        "Alpha District": ["5", "2.00", "3.02", "+1.02"],
        "Beta District": [TF, TF, TF, TF],  # two pairings
    }
    assert rows_by_label(found["growth-by-support-model"]) == {
        "Paraprofessionals lead small-group intervention": ["6", "1.67", "2.52", "+0.85"],
        "Teachers take intervention; paraprofessionals oversee independent work": [TF] * 4,
    }


def test_growth_next_to_coursework(world, login, pilot):
    found = rows_by_label(tables(report(login(world.users["pc"])))["growth-and-coursework"])
    # CS: P1–P5 passed a CS course of this cohort; P6 (a D) and P7 (another cohort's
    # course) did not. Two is too few, and with the indicator's total of seven shown, the
    # five beside them would give the two away: both are withheld.
    assert found["States clear learning targets"] == ["Classroom Support", TF, TF, TF, TF]
    # Nobody took an EN or CM course: the seven who did not are everyone.
    assert found["Focuses on each student's needs"] == [
        "Engagement with the Profession",
        TF,
        TF,
        "7",
        "+1.14",
    ]
    assert found["Supports Tier 1 instruction as the teacher directs"][1:] == [TF, TF, "7", "+0.57"]


def test_growth_next_to_coursework_with_two_reportable_groups(world, login):
    """Ten pairings in Alpha, baseline 2: five passed a CS course and reached 4 in CS
    (+2.00); five did not and reached 3 (+1.00)."""
    cohort = CohortFactory(name="Pilot 2025", starts_on=date(2025, 8, 1), ends_on=date(2026, 6, 30))
    course = CourseFactory(college=world.college)
    course.target_domains.create(domain="classroom_support")
    offering = OfferingFactory(course=course, cohort=cohort)
    for n in range(10):
        took = n < 5
        pairing = PairingFactory(
            cohort=cohort,
            teacher=world.teacher,
            paraprofessional=ParaFactory(school=world.school_a),
        )
        ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
        ObservationFactory(pairing=pairing, kind="end", scores=4 if took else 3, submitted=True)
        EnrollmentFactory(
            para=pairing.paraprofessional, offering=offering, grade="B" if took else "F"
        )
    found = rows_by_label(tables(report(login(world.users["pc"])))["growth-and-coursework"])
    assert found["States clear learning targets"] == [
        "Classroom Support",
        "5",
        "+2.00",
        "5",
        "+1.00",
    ]
    assert found["Focuses on each student's needs"][1:] == [TF, TF, "10", "+1.50"]


def test_coursework_mentoring_and_completion(world, login, pilot):
    found = tables(report(login(world.users["pc"])))
    assert rows_by_label(found["coursework-by-district"]) == {
        "Alpha District": ["5", "5", "5", "5", "15.0"],
        "Beta District": [TF] * 5,  # one paraprofessional enrolled
    }
    assert rows_by_label(found["mentoring-by-month"]) == {
        "Sep 2025": ["5", "5", "150"],
        "Oct 2025": [TF, TF, TF],
    }
    # Completion counts forms (the ended-early pairing owes none): not suppressed.
    assert rows_by_label(found["observation-completion"]) == {
        "Alpha District": ["6", "6", "0", "5", "100%", "83%"],
        "Beta District": ["2", "2", "0", "2", "100%", "100%"],
    }


def test_small_groups_never_show_a_number_in_charts(world, login, pilot):
    response = report(login(world.users["pc"]))
    html = response.content.decode()
    district = html[html.index('id="growth-by-district"') :]
    district = district[: district.index("</section>")]
    svg = district[district.index("<svg") : district.index("</svg>")]
    assert "Beta District" in svg and TF in svg
    assert svg.count("<rect") == 1  # Alpha's bar only


def test_a_chosen_cohort_with_no_data_says_so(world, login, pilot):
    response = report(login(world.users["pc"]), cohort=world.cohort.uuid)
    assert response.context["data"].cohort == world.cohort
    found = tables(response)
    assert found["growth-by-domain"] == []
    assert "No figures yet for this cohort." in text(response)
    assert "most recent cohort" not in text(response)


# --- scope ------------------------------------------------------------------------------


def test_district_coordinator_sees_only_their_district(world, login, pilot):
    response = report(login(world.users["dc_own"]))
    found = tables(response)
    assert rows_by_label(found["growth-by-domain"]) == {
        "Classroom Support": ["5", "2.00", "3.20", "+1.20"],
        "Engagement with the Profession": ["5", "2.00", "3.20", "+1.20"],
        "Classroom Management": ["5", "2.00", "2.40", "+0.40"],
    }
    for slug, rows in found.items():
        assert all("Beta" not in row[0] for row in rows), slug
    assert [r[0] for r in found["growth-by-district"]] == ["Alpha District"]
    assert rows_by_label(found["mentoring-by-month"]) == {"Sep 2025": ["5", "5", "150"]}
    assert "Beta District" not in response.content.decode()
    # Choices come from their scope only.
    choices = [c[1] for c in response.context["form"].fields["district"].choices]
    assert choices == ["All my districts", "Alpha District"]


def test_another_districts_coordinator_cannot_pick_it(world, login, pilot):
    client = login(world.users["dc_other"])
    response = report(client, district="alpha")
    page = text(response)
    assert "Select a valid choice" in page
    assert "Alpha District" not in response.content.decode()
    found = tables(response)
    assert [r[0] for r in found["growth-by-district"]] == ["Beta District"]
    assert rows_by_label(found["growth-by-domain"])["Classroom Support"] == [TF] * 4
    csv_url = reverse("reports:table-csv", args=["growth-by-district"])
    assert client.get(csv_url, {"district": "alpha"}).status_code == 404
    rows = csv_rows(client.get(csv_url))
    assert [r[0] for r in rows[1:]] == ["Beta District"]


def test_program_coordinator_filters_by_district(world, login, pilot):
    found = tables(report(login(world.users["pc"]), district="beta"))
    assert [r[0] for r in found["growth-by-district"]] == ["Beta District"]
    assert rows_by_label(found["growth-by-domain"])["Classroom Support"] == [TF] * 4


# --- CSV --------------------------------------------------------------------------------


def test_every_table_downloads_as_csv_and_is_logged(world, login, pilot):
    client = login(world.users["pc"])
    response = report(client)
    slugs = [s.table.slug for s in response.context["sections"]]
    html = response.content.decode()
    for slug in slugs:
        url = reverse("reports:table-csv", args=[slug])
        assert f'href="{url}?cohort={pilot.cohort.uuid}"' in html
        rows = csv_rows(client.get(url, {"cohort": pilot.cohort.uuid}))
        page_table = next(s.table for s in response.context["sections"] if s.table.slug == slug)
        assert rows == list(page_table.as_text_rows())
        assert f'filename="{slug}.csv"' in client.get(url)["Content-Disposition"]
    entries = AuditEntry.objects.filter(actor=world.users["pc"], action=AuditEntry.Action.EXPORT)
    assert entries.count() == 2 * len(slugs)
    assert "Pilot 2025" in entries.first().detail
    assert client.get(reverse("reports:table-csv", args=["nope"])).status_code == 404


def test_csv_cells_that_look_like_formulas_are_neutralised(world, login, pilot):
    world.district_a.name = "=HYPERLINK(1)"
    world.district_a.save()
    rows = csv_rows(
        login(world.users["pc"]).get(reverse("reports:table-csv", args=["growth-by-district"]))
    )
    assert ["'=HYPERLINK(1)", "5", "2.00", "3.02", "+1.02"] in rows


# --- the end-of-pilot report ------------------------------------------------------------


def pilot_tables(response) -> dict[str, list[list[str]]]:
    return {t.slug: list(t.as_text_rows())[1:] for t in response.context["report"].tables}


def test_pilot_report_figures(world, login, pilot):
    response = login(world.users["pc"]).get(reverse("reports:pilot"))
    assert response.status_code == 200
    found = pilot_tables(response)
    assert rows_by_label(found["overview"]) == {
        "Districts taking part": ["2"],
        "Paraprofessionals paired with a mentor teacher": ["9"],
        "Pairings": ["9"],
        "Pairings completed": ["4"],
        "Mentoring sessions logged": ["7"],
        "Hours of mentoring": ["4"],
        "Paraprofessionals enrolled in college courses": ["6"],
        "College courses passed": ["5"],
        "College credits earned": ["15.0"],
        "Paraprofessionals observed at baseline and end of pilot": ["7"],
        "Average change in rubric score (1–4 scale)": ["+1.02"],
    }
    support = rows_by_label(found["question-classroom-support"])
    assert support["Mean score at baseline"] == ["1.71"]
    assert support["Mean score at end of pilot"] == ["2.86"]
    assert support["Change in mean score"] == ["+1.14"]
    assert support["Change: States clear learning targets"] == ["+1.14"]
    assert support["College courses passed that target this question"] == ["5"]
    assert support["Credits earned in those courses"] == ["15.0"]
    management = rows_by_label(found["question-classroom-management"])
    assert management["Change in mean score"] == ["+0.57"]
    assert management["College courses passed that target this question"] == ["0"]
    assert rows_by_label(found["districts"]) == {
        "Alpha District": ["7", "4", "5", "150", "5", "15.0", "5", "+1.02"],
        "Beta District": [TF] * 8,
    }


def test_pilot_report_quotes_say_only_the_district(world, login, pilot):
    response = login(world.users["pc"]).get(reverse("reports:pilot"))
    page = text(response)
    assert APPROVED_QUOTE in page and APPROVED_QUOTE_B in page
    assert PENDING_QUOTE not in page
    assert "A teacher in Alpha District" in page and "A teacher in Beta District" in page
    for pairing in pilot.pairings.values():
        assert pairing.teacher.last_name not in page
        assert pairing.paraprofessional.last_name not in page
    rows = pilot_tables(response)["quotes"]
    assert [APPROVED_QUOTE, "A teacher in Alpha District"] in rows


def test_pilot_report_is_for_the_program_coordinator(world, login, pilot):
    for persona in ("dc_own", "dc_other", "liaison", "teacher", "para"):
        client = login(world.users[persona])
        assert client.get(reverse("reports:pilot")).status_code == 403, persona
    html = login(world.users["dc_own"]).get(reverse("reports:index")).content.decode()
    assert reverse("reports:pilot") not in html
    html = login(world.users["pc"]).get(reverse("reports:index")).content.decode()
    assert reverse("reports:pilot") in html


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: WeasyPrint writes each heading as a bookmark."""
    out = b""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    return out + pdf


def test_pilot_report_pdf_has_its_headings_and_is_logged(world, login, pilot):
    client = login(world.users["pc"])
    response = client.get(reverse("reports:pilot-pdf"), {"cohort": pilot.cohort.uuid})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    inside = pdf_text(response.content)
    for heading in (
        "End-of-pilot report: Pilot 2025",
        "The pilot in figures",
        "The three pilot questions",
        "Classroom Support",
        "Engagement with the Profession",
        "Classroom Management",
        "Districts",
        "Charts",
        "Growth from baseline to end of pilot, by domain",
        "Mentoring minutes by month",
    ):
        assert f"/Title ({heading})".encode() in inside, heading
    entry = AuditEntry.objects.get(actor=world.users["pc"])
    assert entry.action == AuditEntry.Action.PDF
    assert "Pilot 2025" in entry.subject


def test_pilot_report_pdf_reads_like_a_report_and_keeps_tables_on_the_paper(
    world, login, pilot, settings
):
    settings.PROGRAM_NAME = "Riverbend Para Pathways"
    client = login(world.users["pc"])
    response = client.get(reverse("reports:pilot-pdf"), {"cohort": pilot.cohort.uuid})
    assert response["Content-Disposition"] == 'attachment; filename="pilot-report-2025-2026.pdf"'
    pdf = response.content
    # No cell runs off the paper; the nine-column districts table once lost "Average change".
    assert off_the_paper(pdf) == []
    found = words(pdf)
    on_page = {n: " ".join(w.text for w in found if w.page == n) for n in {w.page for w in found}}
    assert "Riverbend Para Pathways" in on_page[1]
    assert "End-of-pilot report: Pilot 2025" in on_page[1]
    assert "Contents" in on_page[2] and "Districts" in on_page[2]
    pages = len(on_page)
    for n in range(2, pages + 1):
        assert f"Page {n} of {pages}" in on_page[n]
        assert "Riverbend Para Pathways" in on_page[n]  # at the head of every page
    sizes = page_sizes(pdf)
    districts = next(n for n, text in on_page.items() if "paired, and averages over" in text)
    width, height = sizes[districts - 1]
    assert width > height  # the wide table has a landscape page
    assert sizes[0][0] < sizes[0][1]  # the rest is portrait


def test_pilot_report_pdf_stylesheet_is_a_static_file():
    from django.contrib.staticfiles import finders
    from django.template.loader import get_template

    assert finders.find("css/pilot_report_pdf.css")
    source = get_template("reports/pilot_pdf.html").template.source
    assert "<style" not in source and "style=" not in source


def test_pilot_report_csv_tables(world, login, pilot):
    client = login(world.users["pc"])
    for slug in ("overview", "question-engagement", "districts", "quotes", "growth-by-domain"):
        response = client.get(reverse("reports:pilot-table-csv", args=[slug]))
        assert response.status_code == 200, slug
        assert csv_rows(response)[0]
    rows = csv_rows(client.get(reverse("reports:pilot-table-csv", args=["quotes"])))
    assert rows[0] == ["Quote", "Attribution"]
    assert [APPROVED_QUOTE_B, "A teacher in Beta District"] in rows
    assert client.get(reverse("reports:pilot-table-csv", args=["nope"])).status_code == 404
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 6


def test_no_cohort_at_all(db, client):
    from pilot.models import RoleAssignment

    from .factories import RoleAssignmentFactory

    pc = RoleAssignmentFactory(role=RoleAssignment.Role.PROGRAM_COORDINATOR).user
    client.force_login(pc, backend="django.contrib.auth.backends.ModelBackend")
    assert "There is no cohort to report on yet." in text(client.get(reverse("reports:index")))
    assert "There is no cohort to report on yet." in text(client.get(reverse("reports:pilot")))
    assert client.get(reverse("reports:pilot-pdf")).status_code == 404
