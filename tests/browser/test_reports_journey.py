"""Coordinators read the reports; the program coordinator prints the end-of-pilot report
and downloads it as PDF. axe-core checks every page visited."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.report_data import APPROVED_QUOTE, build_small_pilot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pilot(world):
    return build_small_pilot(world)


def test_program_coordinator_reads_prints_and_downloads(
    page: Page, live_server, world, pilot, sign_in, check_a11y
):
    sign_in(page, "pc@example.test", PASSWORD)
    expect(page.get_by_role("heading", name="Average growth by domain: Pilot 2025")).to_be_visible()
    check_a11y(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.locator("#report-scope")).to_contain_text("Pilot 2025, all districts")
    expect(page.get_by_role("img", name="Change in mean score, by district")).to_be_visible()
    check_a11y(page)

    page.get_by_label("District", exact=True).select_option(label="Alpha District")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#report-scope")).to_contain_text("Pilot 2025, Alpha District")
    table = page.get_by_role("table", name="Growth from baseline to end of pilot, by domain")
    expect(table.get_by_role("row", name="Classroom Support")).to_contain_text("+1.20")
    check_a11y(page)

    # On paper: the figures stay, the filter and the download links do not.
    page.emulate_media(media="print")
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.get_by_role("link", name="Download CSV").first).to_be_hidden()
    expect(page.get_by_role("img", name="Mentoring minutes by month")).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Open the end-of-pilot report for Pilot 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End-of-pilot report: Pilot 2025")
    expect(page.get_by_role("heading", name="The three pilot questions")).to_be_visible()
    expect(page.get_by_text(APPROVED_QUOTE)).to_be_visible()
    expect(page.get_by_text("A teacher in Alpha District").first).to_be_visible()
    check_a11y(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as PDF").click()
    years = f"{pilot.cohort.starts_on.year}-{pilot.cohort.ends_on.year}"
    assert download.value.suggested_filename == f"pilot-report-{years}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV of the quotes").click()
    assert download.value.suggested_filename == "quotes.csv"


def test_district_coordinator_and_pair_dashboards(
    page: Page, live_server, world, pilot, sign_in, check_a11y
):
    sign_in(page, "dc-own@example.test", PASSWORD)
    expect(page.get_by_role("heading", name="Average growth by domain: Pilot 2025")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Open the reports").click()
    expect(page.locator("#report-scope")).to_contain_text("Pilot 2025, all your districts")
    expect(page.get_by_text("Beta District")).to_have_count(0)
    check_a11y(page)

    for email in ("teacher@example.test", "para@example.test"):
        page.context.clear_cookies()
        sign_in(page, email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
        check_a11y(page)
