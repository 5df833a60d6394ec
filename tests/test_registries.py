"""What an app registers reaches the site: a throwaway dashboard card, dashboard panel,
report section or benchmark page shows where it should, to whom it should; and each
navigation entry shows to exactly the people its page admits."""

import pytest
from django.urls import reverse

from pilot.access import Capability
from pilot.models import User
from pilot.registry import (
    BENCH_PAGES,
    DASHBOARD_CARDS,
    DASHBOARD_PANELS,
    NAVIGATION,
    REPORT_SECTIONS,
    BenchPage,
    DashboardCard,
    DashboardPanel,
    ReportSection,
)
from pilot.registry.bench import TEACHER
from pilot.registry.dashboard import card, holds
from pilot.reporting.sections import Section
from pilot.reporting.tables import Table

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch(monkeypatch):
    """Registries restored after the test: throwaway entries do not leak."""
    for registry in (DASHBOARD_CARDS, DASHBOARD_PANELS, BENCH_PAGES, REPORT_SECTIONS):
        monkeypatch.setattr(registry, "_entries", dict(registry._entries))


def test_a_registered_card_shows_to_its_audience_only(world, login, scratch):
    DASHBOARD_CARDS.register(
        DashboardCard(
            "test.mentor-card",
            lambda d: [card("Throwaway figure", 4242, "/somewhere", "See the throwaway")],
            holds(Capability.MENTOR),
        )
    )
    teacher = login(world.users["teacher"]).get("/").content.decode()
    assert "Throwaway figure" in teacher and 'href="/somewhere"' in teacher
    for name in ("pc", "para", "liaison"):
        assert "Throwaway figure" not in login(world.users[name]).get("/").content.decode()


def test_a_card_count_is_folded_into_the_one_counting_query(world, login, scratch):
    """A card's ``counts`` are counted with the others' and handed back by name."""
    DASHBOARD_CARDS.register(
        DashboardCard(
            "test.count-card",
            lambda d: [card("Every sign-in", d.counts["test_users"], "/x", "x")],
            holds(Capability.VIEW_PROGRAM),
            counts=lambda d: {"test_users": User.objects.all()},
        )
    )
    response = login(world.users["pc"]).get("/")
    figures = {c["label"]: c["value"] for c in response.context["current_cards"]}
    assert figures["Every sign-in"] == User.objects.count()


def test_a_registered_panel_shows_to_its_audience_only(world, login, scratch):
    DASHBOARD_PANELS.register(
        DashboardPanel(
            "test.panel",
            "observations/dashboard/latest_panel.html",
            lambda d: {"latest_observation": None},
            holds(Capability.VIEW_PROGRAM),
        )
    )
    marker = "No observation about you has been submitted yet."
    assert marker in login(world.users["dc_own"]).get("/").content.decode()
    assert marker not in login(world.users["liaison"]).get("/").content.decode()


def test_two_panels_may_not_share_a_name(world, login, scratch):
    DASHBOARD_PANELS.register(
        DashboardPanel(
            "test.clash",
            "observations/dashboard/latest_panel.html",
            lambda d: {"mentoring_panel": None},
            holds(Capability.MENTOR),
        )
    )
    with pytest.raises(ValueError, match="reuses \\['mentoring_panel'\\]"):
        login(world.users["teacher"]).get("/")


def test_a_registered_bench_page_is_measured(scratch):
    from bench.pages import main_pages

    BENCH_PAGES.register(BenchPage("test.page", "throwaway page", TEACHER, lambda: "/t", "list"))
    rows = {(p.label, p.role, p.email, p.kind) for p in main_pages()}
    assert ("throwaway page", "teacher", TEACHER, "list") in rows


def test_navigation_shows_each_entry_to_exactly_the_users_its_page_admits(world, client):
    nobody = User.objects.create_user("no-role@example.test", None)
    users = {**world.users, "no_role": nobody}
    del users["anon"]
    for name, user in users.items():
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        shown = {e["label"] for e in client.get("/").context["nav_entries"]}
        for entry in NAVIGATION:
            status = client.get(reverse(entry.url_name)).status_code
            assert status in (200, 403), (name, entry.url_name, status)
            assert (entry.label in shown) == (status == 200), (name, entry.label, status)


def _throwaway_section(data):
    table = Table("throwaway-section", "A throwaway section", ["District", "Figure"])
    for district in data.districts:
        table.add_cells(district.name, 7)
    return Section(table.slug, table.title, table)


def test_a_registered_report_section_shows_on_the_report_and_as_csv(world, login, scratch):
    REPORT_SECTIONS.register(ReportSection("throwaway-section", _throwaway_section, 999))
    client = login(world.users["pc"])
    page = client.get(reverse("reports:index") + f"?cohort={world.cohort.uuid}")
    assert "A throwaway section" in page.content.decode()
    csv = client.get(reverse("reports:table-csv", args=["throwaway-section"]))
    assert csv.status_code == 200 and b"Figure" in csv.content


def test_one_navigation_entry_is_current_the_most_specific(world, client) -> None:
    """On /reports/pipeline/ the Pipeline link is the current page, not Reports as well."""
    client.force_login(world.users["pc"])
    response = client.get(reverse("pathways:pipeline"))
    current = [item["label"] for item in response.context["nav_entries"] if item["current"]]
    assert current == ["Pipeline"]


def test_the_benchmark_measures_the_pathway_pages() -> None:
    """Issue 14's pages: the person page (coordinator, mentor, the person), the pipeline
    report (program and district) and the rollover preview."""
    from bench.pages import main_pages

    rows = {(p.label, p.role) for p in main_pages()}
    for row in [
        ("person page", "program"),
        ("person page", "teacher"),
        ("person page", "para"),
        ("pipeline report", "program"),
        ("pipeline report", "district"),
        ("rollover preview", "program"),
    ]:
        assert row in rows
