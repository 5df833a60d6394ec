from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pilot.access import (
    Capability,
    can,
    capability_required,
    get_visible_or_404,
    visible_districts,
    visible_schools,
    visible_staff,
)
from pilot.forms import StaffFilter, StaffForm
from pilot.history import history_for
from pilot.models import Staff, User
from pilot.registry.sections import sections_for
from pilot.services.staff import (
    StaffAccountError,
    account_for_email,
    create_staff,
    invite_staff,
    link_account,
    link_problem,
    read_link_token,
    set_staff_active,
    staff_problems,
    update_staff,
)

from .generic import bound_form, one_time_submit, service_form_page

PAGE_SIZE = 50


def filtered_staff(request: HttpRequest) -> StaffFilter:
    """The staff list's filters over the user's staff (shared with the CSV/XLSX export)."""
    user = request.user
    staff = (
        visible_staff(user)
        .select_related("district", "school")
        .order_by("last_name", "first_name", "id")
    )
    return StaffFilter(
        request.GET or None,
        queryset=staff,
        districts=visible_districts(user),
        schools=visible_schools(user),
    )


@capability_required(Capability.VIEW_PROGRAM)
def staff_list(request: HttpRequest) -> HttpResponse:
    filterset = filtered_staff(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pilot/staff_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@capability_required(Capability.VIEW_PROGRAM)
def staff_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    member = get_visible_or_404(
        visible_staff(request.user).select_related("district", "school", "user"), uuid=uuid
    )
    history = history_for(request.user, member)
    # A program coordinator may link a sign-in that already uses this email (logged).
    linkable = (
        member.user is None
        and can(request.user, Capability.LINK_ACCOUNTS)
        and account_for_email(member.email) is not None
    )
    return render(
        request,
        "pilot/staff_detail.html",
        {
            "member": member,
            "history": history,
            "linkable": linkable,
            "extra_sections": sections_for("staff", request, member),
        },
    )


def _staff_form(request: HttpRequest, **kwargs: Any) -> StaffForm:
    user = request.user
    return StaffForm(
        **bound_form(request),
        districts=visible_districts(user),
        schools=visible_schools(user),
        check=lambda member: staff_problems(staff=member, asked_by=user),
        **kwargs,
    )


def _staff_page(member: Staff) -> str:
    return reverse("pilot:staff-detail", args=[member.uuid])


@capability_required(Capability.MANAGE_PROGRAM)
@one_time_submit
def staff_create(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("district")  # "Add staff" from a district's page
    initial = (
        {"district": visible_districts(request.user).filter(slug=slug).first()} if slug else {}
    )
    return service_form_page(
        request,
        _staff_form(request, initial=initial),
        save=lambda data: create_staff(**data, asked_by=request.user),
        saved=lambda member: f"{member} added.",
        next_url=_staff_page,
        cancel_url=reverse("pilot:staff-list"),
        context={"title": "Add a staff member", "legend": "Staff member"},
    )


@capability_required(Capability.MANAGE_PROGRAM)
@one_time_submit
def staff_update(request: HttpRequest, uuid: str) -> HttpResponse:
    member = get_visible_or_404(
        visible_staff(request.user).select_related("district", "school"), uuid=uuid
    )
    return service_form_page(
        request,
        _staff_form(request, instance=member),
        save=lambda data: update_staff(staff=member, **data, asked_by=request.user),
        # What a feature app did on a change of role (e.g. a milestone recorded).
        saved=lambda member: " ".join([f"{member} saved.", *member.role_change_notes]),
        next_url=_staff_page,
        cancel_url=_staff_page(member),
        context={"title": f"Edit {member}", "legend": "Staff member"},
    )


@capability_required(Capability.MANAGE_PROGRAM)
def staff_set_active(request: HttpRequest, uuid: str) -> HttpResponse:
    """POST sets active or inactive; GET asks before deactivating, naming active pairings."""
    member = get_visible_or_404(visible_staff(request.user).select_related("user"), uuid=uuid)
    if request.method != "POST":
        return render(
            request,
            "pilot/confirm_page.html",
            {
                "title": f"Deactivate {member}?",
                "explanation": (
                    f"{member} will no longer be able to sign in. Their records are kept."
                ),
                # What else they are part of (their active pairings, ...), from the apps.
                "extra_sections": sections_for("staff-deactivate", request, member),
                "hidden": {"active": "false"},
                "confirm_label": "Deactivate",
                "danger": True,
                "cancel_url": reverse("pilot:staff-detail", args=[member.uuid]),
            },
        )
    active = request.POST.get("active") == "true"
    messages.success(request, set_staff_active(staff=member, active=active))
    return redirect("pilot:staff-detail", uuid=member.uuid)


@require_POST
@capability_required(Capability.MANAGE_PROGRAM)
def staff_invite(request: HttpRequest, uuid: str) -> HttpResponse:
    member = get_visible_or_404(visible_staff(request.user), uuid=uuid)
    try:
        invitation = invite_staff(staff=member, invited_by=request.user)
    except StaffAccountError as refused:
        messages.error(request, str(refused))
    else:
        (messages.success if invitation.linked else messages.warning)(request, invitation.message)
    return redirect("pilot:staff-detail", uuid=member.uuid)


def _link(request: HttpRequest, member: Staff, account: User, *, proof: str) -> str | None:
    """Link the account, by the signed-in user; why not, if refused."""
    try:
        link_account(staff=member, user=account, linked_by=request.user, proof=proof)
    except StaffAccountError as refused:
        return str(refused)
    return None


@capability_required(Capability.LINK_ACCOUNTS)
def staff_link_account(request: HttpRequest, uuid: str) -> HttpResponse:
    """A program coordinator links the existing sign-in that uses the staff email (logged)."""
    member = get_visible_or_404(
        visible_staff(request.user).select_related("district", "school", "user"), uuid=uuid
    )
    account = account_for_email(member.email)
    problem = (
        f"No sign-in uses {member.email}: send an invitation instead."
        if account is None
        else link_problem(staff=member, user=account)
    )
    if problem is None and request.method == "POST":
        problem = _link(request, member, account, proof="linked by a program coordinator")
        if problem is None:
            messages.success(request, f"{member} now signs in as {account.email}.")
            return redirect("pilot:staff-detail", uuid=member.uuid)
    if problem is not None:
        messages.error(request, problem)
        return redirect("pilot:staff-detail", uuid=member.uuid)
    roles = [str(role.get_role_display()) for role in account.role_assignments.all()]
    return render(
        request,
        "pilot/confirm_page.html",
        {
            "title": f"Link {member} to the sign-in {account.email}?",
            "explanation": (
                f"{account.email} already has a sign-in ({account}). Linking gives it "
                f"{member}'s pages as a {member.get_role_display().lower()} at "
                f"{member.school.name}, {member.district.name}. Do this only when you know "
                "the account is theirs; it is recorded in the access log."
                + (" The account also holds these roles:" if roles else "")
            ),
            "details": roles,
            "confirm_label": "Link the sign-in",
            "cancel_url": reverse("pilot:staff-detail", args=[member.uuid]),
        },
    )


@login_required
def account_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: connects the signed-in account to a staff record, which proves
    the account is that person's. A link made for another account is not found."""
    found = read_link_token(token=token, user=request.user)
    if found is None:
        raise Http404("This link is not for the account you are signed in with.")
    member = found.staff
    problem = (
        "This link has expired: ask your coordinator to send the invitation again."
        if found.expired
        else link_problem(staff=member, user=request.user)
    )
    if problem is None and request.method == "POST":
        proof = "confirmed by the account's owner through the emailed link"
        problem = _link(request, member, request.user, proof=proof)
        if problem is None:
            messages.success(request, f"Your sign-in is now linked to {member}'s staff record.")
            return redirect("pilot:dashboard")
    return render(
        request,
        "pilot/account_link.html",
        {"member": member, "problem": problem, "email": request.user.email},
    )
