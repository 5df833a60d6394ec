"""Roster import pages: coordinators (districts, schools, staff, pairings) and the college
liaison (enrollments and grades); an import run is seen only by the person who uploaded it.
The exports that go with the kinds: staff and pairing lists for coordinators in scope,
enrollments for the liaison of the offering's college."""

from django.urls import reverse

from pilot.imports import services
from pilot.imports.files import INTERNAL_COLUMNS
from pilot.imports.kinds import STAFF

from . import Row, coordinators, expect
from .coursework_rows import cw, liaison


def _run(w):
    """A previewed staff file of dc_own's with one new person in district A."""

    def make(w):
        values = {
            "district": w.district_a.slug,
            "school name": w.school_a.name,
            "role": "teacher",
            "first name": "Ines",
            "last name": "Ortiz",
            "email": "ines.ortiz@alpha.test",
            "employee id": "",
            "active": "yes",
        }
        payload = {
            "headers": [*STAFF.columns, *INTERNAL_COLUMNS],
            "rows": [[*(values[c] for c in STAFF.columns), 2, ""]],
        }
        return services.preview(w.users["dc_own"], STAFF, payload, "alpha-staff.csv")

    return w.once("import_run", make)


OWNER_ONLY = dict(pc=404, dc_other=404, liaison=404, teacher=403, para=403)
IMPORTERS = expect(pc=200, dc_own=200, dc_other=200, liaison=200, teacher=403, para=403)

ROWS = {
    "imports:index": Row(lambda w: reverse("imports:index"), IMPORTERS),
    "imports:oneroster": Row(lambda w: reverse("imports:oneroster"), coordinators(other=200)),
    "imports:template": Row(
        lambda w: reverse("imports:template", args=["staff", "xlsx"]), coordinators(other=200)
    ),
    "imports:run": Row(
        lambda w: reverse("imports:run", args=[_run(w).uuid]), expect(dc_own=200, **OWNER_ONLY)
    ),
    "imports:confirm": Row(
        lambda w: reverse("imports:confirm", args=[_run(w).uuid]),
        expect(dc_own=302, **OWNER_ONLY),
        method="post",
    ),
    "imports:staff-export": Row(
        lambda w: reverse("imports:staff-export", args=["csv"]), coordinators(other=200)
    ),
    # Pairings: a coordinator of another district gets the list filtered to their own.
    "mentoring:pairing-export": Row(
        lambda w: reverse("mentoring:pairing-export", args=["xlsx"]), coordinators(other=200)
    ),
    "coursework:offering-enrollments-export": Row(
        lambda w: reverse(
            "coursework:offering-enrollments-export", args=[cw(w, "offering").uuid, "csv"]
        ),
        liaison(),
    ),
    "coursework:enrollment-export": Row(
        lambda w: reverse("coursework:enrollment-export", args=["xlsx"]), liaison()
    ),
}
