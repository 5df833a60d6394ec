"""A section of the program reports: one table (also a CSV download) and its chart.

The apps build their sections (``<app>/report_sections.py``) from a ``ReportData``: the
report's scope (``cohort``, ``districts`` taking part, the user's ``pairings`` and
``enrollments``) and its figures, each fetched once (``portal.reports.program``).
"""

from dataclasses import dataclass
from typing import Any

from .tables import Table

GROWTH = "{:+.2f}"
SCORE = "{:.2f}"
CREDITS = "{:.1f}"
PERCENT = "{:.0f}%"
SCORE_SERIES = ["Baseline", "End of pilot"]

# portal.reports.program.ReportData: the site layer defines it, the apps read its figures.
ReportData = Any


@dataclass
class Section:
    slug: str
    title: str
    table: Table
    chart: object | None = None
