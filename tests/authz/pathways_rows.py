"""Pathways URLs: the person page for everyone who may see the paraprofessional (their
coordinators, mentor, college and themself; another district's coordinator 404);
milestones, the link to a teacher record and a district's pathway rule by coordinators
in scope; the pipeline report for coordinators."""

from datetime import date

from django.urls import reverse

from pathways.models import Assessment, CohortStatus

from . import Row, coordinators, expect
from .coursework_rows import cw
from .mentoring_rows import pairing


def person(w):
    """The world's para, paired with the world's teacher and studying at its college."""
    pairing(w)
    cw(w, "enrollment")
    return w.para


def status(w):
    return w.once(
        "pathways-status",
        lambda w: CohortStatus.objects.create(
            para=person(w),
            cohort=w.cohort,
            status="continuing",
            recorded_on=w.cohort.starts_on,
            recorded_by=w.users["pc"],
        ),
    )


def assessment(w):
    return w.once(
        "pathways-assessment",
        lambda w: Assessment.objects.create(
            para=person(w),
            kind="paraprofessional",
            name="Praxis ParaPro",
            code="1755",
            taken_on=date(2026, 9, 1),
            passed=True,
            entered_by=w.users["para"],
        ),
    )


EVERYONE_WHO_SEES = expect(pc=200, dc_own=200, dc_other=404, liaison=200, teacher=200, para=200)
# Statuses are the coordinators' to record: the others who see the person get 403.
COORDINATORS_RECORD = expect(pc=200, dc_own=200, dc_other=404, liaison=403, teacher=403, para=403)

ROWS = {
    "pathways:person": Row(
        lambda w: reverse("pathways:person", args=[person(w).uuid]), EVERYONE_WHO_SEES
    ),
    "pathways:milestone-create": Row(
        lambda w: reverse("pathways:milestone-create", args=[person(w).uuid, "status"]),
        COORDINATORS_RECORD,
    ),
    "pathways:milestone-update": Row(
        lambda w: reverse("pathways:milestone-update", args=["status", status(w).uuid]),
        COORDINATORS_RECORD,
    ),
    "pathways:assessment-verify": Row(
        lambda w: reverse("pathways:assessment-verify", args=[assessment(w).uuid]),
        coordinators(302),
        method="post",
    ),
    "pathways:milestone-export": Row(
        lambda w: (
            assessment(w) and reverse("pathways:milestone-export", args=["assessments", "csv"])
        ),
        coordinators(other=200),
    ),
    # Linking the person's teacher record is recording employment: coordinators in scope.
    "pathways:teacher-record-link": Row(
        lambda w: reverse("pathways:teacher-record-link", args=[person(w).uuid]), coordinators()
    ),
    "pathways:teacher-record-unlink": Row(
        lambda w: reverse("pathways:teacher-record-unlink", args=[person(w).uuid]),
        coordinators(302),
        method="post",
    ),
    # A district's pathway rule: the program coordinator and the district's coordinator.
    "pathways:district-rule": Row(
        lambda w: reverse("pathways:district-rule", args=[w.district_a.slug]), coordinators()
    ),
    "pathways:pipeline": Row(lambda w: reverse("pathways:pipeline"), coordinators(other=200)),
    "pathways:pipeline-csv": Row(
        lambda w: reverse("pathways:pipeline-csv", args=["pipeline-districts"]),
        coordinators(other=200),
    ),
}
