"""Rebuilding the mentoring summary (``MonthlyMentoring``) from scratch, with the ORM's
aggregate over the sessions (independent of the triggers' SQL, so a test can compare)."""

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from pilot.summaries import refill

from .models import MentoringSession, MonthlyMentoring


def monthly_sessions():
    """Per pairing and month: the rows ``MonthlyMentoring`` holds."""
    return (
        MentoringSession.objects.annotate(month=TruncMonth("held_on"))
        .order_by()
        .values("pairing_id", "month")
        .annotate(n=Count("id"), m=Sum("minutes"))
        .values_list("pairing_id", "month", "n", "m")
    )


def rebuild() -> int:
    """Empty the summary and fill it again in one statement; returns its row count."""
    return refill(
        MonthlyMentoring, ["pairing_id", "month", "sessions", "minutes"], monthly_sessions()
    )
