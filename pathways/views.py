"""The person page and the milestone forms."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coursework.access import PLANS
from pilot.access import (
    Capability,
    capability_required,
    get_visible_or_404,
    principal,
    require_allowed,
    visible_staff,
)
from pilot.forms.errors import add_service_errors
from pilot.imports.exports import check_format, export_response
from pilot.imports.kinds import get_kind
from pilot.models import Cohort, District, School, Staff, User
from pilot.views.generic import one_time_submit

from . import forms, queries, services
from .access import (
    ASSESSMENTS,
    CREDENTIALS,
    DISTRICT_RULES,
    EMPLOYMENT,
    PERSONS,
    STATUSES,
    flags,
)
from .models import (
    Assessment,
    CohortStatus,
    Credential,
    DistrictRule,
    EmploymentEvent,
    TeacherRecord,
)

# Everyone with a role may open a person page; the policy decides whose (404 otherwise).
PERSON_VIEWERS = (
    Capability.VIEW_PROGRAM,
    Capability.MANAGE_COLLEGE,
    Capability.MENTOR,
    Capability.LEARN,
)


def _person(request: HttpRequest, uuid: Any) -> Staff:
    return get_visible_or_404(
        PERSONS.visible(request.user).select_related(
            "district",
            "school",
            "user",
            "declared_plan__plan",
            # The teacher record linked to them, if any (read by the person page).
            "teacher_link__teacher__district",
            "teacher_link__teacher__school",
            "teacher_link__linked_by",
        ),
        uuid=uuid,
    )


@capability_required(*PERSON_VIEWERS)
def person(request: HttpRequest, uuid: Any) -> HttpResponse:
    try:
        para = _person(request, uuid)
    except Http404:
        # A teacher record linked to a paraprofessional's opens that person's page.
        link = (
            TeacherRecord.objects.filter(teacher__uuid=uuid, para__in=PERSONS.visible(request.user))
            .values_list("para__uuid", flat=True)
            .first()
        )
        if link is None:
            raise
        return redirect("pathways:person", uuid=link)
    found = queries.milestones(para)
    for kind, rows in (
        ("status", found.statuses),
        ("credential", found.credentials),
        ("assessment", found.assessments),
        ("employment", found.employment),
    ):
        for row in rows:
            row.can_edit = POLICIES[kind].allows(request.user, "edit", row)
    can = flags(request.user, para)
    return render(
        request,
        "pathways/person.html",
        {
            "title": para.full_name,
            "para": para,
            "years": queries.pilot_years(para, found.statuses),
            "milestones": found,
            "coursework": queries.coursework(para, found.credentials),
            "teacher_record": queries.teacher_record(para, request.user),
            "can": can,
        },
    )


@dataclass(frozen=True)
class Kind:
    """One kind of milestone: its model, form, policy action and service call."""

    model: type[Model]
    form: type
    action: str
    label: str
    form_kwargs: Callable[[HttpRequest, Staff], dict]
    save: Callable[[HttpRequest, Staff, dict, Any], services.Saved]


def _status_kwargs(request: HttpRequest, para: Staff) -> dict:
    return {"cohorts": Cohort.objects.filter(pairings__paraprofessional=para).distinct()}


def _credential_kwargs(request: HttpRequest, para: Staff) -> dict:
    return {"plans": PLANS.managed(request.user).select_related("college")}


def _employment_kwargs(request: HttpRequest, para: Staff) -> dict:
    p = principal(request.user)
    districts = District.objects.all()
    if not p.is_program_coordinator:
        districts = districts.filter(pk__in=p.district_ids)
    return {"districts": districts, "schools": School.objects.filter(district__in=districts)}


def _by(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


KINDS: dict[str, Kind] = {
    "status": Kind(
        CohortStatus,
        forms.StatusForm,
        "record_status",
        "status in a cohort",
        _status_kwargs,
        lambda r, para, d, m: services.record_status(para=para, by=_by(r), milestone=m, **d),
    ),
    "credential": Kind(
        Credential,
        forms.CredentialForm,
        "record_credential",
        "credential",
        _credential_kwargs,
        lambda r, para, d, m: services.record_credential(para=para, by=_by(r), milestone=m, **d),
    ),
    "assessment": Kind(
        Assessment,
        forms.AssessmentForm,
        "record_assessment",
        "assessment",
        lambda r, para: {},
        lambda r, para, d, m: services.record_assessment(
            para=para,
            by=_by(r),
            milestone=m,
            # A coordinator's entry is verified as it is made; the person's own waits.
            verified=PERSONS.allows(r.user, "verify_assessment", para),
            **d,
        ),
    ),
    "employment": Kind(
        EmploymentEvent,
        forms.EmploymentForm,
        "record_employment",
        "employment",
        _employment_kwargs,
        lambda r, para, d, m: services.record_employment(para=para, by=_by(r), milestone=m, **d),
    ),
}
POLICIES = {
    "status": STATUSES,
    "credential": CREDENTIALS,
    "assessment": ASSESSMENTS,
    "employment": EMPLOYMENT,
}


def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise Http404("No such kind of milestone.")
    return KINDS[name]


@capability_required(*PERSON_VIEWERS)
@one_time_submit
def milestone_create(request: HttpRequest, uuid: Any, kind: str) -> HttpResponse:
    chosen = _kind(kind)
    para = _person(request, uuid)
    require_allowed(
        PERSONS, request.user, chosen.action, para, "Your role does not allow recording this."
    )
    return _milestone_form(request, para, kind, chosen, None)


@capability_required(*PERSON_VIEWERS)
def milestone_update(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    chosen = _kind(kind)
    policy = POLICIES[kind]
    milestone = get_visible_or_404(policy.visible(request.user).select_related("para"), uuid=uuid)
    require_allowed(
        policy, request.user, "edit", milestone, "Your role does not allow changing this."
    )
    return _milestone_form(request, milestone.para, kind, chosen, milestone)


def _milestone_form(
    request: HttpRequest, para: Staff, kind: str, chosen: Kind, milestone: Any
) -> HttpResponse:
    form = chosen.form(
        request.POST or None, instance=milestone, **chosen.form_kwargs(request, para)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = chosen.save(request, para, dict(form.cleaned_data), milestone)
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            messages.success(request, f"The {chosen.label} of {para.full_name} is saved.")
            return redirect("pathways:person", uuid=para.uuid)
    verb = "Change" if milestone else "Record"
    return _form_page(request, f"{verb} the {chosen.label} of {para.full_name}", form, para)


def _form_page(
    request: HttpRequest, title: str, form: Any, para: Staff | None, cancel_url: str = ""
) -> HttpResponse:
    """A form about the person (cancel goes back to their page) or ``cancel_url``."""
    return render(
        request,
        "pathways/milestone_form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": cancel_url or reverse("pathways:person", args=[para.uuid]),
        },
    )


@require_POST
@capability_required(Capability.VIEW_PROGRAM)
def assessment_verify(request: HttpRequest, uuid: Any) -> HttpResponse:
    assessment = get_visible_or_404(
        ASSESSMENTS.visible(request.user).select_related("para"), uuid=uuid
    )
    require_allowed(
        PERSONS,
        request.user,
        "verify_assessment",
        assessment.para,
        "Your role does not allow verifying this.",
    )
    services.verify_assessment(assessment=assessment, by=request.user)
    messages.success(request, f"{assessment} is marked verified.")
    return redirect("pathways:person", uuid=assessment.para.uuid)


def person_url(staff: Staff) -> str:
    """The person page of a paraprofessional (or of a teacher since, who was one), for
    other pages to link to (the core's ``{% person %}`` tag, in a paraprofessional's
    place)."""
    return reverse("pathways:person", args=[staff.uuid])


# The milestones each import kind exports: the records the importer may see and change.
EXPORTS = {
    "assessments": lambda user: ASSESSMENTS.visible(user),
    "employment": lambda user: EMPLOYMENT.visible(user).select_related("school"),
    "credentials": lambda user: (
        CREDENTIALS.visible(user).filter(plan__in=PLANS.managed(user)).select_related("plan")
    ),
}


@capability_required(Capability.MANAGE_PROGRAM, Capability.MANAGE_COLLEGE)
def milestone_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """The milestones of an import kind, with its template's columns: edit the file and
    import it back."""
    found = get_kind(kind)
    if found is None or kind not in EXPORTS:
        raise Http404("No such kind of milestone.")
    if not found.allows(request.user):
        raise PermissionDenied("Your role does not import this kind.")
    check_format(fmt)
    records = EXPORTS[kind](request.user).select_related("para__district").order_by("id")
    dataset = found.resource(request.user).export(list(records))
    return export_response(request, dataset, fmt, f"{found.label} export", kind)


EMPLOYMENT_REFUSED = "Your role does not allow recording employment."


@capability_required(Capability.VIEW_PROGRAM)
@one_time_submit
def teacher_record_link(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Link the person to the teacher record they have now (perhaps in another district)."""
    para = _person(request, uuid)
    require_allowed(PERSONS, request.user, "link_teacher_record", para, EMPLOYMENT_REFUSED)
    form = forms.TeacherRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        teacher = (
            visible_staff(request.user)
            .filter(email__iexact=data["teacher"])
            .select_related("district", "school")
            .first()
        )
        try:
            saved = services.link_teacher_record(
                para=para, teacher=teacher, linked_on=data["linked_on"], by=request.user
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            messages.success(
                request,
                f"{para.full_name} is linked to the teacher record {teacher.full_name} "
                f"({teacher.district.name}).",
            )
            return redirect("pathways:person", uuid=para.uuid)
    return _form_page(request, f"Link {para.full_name} to their teacher record", form, para)


@require_POST
@capability_required(Capability.VIEW_PROGRAM)
def teacher_record_unlink(request: HttpRequest, uuid: Any) -> HttpResponse:
    para = _person(request, uuid)
    require_allowed(PERSONS, request.user, "link_teacher_record", para, EMPLOYMENT_REFUSED)
    link = TeacherRecord.objects.filter(para=para).first()
    if link is None:
        messages.info(request, f"{para.full_name} is not linked to a teacher record.")
    else:
        services.unlink_teacher_record(link=link, by=request.user)
        messages.success(request, f"The link to {para.full_name}'s teacher record is undone.")
    return redirect("pathways:person", uuid=para.uuid)


@capability_required(Capability.VIEW_PROGRAM)
@one_time_submit
def district_rule(request: HttpRequest, slug: str) -> HttpResponse:
    """Whether the district requires a teaching credential before teacher of record."""
    district = get_visible_or_404(DISTRICT_RULES.visible(request.user), slug=slug)
    require_allowed(
        DISTRICT_RULES, request.user, "edit", district, "Your role does not allow changing this."
    )
    rule = DistrictRule.objects.filter(district=district).first()
    form = forms.DistrictRuleForm(
        request.POST if request.method == "POST" else None,
        initial={"credential_before_teaching": bool(rule and rule.credential_before_teaching)},
    )
    district_url = reverse("pilot:district-detail", args=[district.slug])
    if request.method == "POST" and form.is_valid():
        services.set_district_rule(
            district=district,
            credential_before_teaching=form.cleaned_data["credential_before_teaching"],
            by=request.user,
        )
        messages.success(request, f"The pathway rule of {district.name} is saved.")
        return redirect(district_url)
    return _form_page(request, f"Pathway rule of {district.name}", form, None, district_url)
