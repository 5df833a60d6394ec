"""All escaping pages and hostile-data builders, gathered from each app's module."""

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from . import Page

PAGE_MODULES = [
    "pilot_pages",
    "mentoring_pages",
    "coursework_pages",
    "observations_pages",
    "reports_pages",
    "imports_pages",
    "pathways_pages",
]


def _modules() -> list[ModuleType]:
    modules = []
    for name in PAGE_MODULES:
        try:
            modules.append(importlib.import_module(f"tests.escaping.{name}"))
        except ModuleNotFoundError as missing:
            if missing.name != f"tests.escaping.{name}":
                raise
    return modules


def all_pages() -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for module in _modules():
        duplicated = pages.keys() & module.PAGES.keys()
        assert not duplicated, f"escaping pages listed twice: {sorted(duplicated)}"
        pages.update(module.PAGES)
    return pages


def hostile_builders() -> list[Callable[[Any], None]]:
    return [m.make_hostile for m in _modules() if hasattr(m, "make_hostile")]
