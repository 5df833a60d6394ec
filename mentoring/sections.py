"""Sections other apps add to the pairing page (observations, once they exist).

An app registers a function ``(request, pairing) -> {"template": ..., "data": ...} | None``
from its ``AppConfig.ready()``; the pairing page includes each returned section in
order. Keep each section to a fixed number of queries.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

PairingSection = Callable[[HttpRequest, Any], dict | None]

PAIRING_SECTIONS: list[PairingSection] = []


def register_pairing_section(section: PairingSection) -> PairingSection:
    if section not in PAIRING_SECTIONS:
        PAIRING_SECTIONS.append(section)
    return section


def sections_for(request: HttpRequest, pairing: Any) -> list[dict]:
    return [s for s in (make(request, pairing) for make in PAIRING_SECTIONS) if s]
