"""Rebuilding the observations summary (``PairedScore``) from scratch.

The database triggers keep the summary as ratings and observations are written; this
recomputes it with the join the growth figures used to run on every report (rating →
observation → pairing → its baseline observation → that observation's rating of the same
indicator key), independently of the triggers' SQL, so a test can compare the two."""

from django.db.models import F

from pilot.summaries import refill

from .models import Observation, PairedScore, Rating

SUBMITTED = Observation.Status.SUBMITTED
Kind = Observation.Kind


def paired_end_ratings():
    """Every submitted end-of-pilot rating with its pairing's submitted baseline score
    for the same indicator key: the rows ``PairedScore`` holds."""
    baseline = "observation__pairing__observations__"
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
        .order_by()
        .values_list(
            "observation__pairing_id",
            "indicator_id",
            "indicator__key",
            "indicator__domain__question",
            f"{baseline}ratings__score",
            "score",
        )
    )


def rebuild() -> int:
    """Empty the summary and fill it again in one statement; returns its row count."""
    return refill(
        PairedScore,
        ["pairing_id", "indicator_id", "key", "question", "baseline_score", "end_score"],
        paired_end_ratings(),
    )
