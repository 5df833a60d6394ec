"""Pathways pages that show typed text: the person page (names, cohort, the assessment's
name, a status note, a credential's exception reason) and the pipeline report (cohort and
district names, on screen and in its CSV)."""

from datetime import date

from django.urls import reverse

from pathways.models import Assessment, CohortStatus, Credential

from ..authz.mentoring_rows import pairing
from ..factories import DegreePlanFactory
from . import Page, hostile
from .pilot_pages import COHORT, DISTRICT, PARA_FIRST, SCHOOL

ASSESSMENT = hostile("Praxis ParaPro")
STATUS_NOTE = hostile("Moving to a new campus")
EXCEPTION = hostile("Credit by examination")
CREDENTIAL_PLAN = hostile("Teaching Certificate")


def _milestones(w):
    pairing(w)
    by = w.users["pc"]
    CohortStatus.objects.create(
        para=w.para,
        cohort=w.cohort,
        status="withdrew",
        reason="other",
        note=STATUS_NOTE,
        recorded_on=w.cohort.starts_on,
        recorded_by=by,
    )
    Assessment.objects.create(
        para=w.para,
        kind="paraprofessional",
        name=ASSESSMENT,
        code="1755",
        taken_on=date(2026, 9, 1),
        passed=True,
        entered_by=by,
    )
    Credential.objects.create(
        para=w.para,
        plan=DegreePlanFactory(college=w.college, name=CREDENTIAL_PLAN),
        awarded_on=date(2026, 10, 1),
        exception_reason=EXCEPTION,
        recorded_by=by,
    )
    return True


def make_hostile(w) -> None:
    w.once("pathways-milestones", _milestones)


PAGES = {
    "person page": Page(
        lambda w: reverse("pathways:person", args=[w.para.uuid]),
        [PARA_FIRST, SCHOOL, DISTRICT, COHORT, ASSESSMENT, STATUS_NOTE, EXCEPTION, CREDENTIAL_PLAN],
    ),
    "assessments export": Page(
        lambda w: reverse("pathways:milestone-export", args=["assessments", "csv"]),
        [ASSESSMENT],
        kind="csv",
    ),
    "pipeline report": Page(lambda w: reverse("pathways:pipeline"), [COHORT, DISTRICT]),
    "pipeline CSV": Page(
        lambda w: reverse("pathways:pipeline-csv", args=["pipeline-districts"]),
        [COHORT, DISTRICT],
        kind="csv",
    ),
}
