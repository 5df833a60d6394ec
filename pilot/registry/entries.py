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
    """Figures in the row at the top of a dashboard (see ``pilot.registry.dashboard``).

    ``counts(dashboard)`` names querysets to count: the site counts those of every card
    in one query (``pilot.counting.count_all``) and puts them in ``dashboard.counts``
    before ``build(dashboard)`` returns the card dicts. A fixed number of queries
    whatever the size of the program."""

    key: str
    build: Callable[[Any], list[dict]]
    audience: Audience
    order: int = 100
    counts: Callable[[Any], dict[str, Any]] | None = None


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of a dashboard: ``template`` rendered with the page's context, to which
    ``context(dashboard)`` adds its names (names are the panel's own: two panels shown
    together must not share one)."""

    key: str
    template: str
    context: Callable[[Any], dict]
    audience: Audience
    order: int = 100


@dataclass(frozen=True)
class NextStep:
    """A source of items for "What to do next" at the top of a dashboard:
    ``build(dashboard)`` returns ``pilot.registry.dashboard.step`` dicts (text, link and an
    optional status badge), most urgent first. Reuse the data a card or panel memoised on
    the dashboard so the page keeps its fixed number of queries."""

    key: str
    build: Callable[[Any], list[dict]]
    audience: Audience
    order: int = 100


@dataclass(frozen=True)
class ReportSection:
    """A section of ``/reports/``: ``build(data)`` returns its ``Section`` (table, chart)
    over the report's scope; ``key`` is its slug (anchor and CSV). With ``pilot_order``
    its chart is also in the end-of-pilot report, in that order."""

    key: str
    build: Callable[..., Any]
    order: int = 100
    pilot_order: int | None = None


@dataclass(frozen=True)
class BenchPage:
    """A page the benchmark measures as ``email`` (a demo sign-in, see
    ``pilot.registry.bench``). ``kind`` picks its target; ``path`` is called when the
    benchmark runs, over the seeded demo data."""

    key: str
    label: str
    email: str | None
    path: Callable[[], str]
    kind: str = "detail"  # list, detail, dashboard, report, floor
    order: int = 100


@dataclass(frozen=True)
class Summary:
    """A summary table an app keeps as data is written; ``rebuild()`` recomputes it from
    scratch and returns its row count (``manage.py rebuild_summaries``)."""

    key: str
    rebuild: Callable[[], int]
    order: int = 100
