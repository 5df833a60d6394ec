from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"

    def ready(self) -> None:
        from pilot.registry import SUMMARIES, Summary

        from . import summaries

        SUMMARIES.register(Summary("mentoring-by-month", summaries.rebuild, order=10))
        from . import bench_pages, dashboard, report_sections

        dashboard.register()
        report_sections.register()
        bench_pages.register()
        from pilot.registry import NAVIGATION, NavEntry

        NAVIGATION.register(NavEntry("pairings", "Pairings", "mentoring:pairing-list", order=50))
        from pilot.access import Capability
        from pilot.access.relations import MENTEES, provide
        from pilot.imports.kinds import ImportKind, register
        from pilot.registry.sections import register_section

        from . import access, sections
        from .imports import PairingResource
        from .queries import mentee_ids

        access.register()
        provide(MENTEES, mentee_ids)
        from pilot.services.staff import role_changing

        from .services import role_change_problems

        # A role change the pairings cannot follow is refused on the role field.
        role_changing.connect(role_change_problems, dispatch_uid="mentoring.role_change")
        for section in sections.SECTIONS:
            register_section(section)

        register(
            ImportKind(
                "pairings",
                "Pairings",
                PairingResource,
                (Capability.MANAGE_PROGRAM,),
                "One row per pairing, matched by cohort, paraprofessional and teacher. Teacher "
                "and paraprofessional: email or employee id, in the row's district. Focus "
                "areas: the pilot's questions separated by “;”. Support roles: role:tier "
                "separated by “;” (roles small_group, one_on_one, tier1_support, "
                "independent_work, monitoring, relationships; tiers 1 to 3; “none” clears "
                "them). Blank dates start a new pairing on the form's dates. The name and "
                "status columns are filled by exports and ignored on import. Both members "
                "of a new pairing are emailed.",
            )
        )
