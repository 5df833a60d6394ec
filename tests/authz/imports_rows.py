"""Roster import pages: coordinators only for now (the college liaison gets 403 until an
enrollments kind is registered); an import run is seen only by the person who uploaded it."""

from django.urls import reverse

from pilot.imports import services
from pilot.imports.files import INTERNAL_COLUMNS
from pilot.imports.kinds import STAFF

from . import Row, coordinators, expect


def _run(w):
    """A previewed staff file of dc_own's with one new person in district A."""

    def make(w):
        values = {
            "district slug": w.district_a.slug,
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


OWNER_ONLY = dict(pc=404, dc_other=404, liaison=403, teacher=403, para=403)

ROWS = {
    "imports:index": Row(lambda w: reverse("imports:index"), coordinators(other=200)),
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
}
