"""A teacher fills and submits an observation; the paraprofessional acknowledges it; a
coordinator tracks, curates quotes and reopens. axe-core checks every page visited."""

import re

import pytest
from playwright.sync_api import Page, expect

from observations.models import Observation
from tests.factories import PASSWORD, ObservationFactory, PairingFactory, current_rubric

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pairing(world):
    current_rubric()  # a transactional test starts from an emptied database
    return PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)


def test_teacher_submits_and_para_acknowledges(
    page: Page, live_server, world, pairing, sign_in, check_a11y
):
    para_name = world.para.full_name
    sign_in(page, "teacher@example.test", PASSWORD)
    expect(page.get_by_role("heading", name="Observation forms due")).to_be_visible()
    check_a11y(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Observations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Observations")
    check_a11y(page)
    page.get_by_role("link", name=f"Start the baseline observation of {para_name}").click()
    expect(page.get_by_label("Baseline")).to_be_checked()
    check_a11y(page)
    page.get_by_label("Date observed").fill("2026-09-14")
    page.get_by_role("button", name="Start observation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Baseline observation of {para_name}"
    )
    check_a11y(page)
    indicators = list(current_rubric().indicators.order_by("domain__position", "position"))
    # Rate all but the last, then try to submit: refused, the missing one is marked.
    for indicator in indicators[:-1]:
        page.locator(f"#id_score_{indicator.pk}_3").check()
    page.get_by_label("Evidence note").first.fill("Stated the target before the reading group.")
    page.get_by_label("Strengths", exact=True).fill("Calm, clear directions.")
    page.get_by_label("Strengths may be quoted").check()
    page.get_by_role("button", name="Submit observation").click()
    expect(page.get_by_text("Choose a rating before submitting.").first).to_be_visible()
    check_a11y(page)
    assert Observation.objects.get().status == "draft"

    # The form kept what was entered; rate the last indicator via its label and submit.
    expect(page.locator(f"#id_score_{indicators[0].pk}_3")).to_be_checked()
    last = page.get_by_role("group", name=indicators[-1].statement)
    last.get_by_label("4 · Exemplary", exact=False).check()
    page.get_by_role("button", name="Submit observation").click()
    # Asked first, since it then becomes read-only; nothing is saved until confirmed.
    expect(page.get_by_role("heading", name=re.compile(r"^Submit the "))).to_be_visible()
    check_a11y(page)
    assert Observation.objects.get().status == "draft"
    page.get_by_role("button", name="Submit observation").click()
    expect(page.get_by_text("Submitted observations are read-only.")).to_be_visible()
    check_a11y(page)
    assert Observation.objects.get().status == "submitted"
    expect(page.get_by_role("radio")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, "para@example.test", PASSWORD)
    expect(page.get_by_text("Please read and acknowledge it.")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Read the baseline observation").click()
    expect(page.get_by_role("heading", name="Acknowledge this observation")).to_have_count(0)
    expect(page.get_by_role("group", name="Acknowledge this observation")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Your response (optional)").fill("Thank you, I will keep at it.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("acknowledged receiving this observation")).to_be_visible()
    check_a11y(page)
    observation = Observation.objects.get()
    assert observation.acknowledgement.response == "Thank you, I will keep at it."


def test_coordinator_tracks_curates_and_reopens(
    page: Page, live_server, world, pairing, sign_in, check_a11y
):
    baseline = ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
    ObservationFactory(pairing=pairing, kind="end", scores=3, submitted=True)
    from observations.models import Quote

    Quote.objects.create(observation=baseline, comment="strengths", text=baseline.strengths)

    sign_in(page, "pc@example.test", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Observations").click()
    expect(page.get_by_role("heading", name="Completion tracker: 2026–2027 Pilot")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Alpha District").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observations in Alpha District")
    check_a11y(page)
    page.get_by_role("link", name=world.para.full_name).click()
    expect(page.get_by_role("heading", name="Baseline against end of pilot")).to_be_visible()
    check_a11y(page)

    page.goto(f"{live_server.url}/observations/quotes/")
    check_a11y(page)
    page.get_by_role("button", name="Approve this strengths quote").click()
    expect(page.get_by_text("Quote approved.")).to_be_visible()
    check_a11y(page)

    page.goto(f"{live_server.url}/observations/{baseline.uuid}/")
    check_a11y(page)
    page.get_by_role("link", name="Reopen this observation").click()
    check_a11y(page)
    page.get_by_label("Reason for reopening").fill("Ratings were entered for the wrong date.")
    page.get_by_role("button", name="Reopen observation").click()
    expect(page.get_by_text("Reopened: the teacher can edit it again")).to_be_visible()
    check_a11y(page)
    assert Observation.objects.get(pk=baseline.pk).status == "draft"

    page.goto(f"{live_server.url}/observations/rubrics/")
    check_a11y(page)
    page.get_by_role("link", name="Version 1").click()
    check_a11y(page)
    page.goto(f"{live_server.url}/observations/rubrics/new/")
    check_a11y(page)
    page.get_by_label("What changed").fill("Clearer wording.")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 2 (current)")
    check_a11y(page)


def test_coordinator_reminds_a_teacher_from_the_district_tracker(
    page: Page, live_server, world, pairing, sign_in, check_a11y
):
    """The tracker's cached body has no form of its own: each "Send a reminder" button
    submits the page's one form (``form="tracker-remind"``, with this request's token)."""
    from datetime import date
    from unittest import mock

    from observations.models import ReminderSent

    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 11, 30)):
        sign_in(page, "dc-own@example.test", PASSWORD)
        page.goto(f"{live_server.url}/observations/tracker/alpha/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Observations in Alpha")
        check_a11y(page)
        button = page.get_by_role(
            "button",
            name=f"Send a reminder to {world.teacher.full_name} about the baseline "
            f"observation of {world.para.full_name}",
        )
        button.click()
        expect(page.get_by_text("Reminder about the baseline observation of")).to_be_visible()
        check_a11y(page)
        expect(page.get_by_text("Reminded Nov 30, 2026")).to_be_visible()
    assert ReminderSent.objects.filter(pairing=pairing, kind="baseline").count() == 1
