"""All rows, gathered from each app's module; an app without rows yet simply has none."""

import importlib

from . import Row

ROW_MODULES = [
    "pilot_rows",
    "trust_rows",
    "mentoring_rows",
    "coursework_rows",
    "observations_rows",
    "reports_rows",
    "imports_rows",
    "sign_in_rows",
    "pathways_rows",
]


def all_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for name in ROW_MODULES:
        try:
            module = importlib.import_module(f"tests.authz.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"tests.authz.{name}":
                raise
            continue
        duplicated = rows.keys() & module.ROWS.keys()
        assert not duplicated, f"URL names with two rows: {sorted(duplicated)}"
        rows.update(module.ROWS)
    return rows
