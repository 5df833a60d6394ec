"""What an app registers: navigation entries, dashboard cards and panels, report
sections and benchmark pages. Each says who it is for through a predicate on the
request's principal, so the site layer never tests a role itself."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pilot.access.principal import Principal

Audience = Callable[[Principal], bool]


@dataclass(frozen=True)
class NavEntry:
    """A link in the main navigation. Who sees it is read from the view it points at
    (the capabilities of ``capability_required``), so the two can never disagree."""

    key: str
    label: str
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class DashboardCard:
    """Figures on a coordinator's dashboard for the current cohort.

    ``build(principal, cohort)`` returns card dicts (see ``portal.dashboards.card``);
    a fixed number of queries whatever the size of the program."""

    key: str
    build: Callable[[Principal, Any], list[dict]]
    audience: Audience
    order: int = 100


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of a dashboard: ``template`` rendered with ``context(principal)``."""

    key: str
    template: str
    context: Callable[[Principal], dict]
    audience: Audience
    order: int = 100


@dataclass(frozen=True)
class ReportSection:
    """A section of ``/reports/`` (and, with ``in_pilot_report``, of the end-of-pilot
    report): ``build(user, filters)`` returns the section's tables and charts."""

    key: str
    build: Callable[..., Any]
    order: int = 100
    in_pilot_report: bool = False


@dataclass(frozen=True)
class BenchPage:
    """A page the benchmark measures as ``email``. ``kind`` picks its target."""

    key: str
    label: str
    email: str | None
    path: Callable[[], str]
    kind: str = "detail"  # list, detail, dashboard, report, floor
    order: int = 100
