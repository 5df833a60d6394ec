"""Reading a generated PDF back the way a reader sees it: which words are on which page,
and whether any runs off the paper."""

from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader
from pypdf._cmap import get_encoding  # each font's codes to characters
from pypdf.generic._font import Font  # the glyph widths the PDF declares, by code


@dataclass
class Word:
    page: int  # from 1
    text: str
    x: float  # points from the left edge of the paper
    right: float  # where the run ends, in points, from the font's glyph widths
    page_width: float


def words(pdf: bytes) -> list[Word]:
    """Every run of text WeasyPrint drew in the page's flow (the pages' content streams
    scale CSS pixels by 0.75; SVG charts are drawn in their own, unscaled, forms and are
    left out: their text is checked by the chart tests)."""
    out: list[Word] = []
    for number, page in enumerate(PdfReader(BytesIO(pdf)).pages, 1):
        width = float(page.mediabox.width)

        def visit(text, cm, tm, font, size, number=number, width=width) -> None:
            if not text.strip() or abs(cm[0]) == 1.0 or font is None:
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            glyphs = widths(font)
            advance = max(
                sum(glyphs.get(c, glyphs["default"]) for c in line)
                for line in text.strip().splitlines()
            )
            right = x + advance / 1000 * size * abs(cm[0])
            out.append(Word(number, text.strip(), x, right, width))

        page.extract_text(visitor_text=visit)
    return out


_widths: dict[int, dict[str, float]] = {}


def widths(font) -> dict[str, float]:
    key = id(font)
    if key not in _widths:
        by_code = Font.from_font_resource(font).character_widths
        _, characters = get_encoding(font)
        by_character = {c: by_code[code] for code, c in characters.items() if code in by_code}
        _widths[key] = {**by_character, "default": by_code.get("default", 1000)}
    return _widths[key]


def off_the_paper(pdf: bytes) -> list[Word]:
    return [w for w in words(pdf) if w.x < 0 or w.right > w.page_width]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(BytesIO(pdf)).pages
    ]
