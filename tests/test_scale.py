"""Seeding at scale (``seed_demo --scale N``) and what every main page costs as data grows.

The state-scale seed itself (27,000 staff) is measured by ``make bench BENCH_SCALE=state``,
not here; these tests seed a few copies of the demo program, which runs the same code.
"""

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from bench.pages import MAX_QUERIES, main_pages
from coursework.models import Enrollment
from demo.core import DISTRICTS, profile_for
from mentoring.models import Pairing
from observations.models import Observation, Rating
from pilot.models import District, School, Staff

pytestmark = pytest.mark.django_db

APPS = {"pilot", "mentoring", "coursework", "observations"}


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in APPS and model._meta.label != "pilot.AuditEntry"
    }


def seed(scale: int | str) -> None:
    call_command("seed_demo", "--force", "--scale", str(scale), verbosity=0)


def test_state_profile_is_a_whole_state() -> None:
    """About 150 districts, 1,800 schools, 12,000 teachers and 15,000 paraprofessionals."""
    state = profile_for("state")
    districts = state.copies * len(DISTRICTS)
    schools = districts * state.schools_per_district
    teachers, paras = schools * state.teachers_per_school, schools * state.paras_per_school
    assert 140 <= districts <= 160
    assert 1_700 <= schools <= 1_900
    assert 11_000 <= teachers <= 13_000
    assert 14_000 <= paras <= 16_000


def test_scale_seed_is_idempotent_grows_by_copies_and_keeps_the_rules() -> None:
    seed(1)
    one = counts()
    seed(2)
    two = counts()
    seed(2)
    assert counts() == two, "a second run at the same scale adds nothing"
    seed(1)
    assert counts() == two, "a smaller scale removes and adds nothing"
    assert District.objects.count() == 2 * len(DISTRICTS)
    for label in ("pilot.Staff", "pilot.School", "mentoring.Pairing", "observations.Observation"):
        assert one[label] < two[label] <= 2 * one[label] + 10, label

    # Pairings: members of the pairing's district with the right roles, dates in order,
    # at most one active pairing per paraprofessional and cohort.
    pairings = Pairing.objects.all()
    assert not pairings.exclude(teacher__district_id=F("district_id")).exists()
    assert not pairings.exclude(paraprofessional__district_id=F("district_id")).exists()
    assert not pairings.exclude(teacher__role=Staff.Role.TEACHER).exists()
    # A paraprofessional of pairings that are over may be a teacher since (the demo's first
    # year's alumni); the pairing's role column follows. An active pairing's may not.
    active_pairings = pairings.filter(status=Pairing.Status.ACTIVE)
    assert not active_pairings.exclude(paraprofessional__role=Staff.Role.PARAPROFESSIONAL).exists()
    assert not pairings.exclude(paraprofessional__role=F("paraprofessional_role")).exists()
    assert not pairings.filter(ends_on__lt=F("starts_on")).exists()
    active = (
        pairings.filter(status=Pairing.Status.ACTIVE)
        .values("cohort", "paraprofessional")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not active.exists()
    # Staff: a school in their own district; each with a first history record.
    assert not Staff.objects.exclude(school__district_id=F("district_id")).exists()
    assert Staff.history.count() >= Staff.objects.count()
    # Enrollments: paraprofessionals only, once per offering.
    assert not Enrollment.objects.exclude(para__role=Staff.Role.PARAPROFESSIONAL).exists()
    dupes = Enrollment.objects.values("para", "offering").annotate(n=Count("id"))
    assert not dupes.filter(n__gt=1).exists()
    # Observations: one rating per indicator of the rubric, every one scored once submitted.
    for observation in Observation.objects.annotate(n=Count("ratings")).select_related("rubric"):
        assert observation.n == observation.rubric.indicators.count()
    assert not Rating.objects.filter(
        observation__status=Observation.Status.SUBMITTED, score__isnull=True
    ).exists()


def test_scale_seed_observes_a_realistic_share_of_pairings() -> None:
    """This year: a baseline begun for most pairings; last year (2025–2026): every
    completed pairing ended with its end-of-pilot observation."""
    seed(2)
    current = Pairing.objects.filter(cohort__status="active")
    with_baseline = current.filter(observations__kind=Observation.Kind.BASELINE).distinct()
    assert with_baseline.count() >= 0.7 * current.count()
    # Last year's: the demo's first year (2024–2025) carries milestones, not observations.
    past_completed = Pairing.objects.filter(
        cohort__name="2025–2026 Pilot", status=Pairing.Status.COMPLETED
    )
    assert past_completed.exists()
    ended = past_completed.filter(
        Q(observations__kind=Observation.Kind.END)
        & Q(observations__status=Observation.Status.SUBMITTED)
    ).distinct()
    assert ended.count() == past_completed.count()


def _measure(client_for) -> dict[str, tuple[int, int]]:
    """(status, queries) of every main page as its role's demo sign-in."""
    measured = {}
    for page in main_pages():
        if page.kind in ("floor", "admin"):
            continue
        client = client_for(page.email)
        path = page.path()
        client.get(path, secure=True)  # sessions and caches settle on the first request
        if page.cache == "cold":
            cache.clear()  # the cached figures are computed again (pilot.figures_cache)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True)
        measured[f"{page.name} [{page.role}]"] = (response.status_code, len(captured))
    return measured


# Pages known to make more than MAX_QUERIES (see README "Performance"): none any more
# (the reports came down to 13 and 15 with issue 17). A page going over fails the test.
OVER_BUDGET: set[str] = set()


def test_every_main_page_makes_the_same_queries_at_1x_and_10x(client) -> None:
    """The benchmark's pages (pilot/bench_pages.py) as their roles, over the demo data and
    over ten copies of it: each answers 200 with the same number of queries, at most 15."""
    from pilot.models import User

    def client_for(email):
        client.logout()
        client.force_login(User.objects.get(email=email))
        return client

    seed(1)
    small = _measure(client_for)
    seed(10)
    assert School.objects.count() >= 10 * 20
    large = _measure(client_for)
    assert small.keys() == large.keys()
    assert {k: v for k, v in large.items() if v != small[k]} == {}, "counts grew with data"
    for name, (status, _queries) in small.items():
        assert status == 200, name
    over = {name for name, (_status, queries) in small.items() if queries > MAX_QUERIES}
    assert over == OVER_BUDGET, {name: small.get(name) for name in over ^ OVER_BUDGET}
