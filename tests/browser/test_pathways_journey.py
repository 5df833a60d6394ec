"""The program coordinator opens a paraprofessional's path from their staff page, records
their withdrawal with a reason, and reads the pipeline report; axe-core on every page."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, PairingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_opens_a_person_page_and_records_a_withdrawal(
    page: Page, world, live_server, sign_in, check_a11y
) -> None:
    PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
    )
    pc = world.users["pc"]
    pc.set_password(PASSWORD)
    pc.save()
    sign_in(page, pc.email, PASSWORD)

    page.goto(f"{live_server.url}/staff/{world.para.uuid}/")
    page.get_by_role("link", name=f"The path of {world.para.full_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.para.full_name)
    expect(page.get_by_role("heading", name=world.cohort.name)).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Record a status").click()
    check_a11y(page)
    page.get_by_label("Cohort").select_option(label=world.cohort.name)
    page.get_by_label("Status").select_option("withdrew")
    page.get_by_label("Date").fill(world.cohort.starts_on.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Choose why they withdrew.")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Reason").select_option("family")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Withdrew — Family or personal reasons")).to_be_visible()
    check_a11y(page)

    page.goto(f"{live_server.url}/reports/pipeline/")
    expect(page.get_by_role("heading", name="Why some figures are withheld")).to_be_visible()
    check_a11y(page)

    # At 390 px (a phone) the pages fit: wide tables scroll inside their own box.
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/reports/pipeline/", f"/people/{world.para.uuid}/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
