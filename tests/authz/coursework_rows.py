"""Coursework URLs: the catalog is for everyone signed in; the liaison keeps their
college's courses, plans, offerings, grades and transfer credit; progress and transcripts
are for the paraprofessional, coordinators in scope, the college and the mentor (another
paraprofessional or teacher gets 404)."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from tests.factories import (
    CourseFactory,
    DegreePlanFactory,
    EnrollmentFactory,
    ModuleFactory,
    OfferingFactory,
    RequirementBlockFactory,
    TransferCreditFactory,
)

from . import Row, coordinators, expect


def _coursework(w):
    """An offering of the world's college with a module, both paraprofessionals enrolled,
    a plan, and transfer credit awaiting verification."""
    course = CourseFactory(college=w.college, code="EDU 110")
    offering = OfferingFactory(
        course=course,
        cohort=w.cohort,
        term="Fall 2026",
        starts_on=date(2026, 8, 24),
        ends_on=date(2026, 12, 11),
    )
    module = ModuleFactory(offering=offering, order=1)
    plan = DegreePlanFactory(college=w.college, total_credits=Decimal("6"))
    RequirementBlockFactory(plan=plan, credits_required=Decimal("6"), courses=[course])
    return {
        "course": course,
        "offering": offering,
        "module": module,
        "plan": plan,
        "enrollment": EnrollmentFactory(para=w.para, offering=offering),
        "enrollment_b": EnrollmentFactory(para=w.para_b, offering=offering),
        "transfer": TransferCreditFactory(para=w.para, college=w.college),
    }


def cw(w, key):
    return w.once("coursework", _coursework)[key]


EVERYONE = expect(pc=200, dc_own=200, dc_other=200, liaison=200, teacher=200, para=200)


def liaison(ok=200):
    return expect(pc=403, dc_own=403, dc_other=403, liaison=ok, teacher=403, para=403)


def para_only(ok=200):
    return expect(pc=403, dc_own=403, dc_other=403, liaison=403, teacher=403, para=ok)


# Another paraprofessional's record (district B, studying at the world's college): the
# district A coordinator, the teacher (not their mentor) and the para all get 404.
OTHERS_RECORD = expect(pc=200, dc_own=404, dc_other=200, liaison=200, teacher=404, para=404)

ROWS = {
    "coursework:course-list": Row(lambda w: reverse("coursework:course-list"), EVERYONE),
    "coursework:course-create": Row(lambda w: reverse("coursework:course-create"), liaison()),
    "coursework:course-detail": Row(
        lambda w: reverse("coursework:course-detail", args=[cw(w, "course").uuid]), EVERYONE
    ),
    "coursework:course-update": Row(
        lambda w: reverse("coursework:course-update", args=[cw(w, "course").uuid]), liaison()
    ),
    "coursework:plan-create": Row(lambda w: reverse("coursework:plan-create"), liaison()),
    "coursework:plan-detail": Row(
        lambda w: reverse("coursework:plan-detail", args=[cw(w, "plan").uuid]), EVERYONE
    ),
    "coursework:plan-update": Row(
        lambda w: reverse("coursework:plan-update", args=[cw(w, "plan").uuid]), liaison()
    ),
    "coursework:offering-list": Row(lambda w: reverse("coursework:offering-list"), liaison()),
    "coursework:offering-create": Row(lambda w: reverse("coursework:offering-create"), liaison()),
    "coursework:offering-detail": Row(
        lambda w: reverse("coursework:offering-detail", args=[cw(w, "offering").uuid]), liaison()
    ),
    "coursework:offering-update": Row(
        lambda w: reverse("coursework:offering-update", args=[cw(w, "offering").uuid]), liaison()
    ),
    "coursework:module-create": Row(
        lambda w: reverse("coursework:module-create", args=[cw(w, "offering").uuid]), liaison()
    ),
    "coursework:module-update": Row(
        lambda w: reverse("coursework:module-update", args=[cw(w, "module").uuid]), liaison()
    ),
    "coursework:offering-enroll": Row(
        lambda w: reverse("coursework:offering-enroll", args=[cw(w, "offering").uuid]), liaison()
    ),
    "coursework:offering-grades": Row(
        lambda w: reverse("coursework:offering-grades", args=[cw(w, "offering").uuid]), liaison()
    ),
    "coursework:transfer-list": Row(lambda w: reverse("coursework:transfer-list"), liaison()),
    "coursework:transfer-create": Row(lambda w: reverse("coursework:transfer-create"), para_only()),
    "coursework:transfer-verify": Row(
        lambda w: reverse("coursework:transfer-verify", args=[cw(w, "transfer").uuid]),
        liaison(302),
        method="post",
    ),
    "coursework:transfer-decline": Row(
        lambda w: reverse("coursework:transfer-decline", args=[cw(w, "transfer").uuid]),
        liaison(302),
        method="post",
    ),
    "coursework:enrollment-drop": Row(
        lambda w: reverse("coursework:enrollment-drop", args=[cw(w, "enrollment").uuid]),
        liaison(),
    ),
    "coursework:progress": Row(lambda w: reverse("coursework:progress"), para_only()),
    "coursework:declare-plan": Row(
        lambda w: reverse("coursework:declare-plan"),
        para_only(302),
        method="post",
        data=lambda w: {"plan": cw(w, "plan").uuid},
    ),
    "coursework:progress-for": Row(
        lambda w: reverse("coursework:progress-for", args=[cw(w, "enrollment_b").para.uuid]),
        OTHERS_RECORD,
    ),
    "coursework:module-done": Row(
        lambda w: reverse(
            "coursework:module-done",
            args=[cw(w, "enrollment").uuid, cw(w, "module").uuid],
        ),
        para_only(302),
        method="post",
        data=lambda w: {"done": "true"},
    ),
    "coursework:transcript": Row(
        lambda w: reverse("coursework:transcript", args=[cw(w, "enrollment_b").para.uuid]),
        OTHERS_RECORD,
    ),
    "coursework:transcript-csv": Row(
        lambda w: reverse("coursework:transcript-csv", args=[cw(w, "enrollment_b").para.uuid]),
        OTHERS_RECORD,
    ),
    "coursework:transcript-pdf": Row(
        lambda w: reverse("coursework:transcript-pdf", args=[cw(w, "enrollment_b").para.uuid]),
        OTHERS_RECORD,
    ),
    "coursework:learner-list": Row(
        lambda w: reverse("coursework:learner-list"),
        expect(pc=200, dc_own=200, dc_other=200, liaison=200, teacher=403, para=403),
    ),
    "coursework:report": Row(lambda w: reverse("coursework:report"), coordinators(other=200)),
}
