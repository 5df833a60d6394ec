"""Rebuilding the coursework summary (``CohortCredits``) from scratch, with the ORM's
aggregate over the enrollments (independent of the triggers' SQL, so a test can compare)."""

from django.db.models import Count, F, Q, QuerySet

from pilot.summaries import refill

from .models import CohortCredits, Enrollment
from .queries import PASSED, credits_earned_sum

COLUMNS = ["para_id", "cohort_id", "enrollments", "completions", "passed", "credits"]


def credit_rows() -> QuerySet:
    """Per paraprofessional and cohort: the rows ``CohortCredits`` holds, as tuples in
    ``COLUMNS``' order."""
    return (
        Enrollment.objects.order_by()
        .values("para_id", cohort=F("offering__cohort_id"))
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=Enrollment.Status.COMPLETED)),
            ok=Count("id", filter=PASSED),
            earned=credits_earned_sum(),
        )
        .values_list("para_id", "cohort", "n", "done", "ok", "earned")
    )


def rebuild() -> int:
    """Empty the summary and fill it again in one statement; returns its row count."""
    return refill(CohortCredits, COLUMNS, credit_rows())
