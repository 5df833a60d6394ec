"""The completion tracker's counts, and growth computed in SQL (end minus baseline)."""

import re
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from mentoring.models import Pairing
from observations import queries

from .factories import (
    ObservationFactory,
    PairingFactory,
    ParaFactory,
    SchoolFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def pair(world, school, **kwargs):
    teacher = TeacherFactory(school=school)
    return PairingFactory(
        cohort=world.cohort,
        teacher=teacher,
        paraprofessional=ParaFactory(school=school),
        **kwargs,
    )


@pytest.fixture
def program(world):
    """District A: two schools. North: 3 pairings; South: 2; district B: 1."""
    north = world.school_a
    south = SchoolFactory(district=world.district_a, name="South Elementary")
    n1, n2, n3 = pair(world, north), pair(world, north), pair(world, north)
    s1, s2 = pair(world, south), pair(world, south)
    b1 = pair(world, world.school_b)
    # n1: baseline and end submitted; n2: baseline submitted, end in draft; n3: nothing.
    ObservationFactory(pairing=n1, kind="baseline", scores=2, submitted=True)
    ObservationFactory(pairing=n1, kind="end", scores=3, submitted=True)
    ObservationFactory(pairing=n2, kind="baseline", scores=2, submitted=True)
    ObservationFactory(pairing=n2, kind="end", scores=4)
    # s1: baseline in draft, mid submitted; s2: all three submitted.
    ObservationFactory(pairing=s1, kind="baseline", scores=1)
    ObservationFactory(pairing=s1, kind="mid", scores=2, submitted=True)
    for kind, score in (("baseline", 1), ("mid", 2), ("end", 4)):
        ObservationFactory(pairing=s2, kind=kind, scores=score, submitted=True)
    ObservationFactory(pairing=b1, kind="baseline", scores=3, submitted=True)
    # An ended-early pairing owes nothing and is not counted.
    ended = pair(
        world, south, status="ended_early", end_reason="Moved", closed_on=world.cohort.starts_on
    )
    return {"n1": n1, "n2": n2, "n3": n3, "s1": s1, "s2": s2, "b1": b1, "ended": ended}


def test_completion_counts_by_district_and_school(world, program):
    pairings = queries.trackable_pairings(Pairing.objects.all(), world.cohort)
    by_district = {
        r["district__slug"]: r for r in queries.completion_counts(pairings, "district__slug")
    }
    assert by_district["alpha"] == {
        "district__slug": "alpha",
        "pairings": 5,
        "baseline": 3,  # n1, n2, s2
        "mid": 2,  # s1, s2
        "end": 2,  # n1, s2
        "no_baseline": 2,  # n3, s1 (a draft is not a baseline)
        "no_end": 3,  # n2 (draft), n3, s1
    }
    assert by_district["beta"]["pairings"] == 1 and by_district["beta"]["no_end"] == 1

    by_school = {
        r["paraprofessional__school__name"]: r
        for r in queries.completion_counts(
            pairings.filter(district=world.district_a), "paraprofessional__school__name"
        )
    }
    assert by_school["Alpha Elementary"]["pairings"] == 3
    assert by_school["Alpha Elementary"]["no_baseline"] == 1
    assert by_school["South Elementary"]["pairings"] == 2
    assert by_school["South Elementary"]["no_baseline"] == 1


def test_tracker_pages_show_the_counts(world, program, client):
    client.force_login(world.users["dc_own"])
    response = client.get(reverse("observations:index"))
    rows = response.context["tracker_rows"]
    assert [r["district__slug"] for r in rows] == ["alpha"]  # only their district
    assert response.context["tracker_totals"]["no_baseline"] == 2

    response = client.get(reverse("observations:tracker-district", args=["alpha"]))
    assert response.context["totals"]["pairings"] == 5
    states = {
        p.pk: (p.baseline_state, p.mid_state, p.end_state) for p in response.context["pairings"]
    }
    assert states[program["n2"].pk] == (2, 0, 1)
    assert states[program["n3"].pk] == (0, 0, 0)
    assert states[program["s2"].pk] == (2, 2, 2)
    assert program["ended"].pk not in states
    html = response.content.decode()
    assert program["n3"].paraprofessional.full_name in html


def test_growth_per_indicator_domain_and_pairing(world, program):
    pairings = Pairing.objects.all()
    # Pairings with both: n1 (2 -> 3) and s2 (1 -> 4). n2's end is a draft: not counted.
    by_domain = queries.growth_by_domain(pairings)
    assert [d["question"] for d in by_domain] == [
        "classroom_support",
        "engagement",
        "classroom_management",
    ]
    for row in by_domain:
        assert row["pairs"] == 2
        assert row["baseline_mean"] == Decimal("1.50")
        assert row["end_mean"] == Decimal("3.50")
        assert row["change"] == Decimal("2.00")
    by_indicator = queries.growth_by_indicator(pairings)
    assert len(by_indicator) == 9
    assert by_indicator[0]["statement"] == "States clear learning targets"
    assert all(r["change"] == Decimal("2.00") for r in by_indicator)

    growth = {p.pk: p for p in queries.growth_by_pairing(pairings)}
    assert set(growth) == {program["n1"].pk, program["s2"].pk}
    assert growth[program["n1"].pk].change == 1.0 and growth[program["s2"].pk].change == 3.0

    only_north = queries.growth_by_domain(Pairing.objects.filter(pk=program["n1"].pk))
    assert only_north[0]["change"] == Decimal("1.00") and only_north[0]["pairs"] == 1


def test_pairing_scores_side_by_side(world, program):
    scores = queries.pairing_scores(program["s2"])
    assert scores.has_growth and scores.kinds == ["baseline", "mid", "end"]
    first = scores.domains[0].indicators[0]
    assert (first.baseline, first.mid, first.end, first.change) == (1, 2, 4, 3)
    assert scores.domains[0].change == Decimal("3.00")
    assert not queries.pairing_scores(program["n2"]).has_growth  # end still a draft


def test_growth_page_shows_comparison(world, program, client):
    client.force_login(world.users["pc"])
    html = client.get(reverse("observations:growth", args=[program["s2"].uuid])).content.decode()
    assert "Baseline against end of pilot" in html
    assert '<span class="change-up">+3</span>' in html


def test_pairing_page_has_an_observations_section(world, program, client):
    client.force_login(world.users["dc_own"])
    response = client.get(reverse("mentoring:pairing-detail", args=[program["s2"].uuid]))
    section = next(s for s in response.context["extra_sections"] if "observations" in s["template"])
    assert [o.kind for o in section["data"]["observations"]] == ["baseline", "mid", "end"]
    assert section["data"]["growth"][0]["change"] == Decimal("3.00")
    html = response.content.decode()
    assert 'id="pairing-observations-heading">Observations</h2>' in html
    assert reverse("observations:growth", args=[program["s2"].uuid]) in html


def test_tracker_shows_due_dates_and_marks_overdue_only_when_it_is(world, program, client):
    client.force_login(world.users["dc_own"])
    url = reverse("observations:tracker-district", args=["alpha"])
    n3 = program["n3"]  # nothing started; the pairing runs Aug 1, 2026 – Jun 30, 2027
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 11, 30)):
        html = client.get(url).content.decode()
    row = re.search(rf"{n3.paraprofessional.full_name}</a></th>(.*?)</tr>", html, re.S).group(1)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row.split("<td>")[1:]]
    assert cells[-3:] == [
        "Not started Overdue since Aug 31, 2026 Send a reminder to "
        f"{n3.teacher.full_name} about the baseline observation of {n3.paraprofessional.full_name}",
        "Not started Due Jan 14, 2027",  # months away: not marked
        "Not started Due Jun 30, 2027",
    ]
    assert row.count("state-missing") == 1  # only the baseline is overdue
    teacher = reverse("pilot:staff-detail", args=[n3.teacher.uuid])
    assert f'<a href="{teacher}">{n3.teacher.full_name}</a>' in row
