from django.urls import reverse

from pilot.services.staff import link_token

from ..world import staff_with_liaison_email
from . import Row, coordinators, expect


def _job(w):
    """A finished job of the program coordinator's: its page and file are theirs alone."""
    from pilot.models import Job

    return w.once(
        "job",
        lambda w: Job.objects.create(
            owner=w.users["pc"],
            label="End-of-pilot report PDF",
            runner="portal.reports.jobs.render_pilot_pdf",
            status="done",
            result=b"%PDF-1.7",
            result_name="report.pdf",
            result_type="application/pdf",
        ),
    )


OWNER_ONLY = expect(pc=200, dc_own=404, dc_other=404, liaison=404, teacher=404, para=404)

ROWS = {
    "pilot:job-list": Row(
        lambda w: reverse("pilot:job-list"),
        expect(pc=200, dc_own=200, dc_other=200, liaison=200, teacher=200, para=200),
    ),
    "pilot:job-detail": Row(lambda w: reverse("pilot:job-detail", args=[_job(w).uuid]), OWNER_ONLY),
    "pilot:job-download": Row(
        lambda w: reverse("pilot:job-download", args=[_job(w).uuid]), OWNER_ONLY
    ),
    "pilot:dashboard": Row(
        lambda w: reverse("pilot:dashboard"),
        expect(pc=200, dc_own=200, dc_other=200, liaison=200, teacher=200, para=200),
    ),
    "healthz": Row(
        lambda w: reverse("healthz"),
        expect(anon=200, pc=200, dc_own=200, dc_other=200, liaison=200, teacher=200, para=200),
    ),
    "pilot:cohort-list": Row(lambda w: reverse("pilot:cohort-list"), coordinators(other=200)),
    "pilot:cohort-create": Row(
        lambda w: reverse("pilot:cohort-create"), coordinators(dc=403, other=403)
    ),
    "pilot:cohort-update": Row(
        lambda w: reverse("pilot:cohort-update", args=[w.cohort.uuid]),
        coordinators(dc=403, other=403),
    ),
    # District coordinators read cohorts but do not change which districts are in them.
    "pilot:cohort-enroll": Row(
        lambda w: reverse("pilot:cohort-enroll", args=[w.cohort.uuid]),
        coordinators(dc=403, other=403),
    ),
    # The year rollover: the program coordinator only (the site layer's page).
    "pilot:cohort-rollover": Row(
        lambda w: reverse("pilot:cohort-rollover", args=[w.cohort.uuid]),
        coordinators(dc=403, other=403),
    ),
    "pilot:cohort-withdraw": Row(
        lambda w: reverse("pilot:cohort-withdraw", args=[w.enrollment_a.uuid]),
        coordinators(302, dc=403, other=403),
        method="post",
    ),
    "pilot:district-list": Row(lambda w: reverse("pilot:district-list"), coordinators(other=200)),
    "pilot:district-create": Row(
        lambda w: reverse("pilot:district-create"), coordinators(dc=403, other=403)
    ),
    "pilot:district-detail": Row(
        lambda w: reverse("pilot:district-detail", args=[w.district_a.slug]), coordinators()
    ),
    "pilot:district-update": Row(
        lambda w: reverse("pilot:district-update", args=[w.district_a.slug]), coordinators()
    ),
    "pilot:school-create": Row(
        lambda w: reverse("pilot:school-create", args=[w.district_a.slug]), coordinators()
    ),
    "pilot:school-update": Row(
        lambda w: reverse("pilot:school-update", args=[w.school_a.uuid]), coordinators()
    ),
    "pilot:staff-list": Row(lambda w: reverse("pilot:staff-list"), coordinators(other=200)),
    "pilot:staff-create": Row(lambda w: reverse("pilot:staff-create"), coordinators(other=200)),
    "pilot:staff-detail": Row(
        lambda w: reverse("pilot:staff-detail", args=[w.para.uuid]), coordinators()
    ),
    "pilot:staff-update": Row(
        lambda w: reverse("pilot:staff-update", args=[w.para.uuid]), coordinators()
    ),
    "pilot:staff-set-active": Row(
        lambda w: reverse("pilot:staff-set-active", args=[w.teacher_b.uuid]),
        expect(pc=302, dc_own=404, dc_other=302, liaison=403, teacher=403, para=403),
        method="post",
        data=lambda w: {"active": "false"},
    ),
    "pilot:staff-invite": Row(
        lambda w: reverse("pilot:staff-invite", args=[w.para.uuid]),
        coordinators(302),
        method="post",
    ),
    # Only a program coordinator links an existing sign-in to a staff record.
    "pilot:staff-link-account": Row(
        lambda w: reverse("pilot:staff-link-account", args=[staff_with_liaison_email(w).uuid]),
        coordinators(dc=403, other=403),
    ),
    # The emailed link works only for the account it was made for: anyone else, not found.
    "pilot:account-link": Row(
        lambda w: reverse(
            "pilot:account-link",
            args=[link_token(staff=staff_with_liaison_email(w), user=w.users["liaison"])],
        ),
        expect(pc=404, dc_own=404, dc_other=404, liaison=200, teacher=404, para=404),
    ),
    "pilot:role-list": Row(lambda w: reverse("pilot:role-list"), coordinators(dc=403, other=403)),
    "pilot:role-create": Row(
        lambda w: reverse("pilot:role-create"), coordinators(dc=403, other=403)
    ),
    "pilot:role-revoke": Row(
        lambda w: reverse(
            "pilot:role-revoke", args=[w.users["dc_other"].role_assignments.get().uuid]
        ),
        coordinators(302, dc=403, other=403),
        method="post",
    ),
}
