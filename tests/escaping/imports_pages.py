"""Roster import and export: the CSV exports (staff, pairings, enrollments) keep typed names
intact and neutralise formula cells; an import preview escapes what the file said."""

from django.urls import reverse

from pilot.imports import services
from pilot.imports.files import INTERNAL_COLUMNS
from pilot.imports.kinds import get_kind

from ..factories import CourseFactory, EnrollmentFactory, OfferingFactory
from . import Page, hostile
from .mentoring_pages import pairing
from .pilot_pages import COHORT, PARA_FIRST

ROW_NAME = hostile("Robin")  # a name typed into an imported file
UNKNOWN = hostile("who")  # an unknown person, repeated in the error message


def offering(w):
    def make(w):
        made = OfferingFactory(
            course=CourseFactory(college=w.college, code="EDU 120"),
            cohort=w.cohort,
            term="Fall 2026",
        )
        EnrollmentFactory(offering=made, para=w.para, grade="B")
        return made

    return w.once("imports-offering", make)


def preview(w):
    """A previewed pairings file of the program coordinator's: one good row named with
    markup, one naming nobody."""

    def make(w):
        kind = get_kind("pairings")
        good = {
            "cohort": w.cohort.name,
            "district": w.district_a.slug,
            "teacher": w.teacher.email,
            "teacher name": ROW_NAME,
            "paraprofessional": w.para.email,
            "paraprofessional name": ROW_NAME,
            "focus areas": "Classroom Support",
        }
        bad = {**good, "teacher": UNKNOWN}
        rows = [
            [*(values.get(c, "") for c in kind.columns), number, ""]
            for number, values in ((2, good), (3, bad))
        ]
        payload = {"headers": [*kind.columns, *INTERNAL_COLUMNS], "rows": rows}
        return services.preview(w.users["pc"], kind, payload, "pairings.csv")

    return w.once("imports-preview", make)


def make_hostile(w) -> None:
    pairing(w)
    offering(w)
    preview(w)


PAGES = {
    "staff export (CSV)": Page(
        lambda w: reverse("imports:staff-export", args=["csv"]), [PARA_FIRST], kind="csv"
    ),
    "pairing list export (CSV)": Page(
        lambda w: reverse("mentoring:pairing-export", args=["csv"]),
        [PARA_FIRST, COHORT],
        kind="csv",
    ),
    "offering roster export (CSV)": Page(
        lambda w: reverse("coursework:offering-enrollments-export", args=[offering(w).uuid, "csv"]),
        [PARA_FIRST, COHORT],
        persona="liaison",
        kind="csv",
    ),
    "enrollment list export (CSV)": Page(
        lambda w: reverse("coursework:enrollment-export", args=["csv"]),
        [PARA_FIRST, COHORT],
        persona="liaison",
        kind="csv",
    ),
    "pairings import preview": Page(
        lambda w: reverse("imports:run", args=[preview(w).uuid]) + "?show=all",
        [ROW_NAME, UNKNOWN],
    ),
}
