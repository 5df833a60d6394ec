"""What the core registers with the site: its navigation entries, dashboard figures and
benchmark pages."""

from pilot.registry import NAVIGATION, NavEntry


def register() -> None:
    from pilot import bench_pages, dashboard

    dashboard.register()
    bench_pages.register()
    NAVIGATION.register(NavEntry("cohorts", "Cohorts", "pilot:cohort-list", order=20))
    NAVIGATION.register(NavEntry("districts", "Districts", "pilot:district-list", order=30))
    NAVIGATION.register(NavEntry("staff", "Staff", "pilot:staff-list", order=40))
    NAVIGATION.register(NavEntry("roles", "Roles", "pilot:role-list", order=80))
