"""Where the feature apps plug into the site.

The core defines the registries; each app registers its own entries from its
``AppConfig.ready()``; the site layer (``portal``) reads them to build the navigation,
the dashboards, the reports and the benchmark. A new feature therefore touches its own
app and no hub file. See README "Adding a feature".
"""

from .base import Registry
from .entries import (
    BenchPage,
    DashboardCard,
    DashboardPanel,
    NavEntry,
    NextStep,
    ReportSection,
    Summary,
)

NAVIGATION: Registry[NavEntry] = Registry("navigation")
DASHBOARD_CARDS: Registry[DashboardCard] = Registry("dashboard cards")
DASHBOARD_PANELS: Registry[DashboardPanel] = Registry("dashboard panels")
NEXT_STEPS: Registry[NextStep] = Registry("next steps")
REPORT_SECTIONS: Registry[ReportSection] = Registry("report sections")
BENCH_PAGES: Registry[BenchPage] = Registry("benchmark pages")
SUMMARIES: Registry[Summary] = Registry("summary tables")

__all__ = [
    "BENCH_PAGES",
    "DASHBOARD_CARDS",
    "DASHBOARD_PANELS",
    "NAVIGATION",
    "NEXT_STEPS",
    "REPORT_SECTIONS",
    "SUMMARIES",
    "BenchPage",
    "DashboardCard",
    "DashboardPanel",
    "NavEntry",
    "NextStep",
    "Registry",
    "ReportSection",
    "Summary",
]
