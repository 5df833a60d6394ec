"""Server-rendered SVG charts: they print, go into PDFs and need no script.

The geometry is computed here; the chart's ``template`` (``templates/reports/*.svg``)
draws it with the template engine's escaping. Suppressed values (groups under five)
draw no bar. Three kinds: horizontal bars (``bar_chart``, negative values to the left
of zero), grouped horizontal bars for two or more series (``grouped_bar_chart``) and
columns for periods such as months (``column_chart``).
"""

import textwrap
from dataclasses import dataclass
from decimal import Decimal

from .tables import Cell

WIDTH = 640
LABEL_WIDTH = 220
BAR_HEIGHT = 22
GAP = 8
TOP = 8
LABEL_CHARS = 27  # per line of a label, at 12px in LABEL_WIDTH (with room to spare)


@dataclass(frozen=True)
class Line:
    text: str
    y: float


def label_lines(label: str, middle: float) -> list[Line]:
    """A label on one line, or two around ``middle`` (the second cut short if need be)."""
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder="…")]
    if len(lines) == 1:
        return [Line(lines[0], middle + 4)]
    return [Line(lines[0], middle - 3), Line(lines[1], middle + 10)]


@dataclass(frozen=True)
class Bar:
    label: str
    lines: list[Line]
    text: str
    y: int
    width: float
    text_y: int
    negative: bool
    x: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    slug: str
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    zero_x: float = LABEL_WIDTH
    label_x: int = LABEL_WIDTH - 8
    template: str = "reports/bar_chart.svg"


def bar_chart(slug: str, title: str, items: list[tuple[str, Cell]]) -> BarChart:
    """Horizontal bars for (label, cell) pairs; negative values extend left of zero."""
    numbers = [
        float(c.value)
        for _, c in items
        if not c.suppressed and isinstance(c.value, int | float | Decimal)
    ]
    lo = min([0.0, *numbers])
    hi = max([0.0, *numbers]) or 1.0
    span = (hi - lo) or 1.0
    plot = WIDTH - LABEL_WIDTH - 90
    zero_x = LABEL_WIDTH + plot * (-lo / span)
    bars = []
    for i, (label, cell) in enumerate(items):
        y = TOP + i * (BAR_HEIGHT + GAP)
        value = None if cell.suppressed or cell.value is None else float(cell.value)
        width = 0.0 if value is None else abs(value) / span * plot
        x = zero_x - width if value is not None and value < 0 else zero_x
        bars.append(
            Bar(
                label=label,
                lines=label_lines(label, y + BAR_HEIGHT / 2),
                text=str(cell),
                y=y,
                width=round(width, 1),
                text_y=y + BAR_HEIGHT - 6,
                negative=value is not None and value < 0,
                x=round(x, 1),
                text_x=round(zero_x + 6 if value is None or value < 0 else x + width + 6, 1),
            )
        )
    height = TOP * 2 + len(items) * (BAR_HEIGHT + GAP)
    return BarChart(slug, title, bars, height, zero_x=round(zero_x, 1))


# --- grouped bars: two or more series side by side (e.g. baseline and end of pilot) ----

SERIES_COLOURS = ("#0b3d6e", "#b35900", "#2f6f3e")
GROUP_GAP = 14
LEGEND_HEIGHT = 26


@dataclass(frozen=True)
class SeriesBar:
    y: int
    x: float
    width: float
    text: str
    text_x: float
    text_y: int
    colour: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    lines: list[Line]
    bars: list[SeriesBar]


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    x: int
    text_x: int


@dataclass(frozen=True)
class GroupedBarChart:
    slug: str
    title: str
    groups: list[BarGroup]
    legend: list[LegendItem]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    zero_x: float = LABEL_WIDTH
    label_x: int = LABEL_WIDTH - 8
    legend_y: int = 18
    template: str = "reports/grouped_bar_chart.svg"


def grouped_bar_chart(
    slug: str,
    title: str,
    series: list[str],
    items: list[tuple[str, list[Cell]]],
    scale_max: float | None = None,
) -> GroupedBarChart:
    """Horizontal bars in groups, one bar per series; negative values extend left of zero.
    Suppressed and missing values draw no bar but still say why."""
    numbers = [
        float(c.value)
        for _, cells in items
        for c in cells
        if not c.suppressed and isinstance(c.value, int | float | Decimal)
    ]
    lo = min([0.0, *numbers])
    hi = max([scale_max or 0.0, *numbers]) or 1.0
    span = (hi - lo) or 1.0
    plot = WIDTH - LABEL_WIDTH - 130
    zero_x = LABEL_WIDTH + plot * (-lo / span)
    legend = []
    x = LABEL_WIDTH
    for n, name in enumerate(series):
        legend.append(LegendItem(name, SERIES_COLOURS[n % len(SERIES_COLOURS)], x, x + 20))
        x += 30 + 7 * len(name)
    groups = []
    y = LEGEND_HEIGHT + TOP
    for label, cells in items:
        bars = []
        for n, cell in enumerate(cells):
            value = None if cell.suppressed or cell.value is None else float(cell.value)
            width = 0.0 if value is None else abs(value) / span * plot
            left = zero_x - width if value is not None and value < 0 else zero_x
            bars.append(
                SeriesBar(
                    y=y,
                    x=round(left, 1),
                    width=round(width, 1),
                    text=str(cell),
                    text_x=round(zero_x + 6 if value is None or value < 0 else left + width + 6, 1),
                    text_y=y + BAR_HEIGHT - 6,
                    colour=SERIES_COLOURS[n % len(SERIES_COLOURS)],
                )
            )
            y += BAR_HEIGHT + 2
        middle = (bars[0].y + bars[-1].y + BAR_HEIGHT) / 2 if bars else y
        groups.append(BarGroup(label, label_lines(label, middle), bars))
        y += GROUP_GAP
    return GroupedBarChart(slug, title, groups, legend, height=y + TOP, zero_x=round(zero_x, 1))


# --- columns: one per period (e.g. mentoring minutes by month) ---------------------------

COLUMN_PLOT_HEIGHT = 200
COLUMN_TOP = 24
COLUMN_LABELS = 40


@dataclass(frozen=True)
class Column:
    label: str
    sublabel: str
    text: str
    x: float
    y: float
    width: float
    height: float
    centre: float
    text_y: float


@dataclass(frozen=True)
class ColumnChart:
    slug: str
    title: str
    columns: list[Column]
    width: int
    height: int
    baseline_y: int
    label_y: int
    template: str = "reports/column_chart.svg"


def column_chart(slug: str, title: str, items: list[tuple[str, Cell]]) -> ColumnChart:
    """Vertical columns for (label, cell) pairs of values zero or more; a label's first
    word goes on the first line under its column, the rest (e.g. the year) below it."""
    numbers = [
        float(c.value)
        for _, c in items
        if not c.suppressed and isinstance(c.value, int | float | Decimal)
    ]
    hi = max([0.0, *numbers]) or 1.0
    slot = max(48, min(90, (WIDTH - 20) // max(1, len(items))))
    bar = slot - 14
    baseline = COLUMN_TOP + COLUMN_PLOT_HEIGHT
    columns = []
    for i, (label, cell) in enumerate(items):
        value = None if cell.suppressed or cell.value is None else float(cell.value)
        height = 0.0 if value is None else max(value, 0.0) / hi * COLUMN_PLOT_HEIGHT
        x = 10 + i * slot + 7
        first, _, rest = label.partition(" ")
        columns.append(
            Column(
                label=first,
                sublabel=rest,
                text="too few" if cell.suppressed else str(cell),
                x=x,
                y=round(baseline - height, 1),
                width=bar,
                height=round(height, 1),
                centre=x + bar / 2,
                text_y=round(baseline - height - 6, 1),
            )
        )
    width = max(WIDTH, 20 + slot * len(items))
    return ColumnChart(
        slug,
        title,
        columns,
        width=width,
        height=baseline + COLUMN_LABELS,
        baseline_y=baseline,
        label_y=baseline + 16,
    )
