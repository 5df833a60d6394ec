"""Coursework's section of the program reports: credits and courses by district.
Registered from ``apps.py``."""

from decimal import Decimal

from pilot.registry import REPORT_SECTIONS, ReportSection
from pilot.reporting.charts import bar_chart
from pilot.reporting.sections import CREDITS, ReportData, Section
from pilot.reporting.tables import MIN_GROUP, Cell, Table, suppressed


def coursework_district(data: ReportData) -> Section:
    table = Table(
        "coursework-by-district",
        "Credits earned and courses completed, by district",
        [
            "District",
            "Paraprofessionals enrolled",
            "Enrollments",
            "Courses completed",
            "Courses passed",
            "Credits earned",
        ],
        note="Enrollments in this cohort's college offerings, by the paraprofessional's "
        "district. A course is completed with a final grade; C or better, or P, passes and "
        f"earns its credit. Districts with fewer than {MIN_GROUP} paraprofessionals enrolled "
        "are shown as too few to report.",
    )
    for district in data.districts:
        row = data.courses_by_district.get(district.pk)
        if row is None:
            table.add_cells(district.name, 0, 0, 0, 0, Cell(Decimal(0), fmt=CREDITS))
            continue
        n = row["people"]
        table.add_cells(
            district.name,
            suppressed(n, n),
            suppressed(row["enrollments"], n),
            suppressed(row["completions"], n),
            suppressed(row["passed"], n),
            suppressed(row["credits"], n, CREDITS),
        )
    chart = bar_chart(
        table.slug, "Credits earned, by district", [(r[0].value, r[5]) for r in table.rows]
    )
    return Section(table.slug, table.title, table, chart)


def register() -> None:
    for entry in (
        ReportSection("coursework-by-district", coursework_district, 60, pilot_order=60),
    ):
        REPORT_SECTIONS.register(entry)
