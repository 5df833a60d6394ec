from django.apps import AppConfig


class CourseworkConfig(AppConfig):
    name = "coursework"

    def ready(self) -> None:
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
