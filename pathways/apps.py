from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"

    def ready(self) -> None:
        from pilot.registry import NAVIGATION, NavEntry
        from pilot.registry.sections import PageSection, register_section
        from pilot.services.staff import role_changing

        from .access import register as register_policies
        from .sections import district_section, learner_section, pairing_section, staff_section
        from .services import record_role_change

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
        register_section(PageSection("pathway-rule", "district", district_section, order=50))
        from pilot.registry.people import provide_person_url

        from .views import person_url

        provide_person_url(person_url)
        # A paraprofessional whose role becomes teacher's became a teacher of record.
        role_changing.connect(record_role_change, dispatch_uid="pathways.record_role_change")
        NAVIGATION.register(NavEntry("pipeline", "Pipeline", "pathways:pipeline", order=160))
