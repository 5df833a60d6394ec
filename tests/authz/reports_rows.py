from django.urls import reverse

from . import Row, coordinators, expect

PROGRAM_COORDINATOR_ONLY = expect(
    pc=200, dc_own=403, dc_other=403, liaison=403, teacher=403, para=403
)

ROWS = {
    # Every coordinator has reports, of their own districts (dc_other sees Beta's); a
    # district filter outside their scope is a 404 on the CSV (tests/test_reports.py).
    "reports:index": Row(lambda w: reverse("reports:index"), coordinators(other=200)),
    "reports:table-csv": Row(
        lambda w: reverse("reports:table-csv", args=["growth-by-district"]),
        coordinators(other=200),
    ),
    "reports:pilot": Row(lambda w: reverse("reports:pilot"), PROGRAM_COORDINATOR_ONLY),
    "reports:pilot-pdf": Row(lambda w: reverse("reports:pilot-pdf"), PROGRAM_COORDINATOR_ONLY),
    "reports:pilot-pdf-start": Row(
        lambda w: reverse("reports:pilot-pdf-start") + f"?cohort={w.cohort.uuid}",
        expect(pc=302, dc_own=403, dc_other=403, liaison=403, teacher=403, para=403),
        method="post",
    ),
    "reports:pilot-table-csv": Row(
        lambda w: reverse("reports:pilot-table-csv", args=["overview"]), PROGRAM_COORDINATOR_ONLY
    ),
}
