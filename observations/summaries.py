"""Rebuilding the observations summary (``PairedScore``) from scratch.

The database triggers keep the summary as ratings and observations are written; this
recomputes it with the join the growth figures used to run on every report (rating →
observation → pairing → its baseline observation → that observation's rating of the same
indicator key), independently of the triggers' SQL, so a test can compare the two."""

from django.db.models import Count, F, Q, QuerySet

from mentoring.models import Pairing
from pilot.summaries import refill

from .models import Completion, Observation, PairedScore, Rating

SUBMITTED = Observation.Status.SUBMITTED
Kind = Observation.Kind


# The path from a row of ``paired_end_ratings()`` to its pairing (``PairedScore.pairing``).
PAIRING = "observation__pairing"


def paired_end_ratings() -> QuerySet[Rating]:
    """Every submitted end-of-pilot rating with its pairing's submitted baseline score
    for the same indicator key: the rows ``PairedScore`` holds, annotated with its column
    names (``key``, ``question``, ``baseline_score``, ``end_score``; the pairing is
    ``PAIRING``), so the growth figures can read either.

    The baseline rating is joined, not looked up by a correlated subquery per rating. The
    join cannot multiply rows: a pairing has one observation per kind, and an observation
    one rating per indicator."""
    baseline = f"{PAIRING}__observations__"
    return (
        Rating.objects.filter(
            observation__kind=Kind.END, observation__status=SUBMITTED, score__isnull=False
        )
        .filter(  # one filter() call: every condition on the same baseline rating
            **{
                f"{baseline}kind": Kind.BASELINE,
                f"{baseline}status": SUBMITTED,
                f"{baseline}ratings__indicator__key": F("indicator__key"),
                f"{baseline}ratings__score__isnull": False,
            }
        )
        .annotate(
            key=F("indicator__key"),
            question=F("indicator__domain__question"),
            baseline_score=F(f"{baseline}ratings__score"),
            end_score=F("score"),
        )
        .order_by()
    )


COLUMNS = ["pairing_id", "indicator_id", "key", "question", "baseline_score", "end_score"]


def summary_rows() -> QuerySet:
    """``paired_end_ratings()`` as tuples in ``COLUMNS``' order."""
    return paired_end_ratings().values_list(f"{PAIRING}_id", *COLUMNS[1:])


def rebuild() -> int:
    """Empty the summary and fill it again in one statement; returns its row count."""
    return refill(PairedScore, COLUMNS, summary_rows())


# --- completion per cohort and district ------------------------------------------------

COMPLETION_COLUMNS = [
    "cohort_id",
    "district_id",
    "pairings",
    "baseline_done",
    "mid_done",
    "end_done",
]


def completion_rows() -> QuerySet:
    """Per cohort and district: the pairings not ended early and those with a submitted
    form of each kind, as tuples in ``COMPLETION_COLUMNS``' order (the rows ``Completion``
    holds), with the ORM's aggregate the completion tracker ran before it."""

    def done(kind: str) -> Count:
        only = Q(observations__kind=kind, observations__status=SUBMITTED)
        return Count("id", distinct=True, filter=only)

    return (
        Pairing.objects.exclude(status=Pairing.Status.ENDED_EARLY)
        .order_by()
        .values("cohort_id", "district_id")
        .annotate(
            n=Count("id", distinct=True),
            b=done(Kind.BASELINE),
            m=done(Kind.MID),
            e=done(Kind.END),
        )
        .values_list("cohort_id", "district_id", "n", "b", "m", "e")
    )


def rebuild_completion() -> int:
    """Empty the completion summary and fill it again; returns its row count."""
    return refill(Completion, COMPLETION_COLUMNS, completion_rows())
