from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import CreateView, UpdateView

from pilot.access import (
    Capability,
    CapabilityRequiredMixin,
    can,
    capability_required,
    get_visible_or_404,
    visible_cohort_enrollments,
    visible_cohorts,
    visible_districts,
)
from pilot.forms import CohortEnrollmentForm, CohortForm
from pilot.models import Cohort

from .generic import OneTimeSubmitMixin, SavedMessageMixin


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
    return render(
        request,
        "pilot/cohort_list.html",
        {"cohorts": cohorts, "can_manage_cohorts": can(request.user, Capability.MANAGE_COHORTS)},
    )


class CohortCreate(CapabilityRequiredMixin, OneTimeSubmitMixin, SavedMessageMixin, CreateView):
    capabilities = (Capability.MANAGE_COHORTS,)
    model = Cohort
    form_class = CohortForm
    template_name = "pilot/form_page.html"
    success_url = reverse_lazy("pilot:cohort-list")
    saved_message = "Cohort “{object}” created."
    extra_context = {"title": "New cohort", "legend": "Cohort"}


class CohortUpdate(CapabilityRequiredMixin, SavedMessageMixin, UpdateView):
    capabilities = (Capability.MANAGE_COHORTS,)
    form_class = CohortForm
    template_name = "pilot/form_page.html"
    success_url = reverse_lazy("pilot:cohort-list")
    saved_message = "Cohort “{object}” saved."
    slug_field = slug_url_kwarg = "uuid"
    extra_context = {"legend": "Cohort"}

    def get_queryset(self):
        return visible_cohorts(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit {self.object}", **kwargs)


def _closed(request: HttpRequest, cohort) -> HttpResponse | None:
    """A closed cohort keeps the districts it ended with."""
    if cohort.status == cohort.Status.CLOSED:
        messages.error(request, f"{cohort} is closed: its districts can no longer change.")
        return redirect("pilot:cohort-list")
    return None


@capability_required(Capability.MANAGE_COHORTS)
def cohort_enroll(request: HttpRequest, uuid: str) -> HttpResponse:
    cohort = get_visible_or_404(visible_cohorts(request.user), uuid=uuid)
    if refused := _closed(request, cohort):
        return refused
    districts = visible_districts(request.user)
    form = CohortEnrollmentForm(request.POST or None, cohort=cohort, districts=districts)
    if request.method == "POST" and form.is_valid():
        enrollment = form.save()
        messages.success(request, f"{enrollment.district} enrolled in {cohort}.")
        return redirect("pilot:cohort-list")
    return render(
        request,
        "pilot/form_page.html",
        {
            "form": form,
            "title": f"Enroll a district in {cohort}",
            "legend": "Enrollment",
            "submit_label": "Enroll",
            "cancel_url": reverse("pilot:cohort-list"),
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
    enrollment.withdrawn_on = max(timezone.localdate(), enrollment.enrolled_on)
    enrollment.save(update_fields=["withdrawn_on", "updated_at"])
    messages.success(request, f"{enrollment.district} withdrawn from {enrollment.cohort}.")
    return redirect("pilot:cohort-list")
