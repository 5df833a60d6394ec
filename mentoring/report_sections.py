"""Mentoring's section of the program reports: minutes by month. Registered from
``apps.py``."""

from pilot.registry import REPORT_SECTIONS, ReportSection
from pilot.reporting.charts import column_chart
from pilot.reporting.sections import ReportData, Section
from pilot.reporting.tables import MIN_GROUP, Table


def mentoring_months(data: ReportData) -> Section:
    table = Table(
        "mentoring-by-month",
        "Mentoring minutes by month",
        ["Month", "Pairings that met", "Sessions", "Minutes"],
        note="Sessions the pairs logged, by the month they were held. Months in which fewer "
        f"than {MIN_GROUP} pairings met are shown as too few to report.",
    )
    for row in data.minutes_by_month:
        table.add(
            f"{row['month']:%b %Y}",
            row["pairs"],
            row["sessions"],
            row["minutes"],
            group_size=row["pairs"],
        )
    chart = column_chart(
        table.slug, "Mentoring minutes by month", [(r[0].value, r[3]) for r in table.rows]
    )
    return Section(table.slug, table.title, table, chart)


def register() -> None:
    for entry in (ReportSection("mentoring-by-month", mentoring_months, 70, pilot_order=50),):
        REPORT_SECTIONS.register(entry)
