"""The pipeline's section of the program reports and the end-of-pilot report (and PDF).
Registered from ``apps.py``."""

from pilot.registry import REPORT_SECTIONS, ReportSection
from pilot.reporting.sections import ReportData, Section

from . import pipeline


def pipeline_section(data: ReportData) -> Section:
    # The user's whole scope, whatever district the report is narrowed to: a narrowed
    # funnel next to the whole one would give away the cells the whole one withholds.
    return pipeline.for_user(data.user, data.cohorts).cohort_section(data.cohort)


def register() -> None:
    REPORT_SECTIONS.register(ReportSection("pipeline", pipeline_section, 200, pilot_order=200))
