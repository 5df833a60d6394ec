from django.apps import AppConfig


class CourseworkConfig(AppConfig):
    name = "coursework"

    def ready(self) -> None:
        from pilot.registry import SUMMARIES, Summary

        from . import bench_pages, dashboard, report_sections, summaries

        SUMMARIES.register(Summary("credits", summaries.rebuild, order=40))

        dashboard.register()
        dashboard.register_next_steps()
        report_sections.register()
        bench_pages.register()
        from pilot.registry import NAVIGATION, NavEntry

        from .access import register as register_policies

        register_policies()

        for entry in (
            NavEntry("progress", "My progress", "coursework:progress", order=90),
            NavEntry("courses", "Courses", "coursework:course-list", order=100),
            NavEntry("offerings", "Offerings", "coursework:offering-list", order=110),
            NavEntry("students", "Students", "coursework:learner-list", order=120),
            NavEntry("transfer", "Transfer credit", "coursework:transfer-list", order=130),
            NavEntry("coursework", "Coursework", "coursework:report", order=140),
        ):
            NAVIGATION.register(entry)
        from pilot.access import Capability
        from pilot.imports.kinds import ImportKind, register

        from .imports import EnrollmentResource

        # The college liaison's kind: coordinators neither import nor export grades.
        register(
            ImportKind(
                "enrollments",
                "Course enrollments and final grades",
                EnrollmentResource,
                (Capability.MANAGE_COLLEGE,),
                "One row per paraprofessional in an offering of your college, matched by "
                "course code, term (with section and cohort when the term has several "
                "offerings) and the paraprofessional's email or employee id in their district. "
                "A new row enrolls them. Grade: A, B, C, D, F, P, W or I (it sets the status; "
                "blank keeps the grade recorded, or enrolls without one). Completed date: for "
                "final grades only; blank takes the date already recorded, else the "
                "offering's end. The name column is filled by exports and ignored on import.",
            )
        )
