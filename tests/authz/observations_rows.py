"""Observations: the pair's teacher edits, the paraprofessional reads and acknowledges,
coordinators in scope track, reopen and curate quotes; the program coordinator alone
publishes rubric versions. Another teacher and another district's coordinator get 404
(the other-teacher case is in tests/test_observations_access.py)."""

from django.urls import reverse

from tests.factories import ObservationFactory, PairingFactory, current_rubric

from . import Row, coordinators, expect


def pairing(w):
    return w.once(
        "obs_pairing",
        lambda w: PairingFactory(cohort=w.cohort, teacher=w.teacher, paraprofessional=w.para),
    )


def submitted(w):
    return w.once(
        "obs_submitted",
        lambda w: ObservationFactory(pairing=pairing(w), kind="baseline", scores=3, submitted=True),
    )


def draft(w):
    return w.once(
        "obs_draft", lambda w: ObservationFactory(pairing=pairing(w), kind="mid", scores=2)
    )


def quote(w):
    from observations.models import Quote

    return w.once(
        "obs_quote",
        lambda w: Quote.objects.create(
            observation=submitted(w), comment="strengths", text=submitted(w).strengths
        ),
    )


PAIR_AND_COORDINATORS = expect(pc=200, dc_own=200, dc_other=404, liaison=403, teacher=200, para=200)
EVERY_OBSERVER = expect(pc=200, dc_own=200, dc_other=200, liaison=403, teacher=200, para=200)
TEACHER_ONLY = expect(pc=403, dc_own=403, dc_other=403, liaison=403, teacher=302, para=403)

ROWS = {
    "observations:index": Row(lambda w: reverse("observations:index"), EVERY_OBSERVER),
    # Every coordinator sees the page; its tables hold only the pairings they track.
    "observations:reminders": Row(
        lambda w: reverse("observations:reminders"), coordinators(other=200)
    ),
    "observations:tracker-remind": Row(
        lambda w: reverse("observations:tracker-remind", args=[pairing(w).uuid, "baseline"]),
        coordinators(302),
        method="post",
    ),
    "observations:tracker-district": Row(
        lambda w: reverse("observations:tracker-district", args=[w.district_a.slug]),
        coordinators(),
    ),
    "observations:detail": Row(
        lambda w: reverse("observations:detail", args=[submitted(w).uuid]), PAIR_AND_COORDINATORS
    ),
    "observations:save": Row(
        lambda w: reverse("observations:save", args=[draft(w).uuid]),
        TEACHER_ONLY,
        method="post",
        data=lambda w: {
            "version": draft(w).version,
            "observed_on": draft(w).observed_on.isoformat(),
            "action": "save",
        },
    ),
    "observations:create": Row(
        lambda w: reverse("observations:create", args=[pairing(w).uuid]),
        expect(pc=403, dc_own=403, dc_other=403, liaison=403, teacher=200, para=403),
    ),
    "observations:acknowledge": Row(
        lambda w: reverse("observations:acknowledge", args=[submitted(w).uuid]),
        expect(pc=403, dc_own=403, dc_other=403, liaison=403, teacher=403, para=302),
        method="post",
        data=lambda w: {"response": "Thank you."},
    ),
    "observations:reopen": Row(
        lambda w: reverse("observations:reopen", args=[submitted(w).uuid]), coordinators()
    ),
    "observations:quote-consent": Row(
        lambda w: reverse("observations:quote-consent", args=[submitted(w).uuid]),
        TEACHER_ONLY,
        method="post",
        data=lambda w: {"comments": ["strengths"]},
    ),
    "observations:quote-list": Row(
        lambda w: reverse("observations:quote-list"), coordinators(other=200)
    ),
    "observations:quote-decide": Row(
        lambda w: reverse("observations:quote-decide", args=[quote(w).uuid]),
        coordinators(302),
        method="post",
        data=lambda w: {"decision": "approve"},
    ),
    # Another district's coordinator sees the list page again, the quote not theirs. (The
    # quote is made with the URL, before the personas' rolled-back requests.)
    "observations:quote-approve-many": Row(
        lambda w: quote(w) and reverse("observations:quote-approve-many"),
        coordinators(302, other=200),
        method="post",
        data=lambda w: {"quote": [f"{quote(w).uuid}@{quote(w).updated_at.isoformat()}"]},
    ),
    "observations:growth": Row(
        lambda w: reverse("observations:growth", args=[pairing(w).uuid]), PAIR_AND_COORDINATORS
    ),
    "observations:rubric-list": Row(lambda w: reverse("observations:rubric-list"), EVERY_OBSERVER),
    "observations:rubric-detail": Row(
        lambda w: reverse("observations:rubric-detail", args=[current_rubric().uuid]),
        EVERY_OBSERVER,
    ),
    "observations:rubric-publish": Row(
        lambda w: reverse("observations:rubric-publish"), coordinators(dc=403, other=403)
    ),
}
