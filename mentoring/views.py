"""Pairings, their sessions and goals. Thin views: who sees and does what from
``mentoring.access`` (the app's policy), queries from ``mentoring.queries``, every write
from ``mentoring.services``."""

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format

from mentoring.access import GOALS, PAIRINGS, SESSIONS, flags, member_pairings
from pilot.access import (
    Capability,
    capability_required,
    get_visible_or_404,
    visible_cohorts,
    visible_districts,
    visible_staff,
)
from pilot.cohorts import current_cohort
from pilot.forms.errors import add_service_errors
from pilot.history import DEFAULT_EXCLUDE, history_for
from pilot.imports.exports import check_format, export_response
from pilot.models import Cohort, Staff
from pilot.pagination import NarrowPaginator
from pilot.registry.sections import sections_for
from pilot.services.program import cohort_closed_problem
from pilot.uuids import parse_uuid
from pilot.views.generic import one_time_submit, refused_if_closed

from . import queries, services
from .forms import (
    ClosePairingForm,
    GoalForm,
    PairingFilter,
    PairingForm,
    PairingStartForm,
    SessionForm,
    UnpairedFilterForm,
)
from .imports import PairingResource
from .models import Goal, MentoringSession, Pairing, focus_area_labels

PAGE_SIZE = 50
# Pairings are read by coordinators (in scope) and by the pair itself.
READ = (Capability.VIEW_PROGRAM, Capability.MENTOR, Capability.LEARN)
# Sessions and goals are written (and their text read) by the pair only.
PAIR = (Capability.MENTOR, Capability.LEARN)
MANAGE = (Capability.MANAGE_PROGRAM,)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def filtered_pairings(request: HttpRequest) -> PairingFilter:
    """The pairing list's filters over the user's pairings (shared with the export)."""
    user = request.user
    pairings = PAIRINGS.visible(user).order_by(
        "-cohort__starts_on", "teacher__last_name", "paraprofessional__last_name", "id"
    )
    return PairingFilter(
        request.GET or None,
        queryset=pairings,
        cohorts=visible_cohorts(user),
        districts=visible_districts(user),
    )


@capability_required(*READ)
def pairing_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    pairings = PAIRINGS.visible(user).order_by(
        "-cohort__starts_on", "teacher__last_name", "paraprofessional__last_name", "id"
    )
    filterset = None
    if PAIRINGS.allows(user, "filter"):
        filterset = filtered_pairings(request)
        pairings = filterset.qs
    page = NarrowPaginator(queries.with_summary(pairings), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mentoring/pairing_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query_without_page(request),
            "can_manage": PAIRINGS.allows(user, "manage"),
        },
    )


@capability_required(Capability.VIEW_PROGRAM)
def pairing_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered pairing list with the pairings template's columns, to edit and
    import back (coordinators in scope)."""
    check_format(fmt)
    dataset = PairingResource(user=request.user).export_pairings(filtered_pairings(request).qs)
    return export_response(request, dataset, fmt, "pairing list", "pairings")


def _detail_queryset(user) -> Any:
    return PAIRINGS.visible(user).select_related(
        "cohort", "district", "teacher__school", "paraprofessional__school"
    )


@capability_required(*READ)
def pairing_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user = request.user
    pairing = get_visible_or_404(_detail_queryset(user), uuid=uuid)
    context: dict[str, Any] = {
        "pairing": pairing,
        **flags(user, pairing, "edit", "complete", "end_early", "read_notes", "log_session"),
        "can_set_goal": PAIRINGS.allows(user, "set_goal", pairing),
        "support_roles": list(pairing.support_roles.all()),
        "numbers": queries.pairing_numbers(pairing),
        "extra_sections": sections_for("pairing", request, pairing),
        "history": history_for(
            user,
            pairing,
            exclude=DEFAULT_EXCLUDE | {"teacher_role", "paraprofessional_role"},
            formatters={"focus_areas": lambda codes: ", ".join(focus_area_labels(codes))},
        ),
    }
    # A closed cohort is read-only: the page says so and offers no write.
    context["closed"] = cohort_closed_problem(pairing.cohort)
    context["pairing_open"] = pairing.is_active and not context["closed"]
    if context["closed"]:
        context.update(can_edit=False, can_complete=False, can_end_early=False)
        context.update(can_log_session=False, can_set_goal=False)
    if context["can_read_notes"]:
        context["sessions"] = (
            SESSIONS.visible(user).filter(pairing=pairing).select_related("logged_by")
        )
        context["goals"] = GOALS.visible(user).filter(pairing=pairing).select_related("set_by")
    return render(request, "mentoring/pairing_detail.html", context)


def _refused_if_closed(request: HttpRequest, pairing: Pairing) -> HttpResponse | None:
    back = reverse("mentoring:pairing-detail", args=[pairing.uuid])
    return refused_if_closed(request, pairing.cohort, back=back)


def _start_form(request: HttpRequest) -> PairingStartForm:
    user = request.user
    return PairingStartForm(
        request.GET if {"district", "cohort"} <= request.GET.keys() else None,
        districts=visible_districts(user),
        cohorts=visible_cohorts(user),
        initial={"cohort": current_cohort(), "district": request.GET.get("district")},
    )


@capability_required(*MANAGE)
@one_time_submit
def pairing_create(request: HttpRequest) -> HttpResponse:
    """Step one picks the district and cohort (GET); step two the pair itself."""
    user = request.user
    start = _start_form(request)
    if not start.is_bound or not start.is_valid():
        return render(request, "mentoring/pairing_start.html", {"form": start})
    district, cohort = start.cleaned_data["district"], start.cleaned_data["cohort"]
    initial = {}
    para_uuid = request.GET.get("para")
    if para_uuid:
        initial["paraprofessional"] = (
            visible_staff(user).filter(uuid=para_uuid).values_list("pk", flat=True).first()
            if parse_uuid(para_uuid) is not None
            else None
        )
    form = PairingForm(
        request.POST or None,
        cohort=cohort,
        district=district,
        staff=visible_staff(user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            pairing = services.create_pairing(
                cohort=cohort, district=district, by=user, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Pairing created: {pairing.teacher} mentoring {pairing.paraprofessional}. "
                "Both have been emailed.",
            )
            return redirect("mentoring:pairing-detail", uuid=pairing.uuid)
    return render(
        request,
        "mentoring/pairing_form.html",
        {
            "form": form,
            "title": "New pairing",
            "cohort": cohort,
            "district": district,
            "submit_label": "Create pairing",
            "cancel_url": reverse("mentoring:pairing-list"),
        },
    )


@capability_required(*MANAGE)
def pairing_update(request: HttpRequest, uuid: str) -> HttpResponse:
    user = request.user
    pairing = get_visible_or_404(
        _detail_queryset(user).prefetch_related("support_roles"), uuid=uuid
    )
    if refused := _refused_if_closed(request, pairing):
        return refused
    form = PairingForm(
        request.POST or None,
        instance=pairing,
        cohort=pairing.cohort,
        district=pairing.district,
        staff=visible_staff(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pairing(pairing=pairing, by=user, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Pairing of {pairing.teacher} and {pairing.paraprofessional} saved."
            )
            return redirect("mentoring:pairing-detail", uuid=pairing.uuid)
    return render(
        request,
        "mentoring/pairing_form.html",
        {
            "form": form,
            "title": f"Edit the pairing of {pairing.teacher} and {pairing.paraprofessional}",
            "pairing": pairing,
            "cohort": pairing.cohort,
            "district": pairing.district,
            "submit_label": "Save",
            "cancel_url": reverse("mentoring:pairing-detail", args=[pairing.uuid]),
        },
    )


def _close(request: HttpRequest, uuid: str, *, early: bool) -> HttpResponse:
    pairing = get_visible_or_404(_detail_queryset(request.user), uuid=uuid)
    if refused := _refused_if_closed(request, pairing):
        return refused
    if not pairing.is_active:
        messages.error(request, services.already_closed(pairing))
        return redirect("mentoring:pairing-detail", uuid=pairing.uuid)
    form = ClosePairingForm(request.POST or None, pairing=pairing, early=early)
    if request.method == "POST" and form.is_valid():
        closed_on = form.cleaned_data["closed_on"]
        try:
            if early:
                reason = form.cleaned_data["end_reason"]
                services.end_pairing_early(pairing=pairing, closed_on=closed_on, reason=reason)
            else:
                services.complete_pairing(pairing=pairing, closed_on=closed_on)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            verb = "ended early" if early else "marked completed"
            messages.success(
                request, f"Pairing of {pairing.teacher} and {pairing.paraprofessional} {verb}."
            )
            return redirect("mentoring:pairing-detail", uuid=pairing.uuid)
    title = "End the pairing early" if early else "Mark the pairing completed"
    return render(
        request,
        "mentoring/pairing_close.html",
        {
            "form": form,
            "pairing": pairing,
            "title": title,
            "early": early,
            "submit_label": "End the pairing" if early else "Mark completed",
            "cancel_url": reverse("mentoring:pairing-detail", args=[pairing.uuid]),
        },
    )


@capability_required(*MANAGE)
def pairing_complete(request: HttpRequest, uuid: str) -> HttpResponse:
    return _close(request, uuid, early=False)


@capability_required(*MANAGE)
def pairing_end_early(request: HttpRequest, uuid: str) -> HttpResponse:
    return _close(request, uuid, early=True)


def _member_form_page(
    request: HttpRequest,
    *,
    form: Any,
    pairing: Pairing,
    title: str,
    legend: str,
    save: Any,
    saved: str,
) -> HttpResponse:
    if refused := _refused_if_closed(request, pairing):
        return refused
    if request.method == "POST" and form.is_valid():
        try:
            save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect("mentoring:pairing-detail", uuid=pairing.uuid)
    return render(
        request,
        "mentoring/member_form.html",
        {
            "form": form,
            "pairing": pairing,
            "title": title,
            "legend": legend,
            "cancel_url": reverse("mentoring:pairing-detail", args=[pairing.uuid]),
        },
    )


def _member_pairing(request: HttpRequest, uuid: str) -> Pairing:
    return get_visible_or_404(
        member_pairings(request.user).select_related("cohort", "teacher", "paraprofessional"),
        uuid=uuid,
    )


@capability_required(*PAIR)
@one_time_submit
def session_create(request: HttpRequest, uuid: str) -> HttpResponse:
    pairing = _member_pairing(request, uuid)
    form = SessionForm(request.POST or None, pairing=pairing)
    return _member_form_page(
        request,
        form=form,
        pairing=pairing,
        title="Log a mentoring session",
        legend="Session",
        save=partial(services.log_session, pairing=pairing),
        saved="Session logged.",
    )


def _session(request: HttpRequest, uuid: str) -> MentoringSession:
    return get_visible_or_404(
        SESSIONS.visible(request.user).select_related(
            "pairing__cohort", "pairing__teacher", "pairing__paraprofessional", "logged_by"
        ),
        uuid=uuid,
    )


@capability_required(*PAIR)
def session_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    session = _session(request, uuid)
    return render(
        request,
        "mentoring/session_detail.html",
        {
            "session": session,
            "pairing": session.pairing,
            "closed": cohort_closed_problem(session.pairing.cohort),
        },
    )


@capability_required(*PAIR)
def session_update(request: HttpRequest, uuid: str) -> HttpResponse:
    session = _session(request, uuid)
    form = SessionForm(request.POST or None, instance=session, pairing=session.pairing)
    return _member_form_page(
        request,
        form=form,
        pairing=session.pairing,
        title=f"Edit the session of {date_format(session.held_on)}",
        legend="Session",
        save=partial(services.update_session, session=session),
        saved="Session saved.",
    )


@capability_required(*PAIR)
@one_time_submit
def goal_create(request: HttpRequest, uuid: str) -> HttpResponse:
    pairing = _member_pairing(request, uuid)
    form = GoalForm(request.POST or None, pairing=pairing)
    return _member_form_page(
        request,
        form=form,
        pairing=pairing,
        title="Set a goal",
        legend="Goal",
        save=partial(services.add_goal, pairing=pairing),
        saved="Goal set.",
    )


@capability_required(*PAIR)
def goal_update(request: HttpRequest, uuid: str) -> HttpResponse:
    goal: Goal = get_visible_or_404(
        GOALS.visible(request.user).select_related(
            "pairing__cohort", "pairing__teacher", "pairing__paraprofessional"
        ),
        uuid=uuid,
    )
    form = GoalForm(request.POST or None, instance=goal, pairing=goal.pairing)
    return _member_form_page(
        request,
        form=form,
        pairing=goal.pairing,
        title="Update a goal",
        legend="Goal",
        save=partial(services.update_goal, goal=goal),
        saved="Goal saved.",
    )


@capability_required(Capability.VIEW_PROGRAM)
def unpaired(request: HttpRequest) -> HttpResponse:
    """Staff with no active pairing in a cohort, so coordinators can act on them."""
    user = request.user
    districts = visible_districts(user)
    form = UnpairedFilterForm(
        request.GET or None, cohorts=visible_cohorts(user), districts=districts
    )
    data = form.cleaned_data if form.is_valid() else {}
    cohort: Cohort | None = data.get("cohort") or current_cohort()
    role = data.get("role") or Staff.Role.PARAPROFESSIONAL
    staff = visible_staff(user)
    if data.get("district"):
        staff = staff.filter(district=data["district"])
    rows = queries.unpaired_staff(staff, cohort, role) if cohort else Staff.objects.none()
    page = NarrowPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentoring/unpaired.html",
        {
            "form": form,
            "cohort": cohort,
            "role": role,
            "is_para": role == Staff.Role.PARAPROFESSIONAL,
            "page": page,
            "query": _query_without_page(request),
            "can_manage": PAIRINGS.allows(user, "manage"),
        },
    )
