from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pilot.access import (
    Capability,
    can,
    capability_required,
    get_visible_or_404,
    visible_cohort_enrollments,
    visible_cohorts,
    visible_districts,
)
from pilot.forms import CohortEnrollmentForm, CohortForm
from pilot.links import each_url
from pilot.models import Cohort
from pilot.services import program

from .generic import bound_form, one_time_submit, refused_if_closed, service_form_page


@capability_required(Capability.VIEW_PROGRAM)
def cohort_list(request: HttpRequest) -> HttpResponse:
    enrollments = visible_cohort_enrollments(request.user).select_related("district")
    cohorts = (
        visible_cohorts(request.user)
        .annotate(
            active_districts=Count(
                "enrollments",
                filter=Q(enrollments__withdrawn_on__isnull=True)
                & Q(enrollments__in=visible_cohort_enrollments(request.user)),
            )
        )
        .prefetch_related(
            Prefetch(
                "enrollments", queryset=enrollments.order_by("district__name"), to_attr="shown"
            )
        )
    )
    can_manage = can(request.user, Capability.MANAGE_COHORTS)
    # Only the latest cohort rolls over into next year (the rollover refuses any other).
    latest = Cohort.objects.order_by("-starts_on").values_list("pk", flat=True).first()
    # Every district of every cohort links to its page and its withdrawal: reversed once.
    district_url = each_url("pilot:district-detail", "district-slug")
    withdraw_url = each_url("pilot:cohort-withdraw", str(UUID(int=0)))
    cohorts = list(cohorts)
    for cohort in cohorts:
        for enrollment in cohort.shown:
            enrollment.district_url = district_url(enrollment.district.slug)
            enrollment.withdraw_url = withdraw_url(enrollment.uuid)
    return render(
        request,
        "pilot/cohort_list.html",
        {
            "cohorts": cohorts,
            "can_manage_cohorts": can_manage,
            "rollover_cohort_id": latest if can_manage else None,
        },
    )


@capability_required(Capability.MANAGE_COHORTS)
@one_time_submit
def cohort_create(request: HttpRequest) -> HttpResponse:
    return service_form_page(
        request,
        CohortForm(**bound_form(request), check=program.cohort_problems),
        save=lambda data: program.create_cohort(**data),
        saved=lambda cohort: f"Cohort “{cohort}” created.",
        next_url=lambda cohort: reverse("pilot:cohort-list"),
        cancel_url=reverse("pilot:cohort-list"),
        context={"title": "New cohort", "legend": "Cohort"},
    )


@capability_required(Capability.MANAGE_COHORTS)
@one_time_submit
def cohort_update(request: HttpRequest, uuid: str) -> HttpResponse:
    cohort = get_visible_or_404(visible_cohorts(request.user), uuid=uuid)
    return service_form_page(
        request,
        CohortForm(**bound_form(request), instance=cohort, check=program.cohort_problems),
        save=lambda data: program.update_cohort(cohort=cohort, **data),
        saved=lambda cohort: f"Cohort “{cohort}” saved.",
        next_url=lambda cohort: reverse("pilot:cohort-list"),
        cancel_url=reverse("pilot:cohort-list"),
        context={"title": f"Edit {cohort}", "legend": "Cohort"},
    )


def _closed(request: HttpRequest, cohort: Cohort) -> HttpResponse | None:
    """A closed cohort keeps the districts it ended with: its pages say so at once."""
    return refused_if_closed(request, cohort, back=reverse("pilot:cohort-list"))


@capability_required(Capability.MANAGE_COHORTS)
def cohort_enroll(request: HttpRequest, uuid: str) -> HttpResponse:
    cohort = get_visible_or_404(visible_cohorts(request.user), uuid=uuid)
    if refused := _closed(request, cohort):
        return refused
    districts = visible_districts(request.user)
    return service_form_page(
        request,
        CohortEnrollmentForm(**bound_form(request), cohort=cohort, districts=districts),
        save=lambda data: program.enroll_districts(cohort=cohort, **data),
        saved=lambda enrolled: (
            f"{', '.join(str(e.district) for e in enrolled)} enrolled in {cohort}."
        ),
        next_url=lambda enrolled: reverse("pilot:cohort-list"),
        cancel_url=reverse("pilot:cohort-list"),
        context={
            "title": f"Enroll districts in {cohort}",
            "legend": "Enrollment",
            "submit_label": "Enroll",
        },
    )


@capability_required(Capability.MANAGE_COHORTS)
def cohort_withdraw(request: HttpRequest, uuid: str) -> HttpResponse:
    """GET asks for confirmation; POST withdraws (the row stays, with its date)."""
    enrollment = get_visible_or_404(
        visible_cohort_enrollments(request.user).select_related("district", "cohort"),
        uuid=uuid,
        withdrawn_on__isnull=True,
    )
    if refused := _closed(request, enrollment.cohort):
        return refused
    if request.method != "POST":
        return render(
            request,
            "pilot/confirm_page.html",
            {
                "title": f"Withdraw {enrollment.district} from {enrollment.cohort}?",
                "explanation": (
                    "The district stays on record as withdrawn today; its schools, staff, "
                    "pairings and coursework are kept. You can enroll it again later."
                ),
                "confirm_label": "Withdraw the district",
                "danger": True,
                "cancel_url": reverse("pilot:cohort-list"),
            },
        )
    try:
        program.withdraw_district(enrollment=enrollment)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"{enrollment.district} withdrawn from {enrollment.cohort}.")
    return redirect("pilot:cohort-list")
