"""The program coordinator starts next year from the current cohort: the cohort list, the
rollover preview (changing one pair's teacher and leaving a district out), the confirm, and
the new cohort on the list; then opens a carried paraprofessional's page (from the pairing
list) and sees both years. axe-core on every page."""

import pytest
from playwright.sync_api import Page, expect

from mentoring.models import Pairing
from pilot.models import Cohort
from tests.factories import PASSWORD, PairingFactory, TeacherFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_coordinator_rolls_the_year_over(
    page: Page, live_server, world, sign_in, check_a11y
) -> None:
    PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
    )
    PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher_b,
        paraprofessional=world.para_b,
        district=world.district_b,
    )
    other = TeacherFactory(school=world.school_a, first_name="Olive", last_name="Other")
    sign_in(page, "pc@example.test", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    check_a11y(page)
    page.get_by_role("link", name=f"Start next year from {world.cohort.name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Start next year from")
    check_a11y(page)
    expect(page.get_by_label("Name of the new cohort")).to_have_value("2027–2028 Pilot")
    page.get_by_label(f"Mentor teacher of {world.para.full_name}").select_option(
        label=other.full_name
    )
    page.get_by_label("Beta District").uncheck()
    # Dates overlapping this year are refused on the field, and nothing is created.
    page.get_by_label("Start date").fill("2027-06-01")
    page.get_by_role("button", name="Create next year's cohort").click()
    expect(page.get_by_text(f"These dates overlap {world.cohort.name}")).to_be_visible()
    check_a11y(page)
    assert Cohort.objects.count() == 1
    # Unticking Beta moved its pair to the pairings that do not continue, with the reason.
    expect(page.get_by_role("cell", name="Beta District does not carry over.")).to_be_visible()
    page.get_by_label("Start date").fill("2027-08-01")
    page.get_by_role("button", name="Create next year's cohort").click()
    expect(page.get_by_role("status")).to_contain_text("2027–2028 Pilot created with 1 district")
    check_a11y(page)
    new = Cohort.objects.get(name="2027–2028 Pilot")
    carried = Pairing.objects.get(cohort=new)
    assert (carried.paraprofessional, carried.teacher) == (world.para, other)
    assert list(new.enrollments.values_list("district__slug", flat=True)) == ["alpha"]
    # The new cohort is now the latest: the link moved to it.
    expect(page.get_by_role("link", name="Start next year from 2027–2028 Pilot")).to_be_visible()
    # The paraprofessional's page, from the pairing list: both years, each with its mentor.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pairings").click()
    page.get_by_role("link", name=world.para.full_name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.para.full_name)
    expect(page.get_by_role("heading", name=world.cohort.name, level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="2027–2028 Pilot", level=3)).to_be_visible()
    expect(page.get_by_text(other.full_name)).to_be_visible()
    check_a11y(page)
