"""What a dashboard card or panel is given, and the card shape every app returns.

The site builds one ``Dashboard`` per request and hands it to every card and panel the
principal may see. ``memo`` lets a card and a panel of one app share a query (the
teacher's "paraprofessionals I mentor" figure and panel come from one query);
``cohort`` is looked up only when a card asks for it.
"""

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.urls import reverse

from pilot.access.principal import Principal
from pilot.access.rules import Capability, can
from pilot.access.scopes import sees_whole_program
from pilot.cohorts import current_cohort
from pilot.models import Cohort

T = TypeVar("T")


class Dashboard:
    """One rendering of one principal's dashboard."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.counts: dict[str, int] = {}
        self._memo: dict[str, Any] = {}

    @property
    def user(self) -> Any:
        return self.principal.user

    @property
    def program_wide(self) -> bool:
        """False when the figures are limited to the coordinator's own districts."""
        return sees_whole_program(self.principal.user)

    @cached_property
    def cohort(self) -> Cohort | None:
        return current_cohort()

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def holds(*capabilities: Capability) -> Callable[[Principal], bool]:
    """An audience: the principals holding any of the capabilities."""
    return lambda p: can(p.user, *capabilities)


# The audiences the apps' cards and panels use most.
COORDINATORS = holds(Capability.VIEW_PROGRAM)
MENTORS = holds(Capability.MENTOR)
LEARNERS = holds(Capability.LEARN)


def link(name: str, **query: object) -> str:
    """The URL of ``name`` with the non-empty query parameters."""
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def card(label: str, value: object, url: str, link_text: str, detail: str = "") -> dict:
    """A figure on a dashboard, linked to its detail (``includes/stat_card.html``)."""
    return {"label": label, "value": value, "detail": detail, "url": url, "link_text": link_text}


def step(text: str, url: str, status: str = "") -> dict:
    """An item of "What to do next" (``NextStep``); ``status`` is a badge of
    ``includes/badge.html`` (e.g. "overdue"), or none."""
    return {"text": text, "url": url, "status": status}


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"
