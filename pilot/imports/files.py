"""Uploaded files in, template and export files out.

Uploads are refused before parsing when they are too large, of the wrong type, or not
readable text, and workbooks when they would unpack past the limits in ``workbook.py``
(size, cells, characters in a cell; CSV files keep the last two). Then they are parsed
into rows of text, matched to a kind's columns (a "payload", which an ``ImportRun`` keeps
between preview and confirm) and handed to the resource as a ``tablib.Dataset`` whose rows
carry their spreadsheet row number (the header is row 1) in ``ROW_COLUMN``.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass

import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from pilot.reporting.csv_export import neutralise

from .workbook import MAX_CELL_CHARS, MAX_CELLS, check_workbook

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
ROW_COLUMN = "__row__"  # the spreadsheet row number of each data row
PROBLEM_COLUMN = "__problem__"  # a problem found while reading the row (e.g. too many cells)
INTERNAL_COLUMNS = (ROW_COLUMN, PROBLEM_COLUMN)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")


@dataclass
class ParsedFile:
    """A file read into rows, ready to be matched to a kind's columns."""

    headers: list[str]  # normalised header names, in file order
    rows: list[tuple[int, list[str], str]]  # (row number, cells, problem)


def normalise_header(name: object) -> str:
    text = cell_text(name).lower().replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


def cell_text(value: object) -> str:
    """Every cell as trimmed text: numbers typed into Excel lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).replace("\u00a0", " ").strip()
    # Our own exports prefix formula-looking cells with a quote: take it off again.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload: UploadedFile, allowed: tuple[str, ...] = FORMATS) -> str:
    """Refuse a file before parsing it; return its format (``csv`` or ``xlsx``)."""
    name = upload.name or "the file"
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            f"{name} is {filesizeformat(upload.size)}; files may be at most 5 MB. "
            "Split it into smaller files.",
            code="too_large",
        )
    ext = _extension(name)
    wanted = " or ".join(f".{a}" for a in allowed)
    if ext not in allowed:
        raise ValidationError(f"{name} is not a {wanted} file.", code="wrong_type")
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not head:
        raise ValidationError(f"{name} is empty.", code="empty")
    is_zip = head.startswith(b"PK\x03\x04")
    if ext == "xlsx" and not is_zip:
        raise ValidationError(
            f"{name} is not an Excel workbook (.xlsx), though its name says so.", code="wrong_type"
        )
    if ext == "csv":
        if is_zip:
            raise ValidationError(
                f"{name} is an Excel workbook renamed to .csv: upload it as .xlsx, or save "
                "it from Excel as “CSV UTF-8”.",
                code="wrong_type",
            )
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
            raise ValidationError(
                f"{name} is not UTF-8 text (it looks like UTF-16 or a binary file). "
                "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”.",
                code="encoding",
            )
    if ext == "xlsx":
        check_workbook(upload, name)
    return ext


def read_text(upload: UploadedFile) -> str:
    """The whole CSV as text: UTF-8 (with or without a byte-order mark) or refused."""
    upload.seek(0)
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ValidationError(
            f"{upload.name} is not UTF-8 text (unreadable bytes on line {line}). "
            "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”.",
            code="encoding",
        ) from error
    # check_upload looked for NUL in the first 4 KB only; PostgreSQL cannot store it at all.
    if (nul := text.find("\x00")) >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ValidationError(
            f"{upload.name} is not a text file: it has a NUL character on line {line}. "
            "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”.",
            code="encoding",
        )
    return text


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)  # type: ignore[arg-type]
    return best if counts[best] else ","


def _cell_too_long(name: str, line: int) -> ValidationError:
    return ValidationError(
        f"Line {line} of {name} has a cell of more than {MAX_CELL_CHARS:,} characters; no "
        "column of an import needs that many.",
        code="cell_too_long",
    )


def csv_rows(text: str, name: str = "the file") -> list[list[object]]:
    """The file's rows, held to the same cell limits as a workbook."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(text[:4096].split("\n")[0])
    )
    rows: list[list[object]] = []
    cells = 0
    try:
        for row in reader:
            cells += len(row)
            if cells > MAX_CELLS:
                raise ValidationError(
                    f"{name} has more than {MAX_CELLS:,} cells; split it into smaller files.",
                    code="too_many_cells",
                )
            if max(map(len, row), default=0) > MAX_CELL_CHARS:
                raise _cell_too_long(name, reader.line_num)
            rows.append(list(row))
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own cap
            raise _cell_too_long(name, reader.line_num) from error
        raise ValidationError(f"The file could not be read as CSV: {error}.") from error
    return rows


def xlsx_rows(upload: UploadedFile) -> list[list[object]]:
    from openpyxl import load_workbook

    upload.seek(0)
    try:
        book = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ValidationError(
            f"{upload.name} could not be read as an Excel workbook.", code="unreadable"
        ) from error
    try:
        sheet = book.worksheets[0]
        # Rows are padded to the declared dimension, which check_workbook did not count:
        # without it each row is as wide as its own last cell.
        sheet.reset_dimensions()
        rows: list[list[object]] = []
        filled = 0
        # Blank rows are kept so that row numbers match the sheet; a sheet padded with
        # formatting can hold a million of them, hence the second limit.
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            filled += any(v not in (None, "") for v in values)
            if filled > MAX_ROWS + 1 or len(rows) > MAX_ROWS * 10:
                raise ValidationError(
                    f"{upload.name} has more than {MAX_ROWS:,} rows; split it into smaller files.",
                    code="too_many_rows",
                )
        return rows
    finally:
        book.close()


def parse_upload(upload: UploadedFile, allowed: tuple[str, ...] = FORMATS) -> ParsedFile:
    ext = check_upload(upload, allowed)
    name = upload.name or "the file"
    raw = csv_rows(read_text(upload), name) if ext == "csv" else xlsx_rows(upload)
    return parse_rows(raw, name=name)


def parse_rows(raw: list[list[object]], name: str = "the file") -> ParsedFile:
    # The header is the first row with anything in it; blank rows elsewhere are skipped
    # but still counted, so row numbers match what a spreadsheet shows.
    start = next((i for i, row in enumerate(raw) if any(cell_text(c) for c in row)), None)
    if start is None:
        raise ValidationError(f"{name} has no header row.", code="empty")
    headers = [normalise_header(h) for h in raw[start]]
    while headers and not headers[-1]:
        headers.pop()
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise ValidationError(f"The column “{header}” appears twice in {name}.")
        seen.add(header)
    rows = []
    for index in range(start + 1, len(raw)):
        cells = [cell_text(c) for c in raw[index]]
        if not any(cells):
            continue
        problem = ""
        if len(cells) > len(headers):
            if any(cells[len(headers) :]):
                problem = (
                    f"This row has {len(cells)} cells but the header has {len(headers)} "
                    "columns (a comma inside a value that is not in quotes?)."
                )
            cells = cells[: len(headers)]
        cells += [""] * (len(headers) - len(cells))
        rows.append((index + 1, cells, problem))
    if not rows:
        raise ValidationError(f"{name} has a header row but no rows of data.", code="empty")
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            f"{name} has more than {MAX_ROWS:,} rows; split it into smaller files.",
            code="too_many_rows",
        )
    return ParsedFile(headers=headers, rows=rows)


def to_payload(parsed: ParsedFile, columns: list[str], required: list[str]) -> dict:
    """Match the file's headers to a kind's columns; the payload is what an ImportRun keeps."""
    missing = [c for c in required if c not in parsed.headers]
    if missing:
        found = ", ".join(h for h in parsed.headers if h) or "none"
        raise ValidationError(
            f"The file has no {', '.join(f'“{m}”' for m in missing)} column"
            f"{'s' if len(missing) > 1 else ''} (columns found: {found}). "
            "Download the template to see the header row this kind of file needs.",
            code="missing_columns",
        )
    present = [c for c in columns if c in parsed.headers]
    positions = [parsed.headers.index(c) for c in present]
    ignored = [h for h in parsed.headers if h and h not in columns]
    rows = [
        [*(cells[p] for p in positions), number, problem] for number, cells, problem in parsed.rows
    ]
    return {"headers": [*present, *INTERNAL_COLUMNS], "rows": rows, "ignored_columns": ignored}


def payload_dataset(payload: dict) -> tablib.Dataset:
    return tablib.Dataset(*[tuple(r) for r in payload["rows"]], headers=payload["headers"])


# ---- files out -------------------------------------------------------------------------


def render(dataset: tablib.Dataset, fmt: str) -> tuple[bytes, str]:
    """The dataset as a CSV (UTF-8 with a byte-order mark, for Excel) or XLSX file, with
    formula-looking cells neutralised as in every export (``pilot.reporting.csv_export``)."""
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title or "Sheet1")
    for row in dataset:
        safe.append([neutralise(v) if isinstance(v, str) else v for v in row])
    if fmt == "csv":
        return safe.export("csv").encode("utf-8-sig"), CSV_CONTENT_TYPE
    if fmt == "xlsx":
        return safe.export("xlsx"), XLSX_CONTENT_TYPE
    raise ValueError(f"Unknown format {fmt!r}")
