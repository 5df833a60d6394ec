"""The year rollover: /cohorts/<uuid>/rollover/ carries a cohort's districts and continuing
pairings into next year's cohort, all or nothing, once."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse

from mentoring import services as mentoring
from mentoring.models import Pairing, SupportRole
from pilot.models import Cohort, CohortEnrollment
from pilot.services import program

from .factories import CohortFactory, PairingFactory, ParaFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def pairings(world) -> dict[str, Pairing]:
    """Alpha's pair and Beta's pair continue; one pairing ended early and one
    paraprofessional left: those two do not."""
    alpha = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
        focus_areas=["classroom_support"],
    )
    SupportRole.objects.create(pairing=alpha, role="small_group", tier=2)
    beta = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher_b,
        paraprofessional=world.para_b,
        district=world.district_b,
    )
    quit_para = ParaFactory(school=world.school_a, first_name="Quinn", last_name="Early")
    ended = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=quit_para,
        district=world.district_a,
        status=Pairing.Status.ENDED_EARLY,
        closed_on=world.cohort.starts_on,
        end_reason="Took a job elsewhere.",
    )
    gone = ParaFactory(school=world.school_a, first_name="Gale", last_name="Gone")
    left = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=gone, district=world.district_a
    )
    gone.is_active = False
    gone.save()
    return {"alpha": alpha, "beta": beta, "ended": ended, "left": left}


def url(cohort) -> str:
    return reverse("pilot:cohort-rollover", args=[cohort.uuid])


def confirm_data(world, found: dict[str, Pairing], **changes) -> dict:
    data = {
        "name": "2027–2028 Pilot",
        "starts_on": "2027-08-01",
        "ends_on": "2028-06-30",
        "districts": [world.district_a.pk, world.district_b.pk],
        f"teacher_{found['alpha'].uuid.hex}": str(world.teacher.pk),
        f"teacher_{found['beta'].uuid.hex}": str(world.teacher_b.pk),
    }
    return data | changes


def counts() -> tuple[int, int, int]:
    return Cohort.objects.count(), CohortEnrollment.objects.count(), Pairing.objects.count()


def test_preview_lists_what_carries_over_and_what_does_not(world, login) -> None:
    found = pairings(world)
    page = login(world.users["pc"]).get(url(world.cohort))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["name"].initial == "2027–2028 Pilot"
    assert form["starts_on"].initial == date(2027, 8, 1)
    assert form["ends_on"].initial == date(2028, 6, 30)
    assert {d.pk for d in form["districts"].initial} == {world.district_a.pk, world.district_b.pk}
    continuing = {r["carryover"].pairing.pk: r["field"] for r in page.context["continuing"]}
    assert set(continuing) == {found["alpha"].pk, found["beta"].pk}
    assert continuing[found["alpha"].pk].initial == str(world.teacher.pk)
    reasons = {r["carryover"].pairing.pk: r["carryover"].reason for r in page.context["stopping"]}
    assert reasons == {
        found["ended"].pk: "The pairing ended early: Took a job elsewhere.",
        found["left"].pk: "Gale Gone is no longer active.",
    }
    html = page.content.decode()
    assert "The pairing ended early: Took a job elsewhere." in html
    assert "Leave for re-pairing" in html
    assert counts() == (1, 2, 4)  # a preview writes nothing


def test_confirm_creates_the_cohort_its_districts_and_the_pairings(world, login) -> None:
    found = pairings(world)
    other = TeacherFactory(school=world.school_a, first_name="Olive", last_name="Other")
    client = login(world.users["pc"])
    data = confirm_data(world, found, **{f"teacher_{found['alpha'].uuid.hex}": str(other.pk)})
    response = client.post(url(world.cohort), data)
    assert response.status_code == 302
    new = Cohort.objects.get(name="2027–2028 Pilot")
    assert (new.starts_on, new.ends_on, new.status) == (
        date(2027, 8, 1),
        date(2028, 6, 30),
        Cohort.Status.PLANNING,
    )
    assert set(new.enrollments.values_list("district__slug", "enrolled_on")) == {
        ("alpha", date(2027, 8, 1)),
        ("beta", date(2027, 8, 1)),
    }
    carried = {p.paraprofessional_id: p for p in Pairing.objects.filter(cohort=new)}
    assert set(carried) == {world.para.pk, world.para_b.pk}
    alpha = carried[world.para.pk]
    assert alpha.teacher == other and alpha.focus_areas == ["classroom_support"]
    assert (alpha.starts_on, alpha.ends_on) == (new.starts_on, new.ends_on)
    assert [(r.role, r.tier) for r in alpha.support_roles.all()] == [("small_group", 2)]
    assert carried[world.para_b.pk].teacher == world.teacher_b


def test_unticked_district_and_left_for_repairing_are_not_carried(world, login) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    data = confirm_data(
        world,
        found,
        districts=[world.district_a.pk],
        **{f"teacher_{found['alpha'].uuid.hex}": ""},
    )
    response = client.post(url(world.cohort), data, follow=True)
    assert "1 left for re-pairing" in response.content.decode()
    new = Cohort.objects.get(name="2027–2028 Pilot")
    assert list(new.enrollments.values_list("district__slug", flat=True)) == ["alpha"]
    assert not Pairing.objects.filter(cohort=new).exists()
    # The preview says why Beta's pair does not continue once Beta is unticked.
    world_preview = mentoring.rollover_pairings(cohort=world.cohort, carried={world.district_a.pk})
    beta = next(c for c in world_preview if c.pairing == found["beta"])
    assert beta.reason == "Beta District does not carry over."


def test_second_confirm_creates_nothing(world, login) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    client.post(url(world.cohort), confirm_data(world, found))
    after_first = counts()
    again = client.post(url(world.cohort), confirm_data(world, found, name="Another name"))
    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [
        f"2027–2028 Pilot already follows {world.cohort}: only the latest cohort rolls over."
    ]
    assert counts() == after_first
    # The preview says so at once, too.
    preview = client.get(url(world.cohort))
    assert "only the latest cohort rolls over" in preview.content.decode()


def test_a_refused_pairing_mid_way_undoes_everything(world, login) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    before = counts()
    # Beta's pairing holds a focus area the program no longer has, so carrying it is
    # refused after Alpha's was carried: Alpha's pairing and the new cohort are undone too.
    Pairing.objects.filter(pk=found["beta"].pk).update(focus_areas=["retired_area"])
    response = client.post(url(world.cohort), confirm_data(world, found))
    assert response.status_code == 200
    errors = response.context["form"].errors[f"teacher_{found['beta'].uuid.hex}"]
    assert errors == ["Choose focus areas from the pilot's three questions."]
    assert counts() == before


def test_a_crash_mid_way_undoes_everything(world, login, monkeypatch) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    before = counts()
    carry = mentoring.carry_pairing
    calls = []

    def carry_then_crash(**kwargs) -> Pairing:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return carry(**kwargs)

    monkeypatch.setattr(mentoring, "carry_pairing", carry_then_crash)
    with pytest.raises(RuntimeError):
        client.post(url(world.cohort), confirm_data(world, found))
    assert len(calls) == 2
    assert counts() == before


def test_overlapping_dates_are_refused_on_the_field(world, login) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    response = client.post(url(world.cohort), confirm_data(world, found, starts_on="2027-06-01"))
    assert (
        response.context["form"]
        .errors["starts_on"][0]
        .startswith(f"These dates overlap {world.cohort} (")
    )
    assert counts() == (1, 2, 4)


def test_only_the_latest_cohort_rolls_over(world) -> None:
    earlier = CohortFactory(
        name="2025–2026 Pilot", starts_on=date(2025, 8, 1), ends_on=date(2026, 6, 30)
    )
    defaults = program.next_year(earlier)
    assert defaults["name"] == "2026–2027 Pilot"
    problems = program.rollover_problems(cohort=earlier, **defaults)
    assert problems[NON_FIELD_ERRORS] == [
        f"{world.cohort} already follows 2025–2026 Pilot: only the latest cohort rolls over."
    ]
    assert problems["name"] == ["Another cohort already has this name."]
    assert "starts_on" not in problems


def test_unknown_cohort_is_404(world, login) -> None:
    client = login(world.users["pc"])
    assert client.get(reverse("pilot:cohort-rollover", args=[uuid.uuid4()])).status_code == 404


def test_cohort_list_offers_start_next_year_on_the_latest_only(world, login) -> None:
    CohortFactory(name="2025–2026 Pilot", starts_on=date(2025, 8, 1), ends_on=date(2026, 6, 30))
    html = login(world.users["pc"]).get(reverse("pilot:cohort-list")).content.decode()
    assert html.count("Start next year") == 1
    assert url(world.cohort) in html
    dc_html = login(world.users["dc_own"]).get(reverse("pilot:cohort-list")).content.decode()
    assert "Start next year" not in dc_html


def test_leaving_paraprofessionals_do_not_continue_with_their_reason(world) -> None:
    found = pairings(world)
    rows = mentoring.rollover_pairings(
        cohort=world.cohort,
        carried={world.district_a.pk, world.district_b.pk},
        leaving={world.para.pk: "Completed the program on June 1, 2027."},
    )
    alpha = next(c for c in rows if c.pairing == found["alpha"])
    assert not alpha.continues and alpha.reason == "Completed the program on June 1, 2027."


@pytest.mark.parametrize("extra", [0, 30])
def test_preview_queries_stay_flat(world, login, django_assert_max_num_queries, extra) -> None:
    pairings(world)
    for _ in range(extra):
        PairingFactory(
            cohort=world.cohort,
            teacher=TeacherFactory(school=world.school_a),
            paraprofessional=ParaFactory(school=world.school_a),
            district=world.district_a,
        )
    client = login(world.users["pc"])
    # One more than the pairings alone: who is leaving by their pathway status.
    with django_assert_max_num_queries(14):
        response = client.get(url(world.cohort))
    assert len(response.context["continuing"]) == 2 + extra


def test_a_paraprofessional_who_completed_or_withdrew_does_not_continue(world, login) -> None:
    """Their pathway status in the cohort decides: the preview says why they stop."""
    from pathways.models import CohortStatus

    found = pairings(world)
    CohortStatus.objects.create(
        para=found["alpha"].paraprofessional,
        cohort=world.cohort,
        status=CohortStatus.Status.COMPLETED,
        recorded_on=world.cohort.starts_on,
        recorded_by=world.users["pc"],
    )
    CohortStatus.objects.create(
        para=found["beta"].paraprofessional,
        cohort=world.cohort,
        status=CohortStatus.Status.WITHDREW,
        reason=CohortStatus.Reason.FAMILY,
        recorded_on=world.cohort.starts_on,
        recorded_by=world.users["pc"],
    )
    page = login(world.users["pc"]).get(url(world.cohort))
    assert page.context["continuing"] == []
    reasons = {r["carryover"].pairing.pk: r["carryover"].reason for r in page.context["stopping"]}
    assert reasons[found["alpha"].pk] == "Completed the program"
    assert reasons[found["beta"].pk] == "Withdrew (family or personal reasons)"
