"""Mentoring URLs. The world's teacher and para form the pairing these rows address; a
teacher of another pair is covered in tests/test_mentoring_access.py."""

from django.urls import reverse

from tests.factories import GoalFactory, MentoringSessionFactory, PairingFactory

from . import Row, coordinators, expect

PAIR_ONLY_OK = expect(pc=403, dc_own=403, dc_other=403, liaison=403, teacher=200, para=200)
PAIR_ONLY_POST = expect(pc=403, dc_own=403, dc_other=403, liaison=403, teacher=302, para=302)
READ = expect(pc=200, dc_own=200, dc_other=404, liaison=403, teacher=200, para=200)


def pairing(w):
    return w.once(
        "pairing",
        lambda w: PairingFactory(
            cohort=w.cohort, teacher=w.teacher, paraprofessional=w.para, district=w.district_a
        ),
    )


def session(w):
    return w.once("session", lambda w: MentoringSessionFactory(pairing=pairing(w)))


def goal(w):
    return w.once("goal", lambda w: GoalFactory(pairing=pairing(w)))


def session_data(w) -> dict:
    return {
        "held_on": pairing(w).starts_on.isoformat(),
        "minutes": "30",
        "focus_areas": ["classroom_support"],
        "notes": "Planned the reading group.",
        "next_steps": "",
    }


ROWS = {
    "mentoring:pairing-list": Row(
        lambda w: reverse("mentoring:pairing-list"),
        expect(pc=200, dc_own=200, dc_other=200, liaison=403, teacher=200, para=200),
    ),
    "mentoring:pairing-create": Row(
        lambda w: (
            reverse("mentoring:pairing-create")
            + f"?district={w.district_a.slug}&cohort={w.cohort.uuid}"
        ),
        # A coordinator of another district gets step one back, the district refused.
        coordinators(other=200),
    ),
    "mentoring:unpaired": Row(lambda w: reverse("mentoring:unpaired"), coordinators(other=200)),
    "mentoring:pairing-detail": Row(
        lambda w: reverse("mentoring:pairing-detail", args=[pairing(w).uuid]), READ
    ),
    "mentoring:pairing-update": Row(
        lambda w: reverse("mentoring:pairing-update", args=[pairing(w).uuid]), coordinators()
    ),
    "mentoring:pairing-complete": Row(
        lambda w: reverse("mentoring:pairing-complete", args=[pairing(w).uuid]), coordinators()
    ),
    "mentoring:pairing-end-early": Row(
        lambda w: reverse("mentoring:pairing-end-early", args=[pairing(w).uuid]),
        coordinators(302),
        method="post",
        data=lambda w: {
            "closed_on": pairing(w).starts_on.isoformat(),
            "end_reason": "Moved schools.",
        },
    ),
    "mentoring:session-create": Row(
        lambda w: reverse("mentoring:session-create", args=[pairing(w).uuid]),
        PAIR_ONLY_POST,
        method="post",
        data=session_data,
    ),
    "mentoring:session-detail": Row(
        lambda w: reverse("mentoring:session-detail", args=[session(w).uuid]), PAIR_ONLY_OK
    ),
    "mentoring:session-update": Row(
        lambda w: reverse("mentoring:session-update", args=[session(w).uuid]),
        PAIR_ONLY_POST,
        method="post",
        data=session_data,
    ),
    "mentoring:goal-create": Row(
        lambda w: reverse("mentoring:goal-create", args=[pairing(w).uuid]), PAIR_ONLY_OK
    ),
    "mentoring:goal-update": Row(
        lambda w: reverse("mentoring:goal-update", args=[goal(w).uuid]),
        PAIR_ONLY_POST,
        method="post",
        data=lambda w: {
            "focus_area": "classroom_support",
            "text": "Lead the group alone.",
            "target_on": pairing(w).ends_on.isoformat(),
            "status": "met",
        },
    ),
}
