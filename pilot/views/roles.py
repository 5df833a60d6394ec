from django.contrib import messages
from django.db import transaction
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
from pilot.audit import log_access
from pilot.forms import RoleAssignmentForm
from pilot.models import AuditEntry


@capability_required(Capability.MANAGE_ROLES)
def role_list(request: HttpRequest) -> HttpResponse:
    roles = visible_role_assignments(request.user).select_related("user", "district", "college")
    return render(request, "pilot/role_list.html", {"roles": roles})


@capability_required(Capability.MANAGE_ROLES)
def role_create(request: HttpRequest) -> HttpResponse:
    form = RoleAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            assignment = form.save(granted_by=request.user)
            log_access(request.user, AuditEntry.Action.ROLE_CHANGE, f"granted {assignment}")
        messages.success(request, f"Granted: {assignment}.")
        return redirect("pilot:role-list")
    return render(
        request,
        "pilot/form_page.html",
        {
            "form": form,
            "title": "Assign a role",
            "legend": "Role",
            "submit_label": "Assign role",
            "cancel_url": reverse("pilot:role-list"),
        },
    )


@require_POST
@capability_required(Capability.MANAGE_ROLES)
def role_revoke(request: HttpRequest, uuid: str) -> HttpResponse:
    assignment = get_visible_or_404(
        visible_role_assignments(request.user).select_related("user", "district", "college"),
        uuid=uuid,
    )
    if assignment.user_id == request.user.id and assignment.role == "program_coordinator":
        messages.error(request, "You cannot remove your own program coordinator role.")
        return redirect("pilot:role-list")
    with transaction.atomic():
        label = str(assignment)
        assignment.delete()
        log_access(request.user, AuditEntry.Action.ROLE_CHANGE, f"revoked {label}")
    messages.success(request, f"Revoked: {label}.")
    return redirect("pilot:role-list")
