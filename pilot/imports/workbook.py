"""Limits an .xlsx upload must keep before openpyxl opens it.

An .xlsx is a zip of XML files: 55 KB on disk can unpack to a 50 MB cell or a million
cells, which openpyxl would build in memory (and the import would then store). So, before
openpyxl sees the file, three passes, each stopping at the first limit passed and reading
``CHUNK`` bytes at a time:

1. the zip's directory: ``zipfile`` never unpacks more than a part's declared size (it
   stops there and checks the CRC), so the declared sizes add up to the unpacked size;
2. a count of tags in every part at the speed of ``re``: a sheet of a million cells is
   refused here, without per-cell Python work;
3. worksheets and shared strings through expat: cells counted as openpyxl fills them in
   (a row counts every column up to its last cell) and each cell's characters, so a 50 MB
   cell is refused after its first chunk.
"""

import functools
import re
import xml.parsers.expat
import zipfile
import zlib
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_CELLS = 300_000  # 20,000 rows (the import's limit) of 15 columns
MAX_CELL_CHARS = 10_000
MAX_PARTS = 1_000  # files inside the zip; Excel writes a few dozen
# Every element of every part: a sheet at the cell limit with as many shared strings needs
# about 1.3 million; openpyxl keeps some parts' elements in memory all at once.
MAX_ELEMENTS = 2_000_000
CHUNK = 64 * 1024

# openpyxl reads cells and shared strings in this namespace only (expat joins it to the
# element's name with a space).
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKSHEET, SST, ROW, CELL, STRING = (f"{MAIN} {n}" for n in ("worksheet", "sst", "row", "c", "si"))

# <c ...> and <si ...> with any namespace prefix; an overcount only refuses odd files early.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


class _Refused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


class _Skip(Exception):
    """The part is neither a worksheet nor the shared strings: openpyxl reads no cells there."""


def _too_many_cells(name: str) -> _Refused:
    return _Refused(
        f"{name} has more than {MAX_CELLS:,} cells (blank cells before the last one in a row "
        "count too); split it into smaller files.",
        "too_many_cells",
    )


def _unreadable(name: str) -> _Refused:
    return _Refused(f"{name} could not be read as an Excel workbook.", "unreadable")


@functools.lru_cache(maxsize=4096)
def _column(letters: str) -> int:
    """The column number of ``B`` (2), or 0 for something that is not a column."""
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
        return 0
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def too_expanded(
    parts: list[zipfile.ZipInfo], name: str, kind: str, noun: str, advice: str
) -> str | None:
    """Why a zip (a workbook, a OneRoster bundle) unpacks to too much, from its directory
    alone, before anything is decompressed; None when it is within the limits."""
    unpacked = sum(info.file_size for info in parts)
    if unpacked > MAX_UNPACKED_BYTES or len(parts) > MAX_PARTS:
        return (
            f"{name} unpacks to {filesizeformat(unpacked)} in {len(parts):,} {noun}; {kind} "
            f"may unpack to at most {MAX_UNPACKED_BYTES // 2**20} MB in {MAX_PARTS:,} {noun}. "
            f"{advice}"
        )
    return None


def _check_directory(parts: list[zipfile.ZipInfo], name: str) -> None:
    advice = "Copy the rows to import into a new workbook, or save them as CSV UTF-8."
    if message := too_expanded(parts, name, "a workbook", "parts", advice):
        raise _Refused(message, "too_large")


def _count_tags(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], name: str) -> None:
    cells = strings = elements = 0
    for info in parts:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                cells += len(_CELL_TAG.findall(chunk))
                strings += len(_STRING_TAG.findall(chunk))
                elements += chunk.count(b"<") - chunk.count(b"</")
                if cells > MAX_CELLS or strings > MAX_CELLS:
                    raise _too_many_cells(name)
                if elements > MAX_ELEMENTS:
                    raise _Refused(
                        f"{name} holds far more than a table of {MAX_CELLS:,} cells needs; "
                        "copy the rows to import into a new workbook, or save them as CSV UTF-8.",
                        "too_large",
                    )


class _PartScanner:
    """Streams one part: its root element says whether it is a worksheet, the shared
    strings, or neither (then the rest is skipped)."""

    def __init__(self, name: str, cells: int) -> None:
        self.name = name
        self.cells = cells  # cells in the worksheets so far
        self.strings = 0
        self.kind = ""
        self.column = self.width = 0  # in the current row
        self.cell: str | None = None  # the reference of the cell being read
        self.chars = 0

    def parser(self) -> xml.parsers.expat.XMLParserType:
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self.doctype
        parser.StartElementHandler = self.root
        self.expat = parser
        return parser

    def doctype(self, *args: object) -> None:
        # Spreadsheets never declare a DTD, and entity-expansion bombs need one.
        raise _unreadable(self.name)

    def root(self, tag: str, attributes: dict[str, str]) -> None:
        handlers = {WORKSHEET: self.sheet_start, SST: self.string_start}
        if tag not in handlers:
            raise _Skip
        self.kind = tag
        self.expat.StartElementHandler = handlers[tag]
        self.expat.EndElementHandler = self.end
        self.expat.CharacterDataHandler = self.text

    def sheet_start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == CELL:
            reference = attributes.get("r", "")
            self.column = _column(reference.rstrip("0123456789")) or self.column + 1
            if self.column > self.width:
                self.cells += self.column - self.width
                self.width = self.column
                if self.cells > MAX_CELLS:
                    raise _too_many_cells(self.name)
            self.cell, self.chars = reference, 0
        elif tag == ROW:
            self.column = self.width = 0

    def string_start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == STRING:
            # openpyxl keeps every shared string, used or not.
            self.strings += 1
            if self.strings > MAX_CELLS:
                raise _too_many_cells(self.name)
            self.cell, self.chars = "", 0

    def end(self, tag: str) -> None:
        if tag in (CELL, STRING):
            self.cell = None

    def text(self, data: str) -> None:
        if self.cell is None:
            return
        self.chars += len(data)
        if self.chars > MAX_CELL_CHARS:
            where = f"Cell {self.cell} of {self.name}" if self.cell else f"A cell of {self.name}"
            raise _Refused(
                f"{where} holds more than {MAX_CELL_CHARS:,} characters; no column of an "
                "import needs that many.",
                "cell_too_long",
            )


def _scan_cells(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], name: str) -> None:
    cells = 0
    for info in parts:
        scanner = _PartScanner(name, cells)
        parser = scanner.parser()
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Skip:
            continue
        except xml.parsers.expat.ExpatError:
            # Images and other parts are not XML; a broken sheet openpyxl could not read.
            if scanner.kind:
                raise _unreadable(name) from None
        if scanner.kind == WORKSHEET:
            cells = scanner.cells


def check_workbook(upload: IO[bytes], name: str) -> None:
    """Refuse a workbook, before it is loaded, that unpacks past ``MAX_UNPACKED_BYTES``,
    holds more than ``MAX_CELLS`` cells or has a cell longer than ``MAX_CELL_CHARS``."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = [info for info in archive.infolist() if not info.is_dir()]
            _check_directory(parts, name)
            _count_tags(archive, parts, name)
            _scan_cells(archive, parts, name)
    except _Refused as refused:
        raise ValidationError(refused.message, code=refused.code) from None
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError):
        # Damaged, encrypted, or packed with a method zipfile does not know.
        raise ValidationError(
            f"{name} could not be read as an Excel workbook.", code="unreadable"
        ) from None
    finally:
        upload.seek(0)
