"""Cached report and dashboard figures never go stale: a write in each app, then a page
load, shows the new figure (``pilot.figures_cache``: every write bumps the data version).
And a second load with no write between reads the cache (fewer queries)."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import update_last_login
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coursework.models import Enrollment
from mentoring.models import MentoringSession
from pilot.models import AuditEntry, RoleAssignment

from .factories import (
    CohortEnrollmentFactory,
    DistrictFactory,
    EnrollmentFactory,
    MentoringSessionFactory,
    ObservationFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
    QuoteFactory,
    RoleAssignmentFactory,
    UserFactory,
    current_rubric,
)
from .report_data import build_small_pilot
from .test_reports import report, rows_by_label, tables

pytestmark = pytest.mark.django_db


def dashboard(client) -> dict[str, object]:
    response = client.get("/")
    assert response.status_code == 200
    return {c["label"]: c["value"] for c in response.context["current_cards"]}


@pytest.fixture
def coordinator(world, login):
    current_rubric()
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    MentoringSessionFactory(pairing=pairing, held_on=timezone.localdate(), minutes=40)
    client = login(world.users["pc"])
    dashboard(client)  # the figures are now cached
    return client, pairing


MONTH = f"Mentoring minutes in {timezone.localdate():%B}"


def test_a_mentoring_session_shows_on_the_next_load(world, coordinator):
    client, pairing = coordinator
    assert dashboard(client)[MONTH] == 40
    MentoringSessionFactory(pairing=pairing, held_on=timezone.localdate(), minutes=25)
    assert dashboard(client)[MONTH] == 65
    # A queryset update (no model signal) bumps the version too.
    MentoringSession.objects.filter(pairing=pairing).update(minutes=10)
    assert dashboard(client)[MONTH] == 20


def test_a_teachers_session_shows_on_their_dashboards_next_load(world, login):
    """Everyone's dashboard is cached (their own); a session logged shows on the next load."""
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    MentoringSessionFactory(pairing=pairing, held_on=timezone.localdate(), minutes=40)
    client = login(world.users["teacher"])
    label = f"Mentoring sessions in {timezone.localdate():%B}"
    assert dashboard(client)[label] == 1
    with CaptureQueriesContext(connection) as warm:
        assert dashboard(client)[label] == 1
    assert len(warm) == 3  # session, user, principal: the figures come from the cache
    MentoringSessionFactory(pairing=pairing, held_on=timezone.localdate(), minutes=25)
    assert dashboard(client)[label] == 2


def test_a_grade_shows_on_the_next_load(world, coordinator):
    client, _ = coordinator
    before = float(dashboard(client)["College credits earned"])
    enrollment = EnrollmentFactory(
        para=world.para, offering=OfferingFactory(cohort=world.cohort), grade=""
    )
    assert float(dashboard(client)["College credits earned"]) == before
    Enrollment.objects.filter(pk=enrollment.pk).update(
        grade="A", status=Enrollment.Status.COMPLETED, completed_on=date(2026, 12, 11)
    )
    assert float(dashboard(client)["College credits earned"]) == before + 3


def test_a_submitted_observation_shows_on_the_next_load(world, coordinator):
    client, pairing = coordinator
    before = dashboard(client)["Baseline observations submitted"]
    ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
    assert dashboard(client)["Baseline observations submitted"] == before + 1


def test_a_district_enrolled_shows_on_the_next_load(world, coordinator):
    client, _ = coordinator
    before = dashboard(client)["Districts enrolled"]
    CohortEnrollmentFactory(cohort=world.cohort, district=DistrictFactory())
    assert dashboard(client)["Districts enrolled"] == before + 1


def test_the_report_shows_a_new_session_and_reads_the_cache_when_nothing_changed(world, login):
    pilot = build_small_pilot(world)
    client = login(world.users["pc"])
    assert rows_by_label(tables(report(client))["mentoring-by-month"])["Sep 2025"] == [
        "5",
        "5",
        "150",
    ]
    with CaptureQueriesContext(connection) as warm:
        report(client)
    para = ParaFactory(school=world.teacher.school)
    sixth = PairingFactory(cohort=pilot.cohort, teacher=world.teacher, paraprofessional=para)
    MentoringSessionFactory(pairing=sixth, held_on=date(2025, 9, 20), minutes=30)
    with CaptureQueriesContext(connection) as cold:
        found = tables(report(client))
    assert rows_by_label(found["mentoring-by-month"])["Sep 2025"] == ["6", "6", "180"]
    assert len(warm) < len(cold)


# --- the rendered report bodies (cached beside their figures) ----------------------------


def _row(html: str, label: str) -> list[str]:
    """The cells of the first table row headed ``label`` in the page as sent."""
    match = re.search(
        rf'<th scope="row">(?:<a [^>]*>)?{re.escape(label)}(?:</a>)?</th>(.*?)</tr>', html, re.S
    )
    assert match, label
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>.*?</td>", match[1])
    ]


def test_the_rendered_report_shows_a_new_session_on_the_next_load(world, login):
    pilot = build_small_pilot(world)
    client = login(world.users["pc"])
    assert _row(report(client).content.decode(), "Sep 2025") == ["5", "5", "150"]
    assert _row(report(client).content.decode(), "Sep 2025") == ["5", "5", "150"]  # cached
    para = ParaFactory(school=world.teacher.school)
    sixth = PairingFactory(cohort=pilot.cohort, teacher=world.teacher, paraprofessional=para)
    MentoringSessionFactory(pairing=sixth, held_on=date(2025, 9, 20), minutes=30)
    assert _row(report(client).content.decode(), "Sep 2025") == ["6", "6", "180"]


def test_the_rendered_pilot_report_shows_a_new_session_on_the_next_load(world, login):
    pilot = build_small_pilot(world)
    client = login(world.users["pc"])

    def sessions() -> list[str]:
        response = client.get(reverse("reports:pilot"))
        assert response.status_code == 200
        return _row(response.content.decode(), "Mentoring sessions logged")

    before = int(sessions()[0])
    assert int(sessions()[0]) == before  # cached
    MentoringSessionFactory(pairing=pilot.pairings["P1"], held_on=date(2025, 9, 22))
    assert int(sessions()[0]) == before + 1


def test_no_request_token_or_name_is_cached_with_a_report(world, login, client):
    """Program coordinators share cached report bodies: what one is sent must carry
    nothing of the other's request (CSRF token, name), and both get the same figures."""
    build_small_pilot(world)
    first = world.users["pc"]
    first.full_name = "Ada First-Reader"
    first.save()
    second = UserFactory(email="second-pc@example.test", full_name="Grace Second-Reader")
    RoleAssignmentFactory(user=second, role=RoleAssignment.Role.PROGRAM_COORDINATOR)
    pages = {}
    for user in (first, second):
        client.logout()
        login(user)
        pages[user.pk] = {
            name: client.get(reverse(name)).content.decode()
            for name in ("reports:index", "reports:pilot")
        }
    for name in ("reports:index", "reports:pilot"):
        one, other = pages[first.pk][name], pages[second.pk][name]
        assert "Ada First-Reader" in one and "Ada First-Reader" not in other
        assert "Grace Second-Reader" in other and "Grace Second-Reader" not in one
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', one))
        assert all(token not in other for token in tokens)
        assert _row(one, "Sep 2025") == _row(other, "Sep 2025")
    assert 'name="csrfmiddlewaretoken"' in pages[second.pk]["reports:pilot"]


# --- a warm report reads its rendered body only, and the filter's choices from the cache --


class RecordingCache:
    """The cache, recording which keys are read."""

    def __init__(self, inner) -> None:
        self.inner, self.keys = inner, []

    def get(self, key, *args, **kwargs):
        self.keys.append(key)
        return self.inner.get(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def names_read(recording: RecordingCache) -> list[str]:
    """The names of the cached figures read (``figures:<version>:<name>:<key>``)."""
    return [key.split(":")[2] for key in recording.keys if key.count(":") >= 3]


@pytest.mark.parametrize("name", ["reports:index", "reports:pilot"])
def test_a_warm_report_reads_its_body_but_not_its_figures(world, login, monkeypatch, name):
    from django.core.cache import cache

    from pilot import figures_cache

    build_small_pilot(world)
    client = login(world.users["pc"])
    first = client.get(reverse(name)).content.decode()
    recording = RecordingCache(cache)
    monkeypatch.setattr(figures_cache, "cache", recording)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(reverse(name))
    assert response.status_code == 200
    label = "Mentoring sessions logged" if name == "reports:pilot" else "Sep 2025"
    assert _row(response.content.decode(), label) == _row(first, label)
    read = names_read(recording)
    # The rendered body and the filter's choices; not the figures (sections, report).
    assert "reports" not in read and "pilot-report" not in read, read
    assert "report-cohorts" in read
    # Session, user and principal: the filter's cohorts and districts come from the cache.
    assert len(warm) == 3, [q["sql"][:80] for q in warm.captured_queries]
    # The figures are still there for whoever reads them (here: the test).
    figures = response.context["sections" if name == "reports:index" else "report"]
    assert figures and ("reports" if name == "reports:index" else "pilot-report") in names_read(
        recording
    )


def test_the_filter_offers_a_new_district_on_the_next_load(world, login):
    build_small_pilot(world)
    client = login(world.users["pc"])
    assert "Zeta District" not in report(client).content.decode()
    DistrictFactory(name="Zeta District", slug="zeta")
    html = report(client).content.decode()
    assert '<option value="zeta">Zeta District</option>' in html
    # ... and it can be chosen at once.
    html = report(client, district="zeta").content.decode()
    assert '<option value="zeta" selected>Zeta District</option>' in html


def test_the_rendered_pipeline_shows_a_new_pairing_on_the_next_load(world, login, monkeypatch):
    from django.core.cache import cache

    from pilot import figures_cache

    pilot = build_small_pilot(world)
    client = login(world.users["pc"])

    def started() -> list[str]:
        response = client.get(reverse("pathways:pipeline"))
        assert response.status_code == 200
        return _row(response.content.decode(), "Started")

    assert started() == ["9"]
    recording = RecordingCache(cache)
    monkeypatch.setattr(figures_cache, "cache", recording)
    with CaptureQueriesContext(connection) as warm:
        assert started() == ["9"]
    # Session, user, principal: the rendered body comes from the cache, not the figures.
    assert len(warm) == 3
    assert names_read(recording) == ["pipeline-html"]
    para = ParaFactory(school=world.teacher.school)
    PairingFactory(cohort=pilot.cohort, teacher=world.teacher, paraprofessional=para)
    assert started() == ["10"]


# --- the observations index, one district's tracker, the coursework report ---------------


def page(client, name: str, *args: str) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def tables_read(client, name: str, *args: str) -> str:
    """The SQL of one load of the page."""
    with CaptureQueriesContext(connection) as queries:
        page(client, name, *args)
    return " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("persona", ["pc", "dc_own"])
def test_the_tracker_on_the_observations_index_shows_a_new_form_on_the_next_load(
    world, login, persona
):
    current_rubric()
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    client = login(world.users[persona])
    # Pairings, baseline submitted, no baseline, mid, end, no end.
    assert _row(page(client, "observations:index"), "Alpha District") == [
        "1", "0", "1", "0", "0", "1"
    ]  # fmt: skip
    assert "No quotes are waiting." in page(client, "observations:index")
    # A warm load reads neither the completion counts nor the quotes.
    read = tables_read(client, "observations:index")
    assert "observations_completion" not in read and "observations_quote" not in read
    baseline = ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
    html = page(client, "observations:index")
    assert _row(html, "Alpha District") == ["1", "1", "0", "0", "0", "1"]
    QuoteFactory(observation=baseline, status="pending")
    assert "1 quote waiting." in page(client, "observations:index")


def test_one_districts_tracker_shows_a_new_form_on_the_next_load(world, login):
    current_rubric()
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    client = login(world.users["dc_own"])

    def baseline_cell() -> str:
        html = page(client, "observations:tracker-district", "alpha")
        row = re.search(rf'id="pairing-{pairing.uuid}">(.*?)</tr>', html, re.S)[1]
        school, teacher, baseline, *_ = row.split("<td>")[1:]
        return " ".join(re.sub(r"<[^>]+>", " ", baseline).split())

    assert baseline_cell().startswith("Not started")
    assert "mentoring_pairing" not in tables_read(client, "observations:tracker-district", "alpha")
    assert _row(page(client, "observations:tracker-district", "alpha"), "Alpha Elementary")[:3] == [
        "1",
        "0",
        "1",
    ]
    ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
    assert baseline_cell() == "Submitted"
    html = page(client, "observations:tracker-district", "alpha")
    assert _row(html, "Alpha Elementary")[:3] == ["1", "1", "0"]


def test_the_coursework_report_shows_a_grade_on_the_next_load(world, login):
    offering = OfferingFactory(cohort=world.cohort)
    enrollments = [
        EnrollmentFactory(para=ParaFactory(school=world.school_a), offering=offering)
        for _ in range(5)
    ]
    client = login(world.users["pc"])

    def alpha() -> list[str]:
        html = page(client, "coursework:report")
        row = re.search(r'<th scope="row">Alpha District</th><td>[^<]*</td>(.*?)</tr>', html, re.S)
        return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>.*?</td>", row[1])]

    # Paraprofessionals, enrollments, completions, passed, withdrawn, credits.
    assert alpha() == ["5", "5", "0", "0", "0", "0"]
    assert "coursework_enrollment" not in tables_read(client, "coursework:report")  # cached
    Enrollment.objects.filter(pk=enrollments[0].pk).update(
        grade="A", status=Enrollment.Status.COMPLETED, completed_on=date(2026, 12, 11)
    )
    assert alpha() == ["5", "5", "1", "1", "0", "3"]


def test_reading_a_transcript_or_signing_in_keeps_the_cached_figures(world, login, client):
    """Opening a transcript writes an audit entry and signing in stamps the last login:
    neither changes a figure, so the next report load still reads the cache."""
    build_small_pilot(world)
    coordinator = login(world.users["pc"])
    report(coordinator)
    with CaptureQueriesContext(connection) as warm:
        report(coordinator)
    opened = coordinator.get(reverse("coursework:transcript", args=[world.para.uuid]))
    assert opened.status_code == 200
    assert AuditEntry.objects.filter(actor=world.users["pc"]).exists()
    update_last_login(None, world.users["para"])  # what signing in writes
    with CaptureQueriesContext(connection) as after:
        report(coordinator)
    assert len(after) == len(warm)
