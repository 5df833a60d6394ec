"""The pieces every report uses: small-group suppression, CSV escaping, SVG bar geometry."""

import csv
import io

import pytest
from django.template.loader import render_to_string

from pilot.models import AuditEntry
from pilot.reporting.charts import bar_chart
from pilot.reporting.csv_export import neutralise, table_csv_response
from pilot.reporting.tables import TOO_FEW, Cell, Table


def test_groups_under_five_are_never_numbers() -> None:
    table = Table("growth", "Growth by district", ["District", "People", "Growth"])
    table.add("Alpha", 4, 1.25, group_size=4)
    table.add("Beta", 5, 0.5, group_size=5)
    rows = list(table.as_text_rows())
    assert rows[1] == ["Alpha", TOO_FEW, TOO_FEW]
    assert rows[2] == ["Beta", "5", "0.50"]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-0.50", "-0.50"),
        ("Plain text", "Plain text"),
    ],
)
def test_formula_cells_are_neutralised(raw: str, safe: str) -> None:
    assert neutralise(raw) == safe


@pytest.mark.django_db
def test_csv_download_escapes_and_is_logged(world) -> None:
    table = Table("quotes", "Quotes", ["District", "Quote"])
    table.add("=cmd|' /C calc'!A0", "fine")
    response = table_csv_response(table, world.users["pc"], "cohort=all")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["District", "Quote"], ["'=cmd|' /C calc'!A0", "fine"]]
    entry = AuditEntry.objects.get()
    assert entry.actor == world.users["pc"] and entry.action == "export"


def test_bar_chart_geometry_and_svg() -> None:
    chart = bar_chart(
        "g",
        "Average growth <by> domain",
        [("Up", Cell(1.0)), ("Down", Cell(-0.5)), ("Small", Cell(3.0, suppressed=True))],
    )
    up, down, small = chart.bars
    assert up.width == pytest.approx(down.width * 2, abs=0.2)
    assert down.negative and down.x < chart.zero_x <= up.x
    assert small.width == 0 and small.text == TOO_FEW
    svg = render_to_string("reports/bar_chart.svg", {"chart": chart})
    assert "<title" in svg and "Average growth &lt;by&gt; domain" in svg
    assert svg.count("<rect") == 2


def test_report_tables_show_thousands_separators_and_keep_the_csv_plain():
    table = Table("minutes", "Mentoring minutes", ["District", "Minutes", "Credits"])
    table.add_cells("Alpha", Cell(4985), Cell(1234.5, fmt="{:.1f}"))
    table.add_cells("Beta", Cell(3325, suppressed=True), Cell(True))
    html = render_to_string("reports/includes/table.html", {"table": table})
    assert '<td class="text-end">4,985</td>' in html
    assert "too few to report" in html and "3,325" not in html
    assert list(table.as_text_rows())[1] == ["Alpha", "4985", "1234.5"]
