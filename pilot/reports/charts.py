"""Server-rendered SVG bar charts: they print, go into PDFs and need no script.

The geometry is computed here; ``templates/reports/bar_chart.svg`` draws it with the
template engine's escaping. Suppressed values (groups under five) draw no bar.
"""

from dataclasses import dataclass
from decimal import Decimal

from .tables import Cell

WIDTH = 640
LABEL_WIDTH = 220
BAR_HEIGHT = 22
GAP = 8
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
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
