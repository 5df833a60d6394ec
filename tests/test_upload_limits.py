"""Files that expand on opening are refused before they are expanded: an .xlsx whose parts
unpack past 50 MB, hold more than 300,000 cells or a cell of more than 10,000 characters,
and CSV files with such cells or a NUL anywhere. The workbooks are built here, a few KB to
a few MB on disk; the tests check the mechanism (openpyxl never called, the file read a
chunk at a time, nothing kept), not the clock."""

import io
import zipfile
from collections.abc import Iterable, Iterator

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilot.imports import workbook
from pilot.imports.files import xlsx_rows
from pilot.models import AuditEntry, ImportRun

pytestmark = pytest.mark.django_db

MAIN = workbook.MAIN
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        '<sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
STAFF = [
    ["district", "school name", "role", "first name", "last name", "email"],
    ["alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann.lee@a.test"],
]


def column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx(
    rows: Iterable[str], strings: Iterable[str] = (), dimension: str = "", doctype: str = ""
) -> bytes:
    """A workbook written part by part, so that a part of 50 MB never sits in memory."""
    sheet = [
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{MAIN}">',
        f'<dimension ref="{dimension}"/>' if dimension else "",
        "<sheetData>",
        rows,
        "</sheetData></worksheet>",
    ]
    shared = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">', strings, "</sst>"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        for name, pieces in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)):
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in pieces:
                    for text in [piece] if isinstance(piece, str) else piece:
                        part.write(text.encode())
    return buffer.getvalue()


def text_rows(rows: list[list[str]]) -> Iterator[str]:
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{column(i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for i, value in enumerate(row, start=1)
        )
        yield f'<row r="{number}">{cells}</row>'


def grid(rows: int, columns: int) -> Iterator[str]:
    letters = [column(i) for i in range(1, columns + 1)]
    for r in range(1, rows + 1):
        yield f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters)
        yield "</row>"


def huge_string(characters: int) -> Iterator[str]:
    yield "<si><t>"
    block = "x" * 1_000_000
    for _ in range(characters // len(block)):
        yield block
    yield "</t></si>"


@pytest.fixture
def watch(monkeypatch, settings, tmp_path):
    """Records calls to openpyxl.load_workbook, the size of every read from inside the zip
    and of every part opened; uploads go through temporary files in an empty directory."""
    seen = {"loads": 0, "reads": [], "opened": []}
    load, read, open_part = (
        openpyxl.load_workbook,
        zipfile.ZipExtFile.read,
        zipfile.ZipFile.open,
    )

    def spy_load(*args, **kwargs):
        seen["loads"] += 1
        return load(*args, **kwargs)

    def spy_read(self, n=-1):
        data = read(self, n)
        seen["reads"].append(len(data))
        return data

    def spy_open(self, name, *args, **kwargs):
        seen["opened"].append(getattr(name, "filename", name))
        return open_part(self, name, *args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy_load)
    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy_read)
    monkeypatch.setattr(zipfile.ZipFile, "open", spy_open)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.MEDIA_ROOT = str(tmp_path)
    seen["dir"] = tmp_path
    return seen


def refused(client, content: bytes, name: str = "staff.xlsx", watch: dict | None = None) -> str:
    """Upload a file that must be refused: its message, after checking nothing was kept."""
    if watch is not None:  # forget what building the file did
        watch["reads"].clear()
        watch["opened"].clear()
    audit = AuditEntry.objects.count()
    response = client.post(
        reverse("imports:index"),
        {"kind": "staff", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert not ImportRun.objects.exists()
    assert AuditEntry.objects.count() == audit
    [message] = response.context["form"].errors["file"]
    return message


def assert_streamed_and_dropped(watch) -> None:
    """openpyxl never saw the file, which was read a chunk at a time (memory never held more
    than 64 KB of any part) and left nothing behind (the temporary upload is gone)."""
    assert watch["loads"] == 0
    assert max(watch["reads"], default=0) <= workbook.CHUNK
    assert list(watch["dir"].iterdir()) == []


def test_a_workbook_unpacking_past_50_mb_is_refused_from_its_directory(world, login, watch):
    # 60 MB of one repeated character: a zip bomb 60 KB on disk.
    bomb = xlsx([], strings=huge_string(60_000_000))
    assert len(bomb) < 100_000
    message = refused(login(world.users["pc"]), bomb, watch=watch)
    assert message == (
        "staff.xlsx unpacks to 57.2\xa0MB in 6 parts; a workbook may unpack to at most 50 MB "
        "in 1,000 parts. Copy the rows to import into a new workbook, or save them as CSV UTF-8."
    )
    assert watch["opened"] == []  # no part was unpacked, not even a chunk
    assert_streamed_and_dropped(watch)


# The two files: one cell of 50 million characters in about 55 KB, and 2,000 rows
# of 500 cells (it declares its dimension, as Excel does; the count does not rely on it).
EXPANDING = {
    "one huge cell": (
        lambda: xlsx(text_rows([["district"]]), strings=huge_string(50_000_000)),
        100_000,
        "A cell of staff.xlsx holds more than 10,000 characters; no column of an import "
        "needs that many.",
    ),
    "2,000 x 500 cells": (
        lambda: xlsx(grid(2_000, 500), dimension="A1:SF2000"),
        4 * 1024 * 1024,  # well under the 5 MB upload limit
        "staff.xlsx has more than 300,000 cells (blank cells before the last one in a row "
        "count too); split it into smaller files.",
    ),
}


@pytest.mark.parametrize("kind", EXPANDING)
def test_a_workbook_that_expands_is_refused_while_streaming(kind, world, login, watch):
    build, size_on_disk, expected = EXPANDING[kind]
    content = build()
    assert len(content) < size_on_disk
    assert refused(login(world.users["pc"]), content, watch=watch) == expected
    assert_streamed_and_dropped(watch)


def test_a_long_cell_in_the_sheet_is_named(world, login, watch):
    rows = [STAFF[0], ["alpha", "x" * (workbook.MAX_CELL_CHARS + 1)]]
    message = refused(login(world.users["pc"]), xlsx(text_rows(rows)))
    assert message.startswith("Cell B2 of staff.xlsx holds more than 10,000 characters")
    assert watch["loads"] == 0


def test_blank_cells_before_a_far_cell_count(world, login, watch):
    # Twenty rows with one cell in the last column would be 20 x 16,384 values once read.
    far = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(1, 21))
    message = refused(login(world.users["pc"]), xlsx([far]))
    assert message.startswith("staff.xlsx has more than 300,000 cells")
    assert watch["loads"] == 0


def test_a_declared_dimension_does_not_pad_the_rows(world, login):
    # openpyxl pads every row to the declared dimension, which the limits did not count; the
    # rows come back as wide as their own cells, and the file imports.
    content = xlsx(text_rows(STAFF), dimension="A1:XFD40")
    assert [len(row) for row in xlsx_rows(SimpleUploadedFile("staff.xlsx", content))] == [6, 6]
    response = login(world.users["pc"]).post(
        reverse("imports:index"),
        {"kind": "staff", "file": SimpleUploadedFile("staff.xlsx", content)},
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.data["rows"][0][:6] == STAFF[1]
    assert [row["row"] for row in run.outcomes] == [2]


def test_a_document_type_declaration_is_refused(world, login, watch):
    # Entity-expansion ("billion laughs") bombs need a DTD; spreadsheets never have one.
    laughs = '<!DOCTYPE worksheet [<!ENTITY lol "lol">]>'
    message = refused(login(world.users["pc"]), xlsx(text_rows(STAFF), doctype=laughs))
    assert message == "staff.xlsx could not be read as an Excel workbook."
    assert watch["loads"] == 0


def test_a_csv_with_a_long_cell_is_refused(world, login):
    header = "district,school name,role,first name,last name,email"
    long = f"alpha,Alpha Elementary,teacher,Ann,{'x' * 10_001},ann@a.test"
    for length, line in ((10_001, long), (200_000, long.replace("x" * 10_001, "x" * 200_000))):
        content = f"{header}\n{line}\n".encode()
        assert refused(login(world.users["pc"]), content, "staff.csv") == (
            "Line 2 of staff.csv has a cell of more than 10,000 characters; no column of an "
            "import needs that many."
        ), length


def test_a_csv_with_a_nul_after_its_first_4_kb_is_refused(world, login):
    header = "district,school name,role,first name,last name,email"
    rows = [f"alpha,Alpha Elementary,teacher,Ann,Lee,ann{n}@a.test" for n in range(100)]
    content = "\n".join([header, *rows, "alpha,Alpha Elementary,teacher,A\x00n,Lee,x@a.test"])
    assert content.index("\x00") > 4096
    assert refused(login(world.users["pc"]), content.encode(), "staff.csv") == (
        "staff.csv is not a text file: it has a NUL character on line 102. In Excel choose "
        "File › Save As › “CSV UTF-8 (Comma delimited)”."
    )


def test_oneroster_files_with_a_nul_are_refused(world, login):
    orgs = "sourcedId,name,type\n" + "o1,Alpha Elementary,school\n" * 200 + "o2,B\x00,school\n"
    users = "sourcedId,orgSourcedIds,role,givenName,familyName,email\nu1,o1,teacher,A,B,a@a.test\n"
    response = login(world.users["pc"]).post(
        reverse("imports:oneroster"),
        {
            "district": world.district_a.pk,
            "orgs": SimpleUploadedFile("orgs.csv", orgs.encode()),
            "users": SimpleUploadedFile("users.csv", users.encode()),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["orgs"] == [
        "orgs.csv is not a text file: it has a NUL character on line 202. In Excel choose "
        "File › Save As › “CSV UTF-8 (Comma delimited)”."
    ]
    assert not ImportRun.objects.exists()
