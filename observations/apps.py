from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "observations"

    def ready(self) -> None:
        from pilot.registry import SUMMARIES, Summary

        from . import summaries

        SUMMARIES.register(Summary("paired-scores", summaries.rebuild, order=20))
        SUMMARIES.register(Summary("completion", summaries.rebuild_completion, order=30))
        from . import bench_pages, dashboard, report_sections

        dashboard.register()
        dashboard.register_next_steps()
        report_sections.register()
        bench_pages.register()
        from pilot.registry import NAVIGATION, NavEntry

        NAVIGATION.register(
            NavEntry("observations", "Observations", "observations:index", order=60)
        )
        NAVIGATION.register(NavEntry("reminders", "Reminders", "observations:reminders", order=65))
        from pilot.registry.sections import PageSection, register_section

        from .sections import pairing_section

        register_section(PageSection("observations", "pairing", pairing_section))

        from pilot.access.policies import register_policy

        from .access import OBSERVATIONS, QUOTES, RUBRICS
        from .models import Observation, Quote, Rubric

        register_policy(Observation, OBSERVATIONS)
        register_policy(Quote, QUOTES)
        register_policy(Rubric, RUBRICS)
