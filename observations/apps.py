from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "observations"

    def ready(self) -> None:
        from pilot.access.policies import register_policy
        from pilot.registry import NAVIGATION, NavEntry
        from pilot.registry.sections import PageSection, register_section

        from .access import OBSERVATIONS, QUOTES, RUBRICS
        from .models import Observation, Quote, Rubric
        from .sections import pairing_section

        register_policy(Observation, OBSERVATIONS)
        register_policy(Quote, QUOTES)
        register_policy(Rubric, RUBRICS)
        NAVIGATION.register(
            NavEntry("observations", "Observations", "observations:index", order=60)
        )
        register_section(PageSection("observations", "pairing", pairing_section))
