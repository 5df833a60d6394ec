"""The one definition of "the current cohort" that pages default to."""

from django.utils import timezone

from pilot.models import Cohort


def current_cohort() -> Cohort | None:
    """The active cohort running today, else the latest that has started, else any."""
    today = timezone.localdate()
    cohorts = Cohort.objects.order_by("-starts_on")
    return (
        cohorts.filter(status=Cohort.Status.ACTIVE, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on")
        .first()
        or cohorts.filter(starts_on__lte=today).first()
        or cohorts.first()
    )
