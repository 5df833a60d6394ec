from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from pilot.access import (
    Capability,
    can,
    capability_required,
    get_visible_or_404,
    visible_districts,
    visible_schools,
)
from pilot.forms import DistrictForm, SchoolForm
from pilot.models import CohortEnrollment, District, School, Staff
from pilot.registry.sections import sections_for
from pilot.services import program

from .generic import bound_form, one_time_submit, service_form_page

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
    context = {
        "districts": districts,
        "can_create_district": can(request.user, Capability.MANAGE_COHORTS),
    }
    return render(request, "pilot/district_list.html", context)


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


@capability_required(Capability.MANAGE_COHORTS)  # program-wide: DCs work inside theirs
@one_time_submit
def district_create(request: HttpRequest) -> HttpResponse:
    return service_form_page(
        request,
        DistrictForm(
            **bound_form(request),
            check=program.district_problems,
            sign_in=can(request.user, Capability.MANAGE_SIGN_IN),
        ),
        save=lambda data: program.create_district(**data),
        saved=lambda district: f"District “{district}” created.",
        next_url=_district_page,
        cancel_url=reverse("pilot:district-list"),
        context={"title": "New district", "legend": "District"},
    )


@capability_required(Capability.MANAGE_PROGRAM)
@one_time_submit
def district_update(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_visible_or_404(visible_districts(request.user), slug=slug)
    return service_form_page(
        request,
        DistrictForm(
            **bound_form(request),
            instance=district,
            check=program.district_problems,
            sign_in=can(request.user, Capability.MANAGE_SIGN_IN),
        ),
        save=lambda data: program.update_district(district=district, **data),
        saved=lambda district: f"District “{district}” saved.",
        next_url=_district_page,
        cancel_url=_district_page(district),
        context={"title": f"Edit {district}", "legend": "District"},
    )


@capability_required(Capability.MANAGE_PROGRAM)
@one_time_submit
def school_create(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_visible_or_404(visible_districts(request.user), slug=slug)
    return service_form_page(
        request,
        SchoolForm(
            **bound_form(request),
            instance=School(district=district),
            check=program.school_problems,
        ),
        save=lambda data: program.create_school(district=district, **data),
        saved=lambda school: f"School “{school}” added.",
        next_url=lambda school: _district_page(district),
        cancel_url=_district_page(district),
        context={"title": f"Add a school to {district}", "legend": "School"},
    )


@capability_required(Capability.MANAGE_PROGRAM)
@one_time_submit
def school_update(request: HttpRequest, uuid: str) -> HttpResponse:
    school = get_visible_or_404(visible_schools(request.user).select_related("district"), uuid=uuid)
    return service_form_page(
        request,
        SchoolForm(**bound_form(request), instance=school, check=program.school_problems),
        save=lambda data: program.update_school(school=school, **data),
        saved=lambda school: f"School “{school}” saved.",
        next_url=lambda school: _district_page(school.district),
        cancel_url=_district_page(school.district),
        context={"title": f"Edit {school}", "legend": "School"},
    )


def _district_page(district: District) -> str:
    return reverse("pilot:district-detail", args=[district.slug])
