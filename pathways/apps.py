from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"

    def ready(self) -> None:
        from pilot.registry import NAVIGATION, NavEntry
        from pilot.registry.sections import PageSection, register_section

        from .access import register as register_policies
        from .sections import learner_section, pairing_section, staff_section

        register_policies()
        from .imports import register as register_imports

        register_imports()
        from .report_sections import register as register_report_sections

        register_report_sections()
        from .bench_pages import register as register_bench_pages

        register_bench_pages()
        register_section(PageSection("person-link-staff", "staff", staff_section, order=10))
        register_section(PageSection("person-link-pairing", "pairing", pairing_section, order=10))
        register_section(PageSection("person-link-learner", "learner", learner_section, order=10))
        NAVIGATION.register(NavEntry("pipeline", "Pipeline", "pathways:pipeline", order=160))
