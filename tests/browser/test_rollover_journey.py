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
    # Each district's pairings are folded under its name: open Alpha's, where the box holds
    # this year's teacher and suggests Alpha's teachers; type another one of them.
    box = page.get_by_label(f"Mentor teacher of {world.para.full_name}")
    expect(box).to_be_hidden()
    page.locator("summary", has_text="Alpha District").click()
    teacher = world.teacher
    expect(box).to_have_value(f"{teacher.last_name}, {teacher.first_name} · {teacher.employee_id}")
    check_a11y(page)
    # A name that is no teacher of Alpha is refused on its row; so are dates overlapping
    # this year, on their field; nothing is created.
    box.fill("Nobody, Known")
    page.get_by_role("checkbox", name="Beta District").uncheck()
    page.get_by_label("Start date").fill("2027-06-01")
    page.get_by_role("button", name="Create next year's cohort").click()
    expect(page.get_by_text(f"These dates overlap {world.cohort.name}")).to_be_visible()
    expect(box).to_be_visible()  # its district opened to show the message
    expect(box).to_have_value("Nobody, Known")
    expect(box).to_have_accessible_description(
        "No active teacher of Alpha District answers to “Nobody, Known”: choose one from "
        "the list (Last, First · employee id), or empty the box to leave the "
        "paraprofessional for re-pairing."
    )
    check_a11y(page)
    assert Cohort.objects.count() == 1
    # Unticking Beta moved its pair to the pairings that do not continue, with the reason.
    expect(page.get_by_role("cell", name="Beta District does not carry over.")).to_be_visible()
    box.fill(f"{other.last_name}, {other.first_name} · {other.employee_id}")
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


def test_the_rollover_fits_a_phone_with_its_districts_open(
    page: Page, live_server, world, sign_in, check_a11y
) -> None:
    """At 390 px nothing scrolls sideways, a district's table scrolls inside its region,
    and a refused box shows its message there; axe finds nothing."""
    for district, teacher, para in (
        (world.district_a, world.teacher, world.para),
        (world.district_b, world.teacher_b, world.para_b),
    ):
        PairingFactory(
            cohort=world.cohort, teacher=teacher, paraprofessional=para, district=district
        )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "pc@example.test", PASSWORD)
    page.goto(f"{live_server.url}/cohorts/{world.cohort.uuid}/rollover/")
    for summary in page.locator("details.rollover-district > summary").all():
        summary.click()
    box = page.get_by_label(f"Mentor teacher of {world.para_b.full_name}")
    expect(box).to_be_visible()
    assert page.evaluate(SCROLL_WIDTH) <= page.evaluate("window.innerWidth")
    check_a11y(page)
    box.fill("Someone Else")
    page.get_by_role("button", name="Create next year's cohort").click()
    expect(box).to_have_accessible_description(
        "No active teacher of Beta District answers to “Someone Else”: choose one from the "
        "list (Last, First · employee id), or empty the box to leave the paraprofessional "
        "for re-pairing."
    )
    assert page.evaluate(SCROLL_WIDTH) <= page.evaluate("window.innerWidth")
    check_a11y(page)
    assert Cohort.objects.count() == 1


SCROLL_WIDTH = "() => document.documentElement.scrollWidth"
