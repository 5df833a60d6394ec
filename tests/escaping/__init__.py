"""Pages that show names people type, checked for escaping by tests/test_escaping.py.

Each app adds a module here (listed in ``registry.PAGE_MODULES``) with:

- ``make_hostile(world)``: give the records its pages show names containing ``PAYLOAD``
  (build extra records with ``world.once``);
- ``PAGES = {"label": Page(url=lambda w: ..., shows=[...], persona="pc")}``: pages and the
  hostile names each must show. In HTML each must appear escaped and the payload never
  raw. ``kind="csv"`` checks a CSV download instead: each name comes back intact in a cell
  and no cell starts with a spreadsheet formula character (= + - @). ``kind="pdf"`` checks
  a PDF: each name is printed literally in its text, markup characters and all.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape

# Closes a tag and an attribute with either quote, then opens elements of its own.
PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
ESCAPED = escape(PAYLOAD)
# A cell an exporter must neutralise: spreadsheets would run it.
FORMULA = '=HYPERLINK("https://evil.test","open")'


def hostile(name: str) -> str:
    """A realistic name with the payload in it (short enough for 80-character fields)."""
    return f"{name} {PAYLOAD}"


@dataclass(frozen=True)
class Page:
    url: Callable[[Any], str]
    shows: Sequence[str]  # the hostile names the page displays (so it cannot pass by omission)
    persona: str = "pc"
    kind: str = "html"  # or "csv", "pdf"
