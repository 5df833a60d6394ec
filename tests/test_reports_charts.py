"""The grouped bar and column charts: geometry, escaping, and small groups draw no bar."""

import pytest
from django.template.loader import render_to_string

from pilot.reporting.charts import bar_chart, column_chart, grouped_bar_chart, label_lines
from pilot.reporting.tables import TOO_FEW, Cell


def test_grouped_bars_share_one_scale_and_keep_small_groups_out():
    chart = grouped_bar_chart(
        "g",
        "Baseline <and> end",
        ["Baseline", "End of pilot"],
        [("Support", [Cell(2.0), Cell(4.0)]), ("Beta", [Cell(1.0, True), Cell(3.0, True)])],
        scale_max=4,
    )
    support, beta = chart.groups
    assert support.bars[1].width == pytest.approx(2 * support.bars[0].width, abs=0.2)
    assert [b.width for b in beta.bars] == [0, 0]
    assert {b.text for b in beta.bars} == {TOO_FEW}
    assert support.bars[0].colour != support.bars[1].colour
    svg = render_to_string(chart.template, {"chart": chart})
    assert svg.count("<rect") == 2 + 2  # two bars and two legend swatches
    assert "Baseline &lt;and&gt; end" in svg and "End of pilot" in svg


def test_grouped_bars_draw_negative_values_left_of_zero():
    chart = grouped_bar_chart("g", "Change", ["A", "B"], [("x", [Cell(-0.5), Cell(1.0)])])
    down, up = chart.groups[0].bars
    assert down.x + down.width == pytest.approx(chart.zero_x, abs=0.2)
    assert up.x == chart.zero_x and up.width == pytest.approx(2 * down.width, abs=0.2)


def test_columns_are_as_tall_as_their_values():
    chart = column_chart(
        "m",
        "Minutes by month",
        [("Sep 2025", Cell(300)), ("Oct 2025", Cell(150)), ("Nov 2025", Cell(90, True))],
    )
    sep, oct_, nov = chart.columns
    assert sep.height == pytest.approx(2 * oct_.height, abs=0.2)
    assert sep.y + sep.height == chart.baseline_y
    assert nov.height == 0 and nov.text == "too few"
    assert (sep.label, sep.sublabel) == ("Sep", "2025")
    svg = render_to_string(chart.template, {"chart": chart})
    assert svg.count("<rect") == 2 and "<title" in svg


def test_long_labels_wrap_onto_two_lines():
    assert [line.text for line in label_lines("Short", 50)] == ["Short"]
    lines = label_lines("Reflects on practice with the mentor teacher and applies coursework", 50)
    assert len(lines) == 2 and lines[1].text.endswith("…")
    assert all(len(line.text) <= 30 for line in lines)
    chart = bar_chart("b", "t", [("Reflects on practice with the mentor teacher", Cell(1.0))])
    svg = render_to_string(chart.template, {"chart": chart})
    assert svg.count("<tspan") == 2
