"""A coordinator uploads a staff file, sees the row with an error, fixes it and confirms."""

import pytest
from playwright.sync_api import Page, expect

from pilot.models import Staff
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "district,school name,role,first name,last name,email,employee id,active"


def staff_file(school: str) -> dict:
    rows = [
        HEADER,
        "alpha,Alpha Elementary,teacher,Nadia,Osei,nadia.osei@alpha.test,T-77,yes",
        f"alpha,{school},paraprofessional,Omar,Price,omar.price@alpha.test,P-78,yes",
    ]
    return {"name": "alpha-staff.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}


def choose_and_preview(page: Page, file: dict) -> None:
    page.get_by_label("Staff", exact=True).check()
    page.get_by_label("CSV or XLSX file").set_input_files(files=[file])
    page.get_by_role("button", name="Preview").click()


def test_upload_preview_error_fix_and_confirm(page: Page, live_server, world, sign_in, check_a11y):
    sign_in(page, "dc-own@example.test", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster import")
    check_a11y(page)

    # A file of the wrong type is refused on its field, before anything is read.
    page.get_by_label("Staff", exact=True).check()
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "staff.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("staff.pdf is not a .csv or .xlsx file.")).to_be_visible()
    check_a11y(page)

    choose_and_preview(page, staff_file("Alpha Elementry"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of alpha-staff.csv")
    expect(page.get_by_text("Unknown school “Alpha Elementry” in Alpha District.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name="All rows (2)").click()
    expect(page.get_by_role("cell", name="Nadia Osei <nadia.osei@alpha.test>")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Upload a corrected file").click()
    choose_and_preview(page, staff_file("Alpha Elementary"))
    expect(page.get_by_text("Confirming writes 2 rows in one step.", exact=False)).to_be_visible()
    check_a11y(page)
    assert not Staff.objects.filter(email="omar.price@alpha.test").exists()

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of alpha-staff.csv")
    expect(page.locator("#messages")).to_contain_text("Imported alpha-staff.csv: 2 new")
    check_a11y(page)
    omar = Staff.objects.get(email="omar.price@alpha.test")
    assert (omar.role, omar.school.name) == ("paraprofessional", "Alpha Elementary")

    page.get_by_role("link", name="Import another file").click()
    expect(page.get_by_role("cell", name="alpha-staff.csv").first).to_be_visible()
    page.get_by_role("link", name="Import staff from OneRoster 1.1 files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import staff from OneRoster")
    check_a11y(page)
