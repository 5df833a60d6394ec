from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pilot.access import (
    Capability,
    capability_required,
    get_visible_or_404,
    visible_role_assignments,
)
from pilot.forms import RoleAssignmentForm
from pilot.services.roles import grant_role, revoke_problem, revoke_role

from .generic import bound_form, one_time_submit, service_form_page


@capability_required(Capability.MANAGE_ROLES)
def role_list(request: HttpRequest) -> HttpResponse:
    roles = list(
        visible_role_assignments(request.user).select_related("user", "district", "college")
    )
    for role in roles:  # the page offers "Revoke" only where the service would allow it
        role.revocable = revoke_problem(assignment=role, revoked_by=request.user) is None
    return render(request, "pilot/role_list.html", {"roles": roles})


@capability_required(Capability.MANAGE_ROLES)
@one_time_submit
def role_create(request: HttpRequest) -> HttpResponse:
    return service_form_page(
        request,
        RoleAssignmentForm(**bound_form(request)),
        save=lambda data: grant_role(**data, granted_by=request.user),
        saved=lambda assignment: f"Granted: {assignment}.",
        next_url=lambda assignment: reverse("pilot:role-list"),
        cancel_url=reverse("pilot:role-list"),
        context={
            "title": "Assign a role",
            "legend": "Role",
            "submit_label": "Assign role",
        },
    )


@require_POST
@capability_required(Capability.MANAGE_ROLES)
def role_revoke(request: HttpRequest, uuid: str) -> HttpResponse:
    assignment = get_visible_or_404(
        visible_role_assignments(request.user).select_related("user", "district", "college"),
        uuid=uuid,
    )
    try:
        label = revoke_role(assignment=assignment, revoked_by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Revoked: {label}.")
    return redirect("pilot:role-list")
