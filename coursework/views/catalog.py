"""The course catalog and degree plans: everyone signed in reads them, liaisons keep them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.forms import BaseFormSet, Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from coursework import queries, services
from coursework.access import COURSES, PLANS, managed_colleges
from coursework.forms import BlockFormSet, CourseFilter, CourseForm, PlanForm
from coursework.models import BlockCourse, Course, DegreePlan, Offering, RequirementBlock
from coursework.views.util import save_through
from pilot.access import Capability, capability_required, get_visible_or_404, require_allowed
from pilot.forms.errors import add_service_errors
from pilot.views.generic import one_time_submit

PAGE_SIZE = 50


@capability_required(Capability.VIEW_CATALOG)
def course_list(request: HttpRequest) -> HttpResponse:
    courses = (
        COURSES.visible(request.user)
        .select_related("college")
        .prefetch_related("target_domains")
        .order_by("college__name", "code", "id")
    )
    filterset = CourseFilter(request.GET or None, queryset=courses)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    plans = (
        PLANS.visible(request.user).select_related("college").annotate(block_count=Count("blocks"))
    )
    return render(
        request,
        "coursework/course_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "plans": plans,
            "can_manage": COURSES.allows(request.user, "add"),
        },
    )


@capability_required(Capability.VIEW_CATALOG)
def course_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    course = get_visible_or_404(
        COURSES.visible(request.user).select_related("college").prefetch_related("target_domains"),
        uuid=uuid,
    )
    offerings = (
        Offering.objects.filter(course=course).select_related("cohort").order_by("-starts_on")
    )
    counts_toward = (
        BlockCourse.objects.filter(course=course)
        .select_related("block", "plan")
        .order_by("plan__name")
    )
    return render(
        request,
        "coursework/course_detail.html",
        {
            "course": course,
            "offerings": offerings,
            "counts_toward": counts_toward,
            "can_edit": COURSES.allows(request.user, "edit", course),
        },
    )


@capability_required(Capability.MANAGE_COLLEGE)
@one_time_submit
def course_create(request: HttpRequest) -> HttpResponse:
    return _course_form(request, Course())


@capability_required(Capability.MANAGE_COLLEGE)
def course_update(request: HttpRequest, uuid: str) -> HttpResponse:
    course = get_visible_or_404(
        COURSES.managed(request.user).prefetch_related("target_domains"), uuid=uuid
    )
    require_allowed(COURSES, request.user, "edit", course)
    return _course_form(request, course)


def _course_form(request: HttpRequest, course: Course) -> HttpResponse:
    form = CourseForm(
        request.POST or None, instance=course, colleges=managed_colleges(request.user)
    )
    if request.method == "POST" and form.is_valid():
        is_new = course.pk is None
        saved = save_through(
            form,
            lambda: services.save_course(
                course=form.instance, domains=form.cleaned_data["domains"]
            ),
        )
        if saved is not None:
            messages.success(request, f"{saved} {'added to the catalog' if is_new else 'saved'}.")
            return redirect("coursework:course-detail", uuid=saved.uuid)
    return render(
        request,
        "pilot/form_page.html",
        {
            "form": form,
            "title": f"Edit {course}" if course.pk else "New course",
            "legend": "Course",
            "cancel_url": reverse("coursework:course-list"),
        },
    )


@capability_required(Capability.VIEW_CATALOG)
def plan_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    plan = get_visible_or_404(
        queries.plans_with_blocks().filter(pk__in=PLANS.visible(request.user)), uuid=uuid
    )
    return render(
        request,
        "coursework/plan_detail.html",
        {
            "plan": plan,
            "can_edit": PLANS.allows(request.user, "edit", plan),
        },
    )


@capability_required(Capability.MANAGE_COLLEGE)
@one_time_submit
def plan_create(request: HttpRequest) -> HttpResponse:
    return _plan_form(request, DegreePlan(), [])


@capability_required(Capability.MANAGE_COLLEGE)
def plan_update(request: HttpRequest, uuid: str) -> HttpResponse:
    plan = get_visible_or_404(
        PLANS.managed(request.user).prefetch_related(
            Prefetch(
                "blocks",
                queryset=RequirementBlock.objects.order_by("order", "id").prefetch_related(
                    "courses"
                ),
            )
        ),
        uuid=uuid,
    )
    require_allowed(PLANS, request.user, "edit", plan)
    return _plan_form(request, plan, list(plan.blocks.all()))


def _show_plan_refusal(
    form: PlanForm, formset: BaseFormSet, block_forms: list[Form], problems: dict[str, list[str]]
) -> None:
    """Each of the service's messages next to what it is about: a block's field (keyed by
    ``services.block_key`` with the block's place among those given), the blocks as a
    whole, or the plan's own field."""
    fields = {
        services.block_key(index, name): (block_form, name)
        for index, block_form in enumerate(block_forms)
        for name in block_form.fields
    }
    plan_problems = {}
    for key, texts in problems.items():
        if key == services.ALL_BLOCKS:
            formset.non_form_errors().extend(texts)
        elif key in fields:
            block_form, name = fields[key]
            block_form.add_error(name, texts)
        else:
            plan_problems[key] = texts
    if plan_problems:
        add_service_errors(form, ValidationError(plan_problems))


def _plan_form(request: HttpRequest, plan: DegreePlan, blocks: list) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, instance=plan, colleges=managed_colleges(request.user))
    courses = COURSES.managed(request.user).order_by("code")
    formset = BlockFormSet(
        data,
        prefix="blocks",
        initial=[
            {
                "name": b.name,
                "credits_required": b.credits_required,
                "order": b.order,
                "is_open": b.is_open,
                "courses": list(b.courses.all()),
            }
            for b in blocks
        ],
        form_kwargs={"courses": courses},
    )
    if data is not None and formset.is_valid():
        block_forms = [f for f in formset.forms if f.cleaned_data]
        rows = [
            {
                **f.cleaned_data,
                "instance": blocks[i] if i < len(blocks) else None,
                "delete": f.cleaned_data.get("DELETE", False),
            }
            for i, f in enumerate(formset.forms)
            if f.cleaned_data
        ]
        if form.is_valid():
            is_new = plan.pk is None
            try:
                saved = services.save_plan(plan=form.instance, blocks=rows)
            except ValidationError as refused:
                _show_plan_refusal(form, formset, block_forms, refused.message_dict)
            else:
                messages.success(request, f"{saved} {'created' if is_new else 'saved'}.")
                return redirect("coursework:plan-detail", uuid=saved.uuid)
        else:
            # The blocks' own rules are shown with the plan's field errors, not after them.
            _show_plan_refusal(form, formset, block_forms, services.block_problems(blocks=rows))
    return render(
        request,
        "coursework/plan_form.html",
        {
            "form": form,
            "formset": formset,
            "title": f"Edit {plan}" if plan.pk else "New degree plan",
            "cancel_url": reverse("coursework:course-list"),
        },
    )
