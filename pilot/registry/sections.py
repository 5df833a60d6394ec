"""Sections that other apps add to a record's page.

The district page shows mentoring's support roles; the pairing page shows its
observations; the confirmation before deactivating a staff member names their active
pairings. The page's owner renders ``sections_for(page, request, record)``; an app adds a
section with ``register_section(PageSection(...))`` from ``AppConfig.ready()``. A section
returns ``{"template": ..., "data": ...}`` or None (nothing to show), in a fixed number
of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .base import Registry


@dataclass(frozen=True)
class PageSection:
    key: str
    page: str  # "district", "staff", "staff-deactivate", "pairing", ...
    build: Callable[[HttpRequest, Any], dict | None]
    order: int = 100


SECTIONS: Registry[PageSection] = Registry("page sections")


def register_section(section: PageSection) -> PageSection:
    return SECTIONS.register(section)


def sections_for(page: str, request: HttpRequest, record: Any) -> list[dict]:
    built = (s.build(request, record) for s in SECTIONS if s.page == page)
    return [section for section in built if section]
