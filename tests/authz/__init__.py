"""Rows of the authorization matrix: one per named URL, one module per app.

A row gives how to build the URL (and POST data) from the test ``World`` and the status
each persona expects. ``LOGIN`` means a redirect to the sign-in page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LOGIN = "login"


@dataclass(frozen=True)
class Row:
    url: Callable[[Any], str]
    expect: dict[str, int | str]
    method: str = "get"
    data: Callable[[Any], dict] | None = None


def expect(
    *,
    anon: int | str = LOGIN,
    pc: int | str,
    dc_own: int | str,
    dc_other: int | str,
    liaison: int | str,
    teacher: int | str,
    para: int | str,
) -> dict[str, int | str]:
    return {
        "anon": anon,
        "pc": pc,
        "dc_own": dc_own,
        "dc_other": dc_other,
        "liaison": liaison,
        "teacher": teacher,
        "para": para,
    }


def coordinators(ok: int = 200, *, other: int = 404, dc: int | None = None) -> dict:
    """Coordinators in scope get ``ok``, a coordinator of another district ``other``,
    everyone else 403."""
    return expect(
        pc=ok,
        dc_own=ok if dc is None else dc,
        dc_other=other,
        liaison=403,
        teacher=403,
        para=403,
    )
