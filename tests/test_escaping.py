"""Names containing markup come out escaped on every page that shows them (tests/escaping/)."""

import csv
import io

import pytest
import weasyprint
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from pilot.models import Staff

from .escaping import ESCAPED, FORMULA, PAYLOAD, hostile
from .escaping.registry import all_pages, hostile_builders
from .world import build_world

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAGES = all_pages()


def assert_escaped_html(html: str, shows) -> None:
    assert PAYLOAD not in html, "the payload came out unescaped"
    assert "<script>alert" not in html and "<img src=x" not in html
    for name in shows:
        assert escape(name) in html, f"the page does not show {name!r} (escaped)"


def assert_safe_csv(text: str, shows) -> None:
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    for name in shows:
        assert any(name in cell for cell in cells), f"the CSV lost {name!r}"
    risky = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not risky, f"cells a spreadsheet would run as formulas: {risky}"


def pdf_text(pdf: bytes) -> str:
    """The words a reader of the PDF sees (its text layer), whitespace removed: a long name
    may wrap across lines in a table cell."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def assert_literal_pdf(pdf: bytes, shows) -> None:
    """Each name is printed as typed, markup and all: had it reached the PDF renderer as
    markup, its <script> and <img> would be elements, not text on the page."""
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for name in shows:
        assert "".join(name.split()) in text, f"the PDF does not print {name!r} as text"


@pytest.fixture
def hostile_world(db):
    world = build_world()
    for make in hostile_builders():
        make(world)
    return world


def test_every_page_lists_what_it_shows() -> None:
    assert PAGES
    for label, page in PAGES.items():
        assert page.shows, f"{label}: list the hostile names the page shows"
        assert all(PAYLOAD in name for name in page.shows), label


@pytest.mark.parametrize("label", sorted(PAGES))
def test_names_are_escaped(label: str, hostile_world) -> None:
    page = PAGES[label]
    client = Client()
    client.force_login(
        hostile_world.users[page.persona], backend="django.contrib.auth.backends.ModelBackend"
    )
    response = client.get(page.url(hostile_world))
    assert response.status_code == 200, f"{label}: {response.status_code}"
    if page.kind == "pdf":
        assert response["Content-Type"] == "application/pdf"
        assert_literal_pdf(response.content, page.shows)
        return
    text = response.content.decode()
    if page.kind == "csv":
        assert_safe_csv(text, page.shows)
    else:
        assert response["Content-Type"].startswith("text/html")
        assert_escaped_html(text, page.shows)


def test_names_are_escaped_in_saved_messages(world, login) -> None:
    client = login(world.users["pc"])
    first = hostile("Robin")
    response = client.post(
        reverse("pilot:staff-create"),
        {
            "first_name": first,
            "last_name": "Lee",
            "email": "robin@school.test",
            "role": "teacher",
            "district": world.district_a.pk,
            "school": world.school_a.pk,
            "form_token": "9f1d6c1e-51b4-4a8b-9a55-2b1c5e3f0d11",
        },
        follow=True,
    )
    assert Staff.objects.filter(first_name=first).exists()
    html = response.content.decode()
    assert_escaped_html(html, [f"{first} Lee added."])


def test_typed_email_is_escaped_when_sign_in_fails(db) -> None:
    response = Client().post(reverse("login"), {"username": PAYLOAD, "password": "x"})
    assert response.status_code == 200
    assert_escaped_html(response.content.decode(), [PAYLOAD])


def test_the_checks_catch_unescaped_output() -> None:
    """The helpers above fail on what they are meant to catch."""
    with pytest.raises(AssertionError):
        assert_escaped_html(f"<td>{PAYLOAD}</td>", [PAYLOAD])
    with pytest.raises(AssertionError):
        assert_escaped_html("<td>nothing</td>", [PAYLOAD])
    assert_escaped_html(f"<td>{ESCAPED}</td>", [PAYLOAD])
    with pytest.raises(AssertionError):
        assert_safe_csv(f'name\r\n"{FORMULA}"\r\n', [])
    assert_safe_csv(f'name\r\n"\'{FORMULA}"\r\n', [])
    unescaped = weasyprint.HTML(string=f"<p>Pat {PAYLOAD}</p>").write_pdf()
    with pytest.raises(AssertionError):
        assert_literal_pdf(unescaped, [hostile("Pat")])
    escaped = weasyprint.HTML(string=f"<p>Pat {ESCAPED}</p>").write_pdf()
    assert_literal_pdf(escaped, [hostile("Pat")])
