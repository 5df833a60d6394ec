from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import CreateView, UpdateView

from pilot.access import (
    Capability,
    CapabilityRequiredMixin,
    capability_required,
    get_visible_or_404,
    visible_districts,
    visible_schools,
)
from pilot.forms import DistrictForm, SchoolForm
from pilot.models import CohortEnrollment, School, Staff
from pilot.registry.sections import sections_for

from .generic import OneTimeSubmitMixin, SavedMessageMixin

TEACHER, PARA = Staff.Role.TEACHER, Staff.Role.PARAPROFESSIONAL


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) of ``queryset`` (filtered on ``district=OuterRef("pk")``)."""
    counted = queryset.order_by().values("district_id").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def _district_counts() -> dict[str, Coalesce]:
    """Schools, active teachers and active paraprofessionals per district: one subquery
    each (by the ``(district, role, is_active)`` index), so the joins do not multiply
    every school by every staff member of the state."""
    staff = Staff.objects.filter(district=OuterRef("pk"), is_active=True)
    return {
        "school_count": _count(School.objects.filter(district=OuterRef("pk"))),
        "teacher_count": _count(staff.filter(role=TEACHER)),
        "para_count": _count(staff.filter(role=PARA)),
    }


def _staff_counts(prefix: str = "") -> dict[str, Count]:
    active = Q(**{f"{prefix}staff__is_active": True})
    return {
        "teacher_count": Count(
            f"{prefix}staff", filter=active & Q(**{f"{prefix}staff__role": TEACHER}), distinct=True
        ),
        "para_count": Count(
            f"{prefix}staff", filter=active & Q(**{f"{prefix}staff__role": PARA}), distinct=True
        ),
    }


@capability_required(Capability.VIEW_PROGRAM)
def district_list(request: HttpRequest) -> HttpResponse:
    districts = visible_districts(request.user).annotate(**_district_counts())
    return render(request, "pilot/district_list.html", {"districts": districts})


@capability_required(Capability.VIEW_PROGRAM)
def district_detail(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_visible_or_404(visible_districts(request.user), slug=slug)
    schools = School.objects.filter(district=district).annotate(**_staff_counts())
    totals = Staff.objects.filter(district=district, is_active=True).aggregate(
        teachers=Count("id", filter=Q(role=TEACHER)),
        paraprofessionals=Count("id", filter=Q(role=PARA)),
    )
    enrollments = CohortEnrollment.objects.filter(district=district).select_related("cohort")
    context = {
        "district": district,
        "schools": schools,
        "totals": totals,
        "enrollments": enrollments,
        "extra_sections": sections_for("district", request, district),
    }
    return render(request, "pilot/district_detail.html", context)


class DistrictCreate(CapabilityRequiredMixin, OneTimeSubmitMixin, SavedMessageMixin, CreateView):
    # Creating a district is program-wide: district coordinators work inside theirs.
    capabilities = (Capability.MANAGE_COHORTS,)
    form_class = DistrictForm
    template_name = "pilot/form_page.html"
    saved_message = "District “{object}” created."
    extra_context = {"title": "New district", "legend": "District"}

    def get_success_url(self) -> str:
        return reverse("pilot:district-detail", args=[self.object.slug])


class DistrictUpdate(CapabilityRequiredMixin, SavedMessageMixin, UpdateView):
    capabilities = (Capability.MANAGE_PROGRAM,)
    form_class = DistrictForm
    template_name = "pilot/form_page.html"
    saved_message = "District “{object}” saved."
    extra_context = {"legend": "District"}

    def get_queryset(self):
        return visible_districts(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit {self.object}", **kwargs)

    def get_success_url(self) -> str:
        return reverse("pilot:district-detail", args=[self.object.slug])


class SchoolCreate(CapabilityRequiredMixin, OneTimeSubmitMixin, SavedMessageMixin, CreateView):
    capabilities = (Capability.MANAGE_PROGRAM,)
    form_class = SchoolForm
    template_name = "pilot/form_page.html"
    saved_message = "School “{object}” added."
    extra_context = {"legend": "School"}

    def load_scope(self, **kwargs) -> None:
        self.district = get_visible_or_404(
            visible_districts(self.request.user), slug=kwargs["slug"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "district": self.district}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Add a school to {self.district}", **kwargs)

    def get_success_url(self) -> str:
        return reverse("pilot:district-detail", args=[self.district.slug])


class SchoolUpdate(CapabilityRequiredMixin, SavedMessageMixin, UpdateView):
    capabilities = (Capability.MANAGE_PROGRAM,)
    form_class = SchoolForm
    template_name = "pilot/form_page.html"
    saved_message = "School “{object}” saved."
    slug_field = slug_url_kwarg = "uuid"
    extra_context = {"legend": "School"}

    def get_queryset(self):
        return visible_schools(self.request.user).select_related("district")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "district": self.object.district}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit {self.object}", **kwargs)

    def get_success_url(self) -> str:
        return reverse("pilot:district-detail", args=[self.object.district.slug])
