"""A coordinator pairs a teacher with a paraprofessional; the teacher logs a session."""

import pytest
from playwright.sync_api import Page, expect

from mentoring.models import MentoringSession, Pairing
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_pairs_and_teacher_logs_a_session(
    page: Page, live_server, world, sign_in, check_a11y
) -> None:
    teacher, para = world.teacher, world.para
    sign_in(page, "dc-own@example.test", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pairings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pairings")
    check_a11y(page)

    page.get_by_role("link", name="New pairing").click()
    check_a11y(page)
    page.get_by_label("District").select_option(label="Alpha District")
    page.get_by_label("Cohort").select_option(label=world.cohort.name)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New pairing")
    check_a11y(page)

    page.get_by_role("button", name="Create pairing").click()  # empty: fields say what is missing
    expect(page.get_by_role("alert")).to_contain_text("Please correct")
    check_a11y(page)
    page.get_by_label("Teacher").select_option(value=str(teacher.pk))
    page.locator("#id_paraprofessional").select_option(value=str(para.pk))
    page.get_by_label("Classroom Support").check()
    page.get_by_label("Small-group instruction").select_option(label="Tier 2 (targeted groups)")
    page.get_by_role("button", name="Create pairing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{teacher.full_name} mentoring {para.full_name}"
    )
    expect(page.get_by_role("status")).to_contain_text("Pairing created")
    check_a11y(page)
    pairing = Pairing.objects.get()
    assert pairing.support_roles.get().tier == 2

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "teacher@example.test", PASSWORD)
    panel = page.get_by_role("region", name="My paraprofessionals")
    check_a11y(page)
    panel.get_by_role("link", name=para.full_name, exact=True).click()
    check_a11y(page)
    page.get_by_role("link", name="Log a session").click()
    check_a11y(page)
    page.get_by_label("Minutes").fill("45")
    page.get_by_label("Notes").fill("Planned the Tier 2 reading group together.")
    page.get_by_label("Next steps").fill("Para leads it on Thursday.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Session logged.")
    expect(page.get_by_text("Planned the Tier 2 reading group together.")).to_be_visible()
    expect(page.get_by_text("1 session, 45 minutes in all.")).to_be_visible()
    check_a11y(page)
    session = MentoringSession.objects.get()
    assert session.logged_by == teacher and session.pairing == pairing
