from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, UpdateView

from pilot.access import (
    Capability,
    CapabilityRequiredMixin,
    capability_required,
    get_visible_or_404,
    visible_districts,
    visible_schools,
    visible_staff,
)
from pilot.audit import log_access
from pilot.forms import StaffFilter, StaffForm
from pilot.history import history_for
from pilot.invitations import invite_staff
from pilot.models import AuditEntry
from pilot.registry.sections import sections_for

from .generic import OneTimeSubmitMixin, SavedMessageMixin

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
    return render(request, "pilot/staff_detail.html", {"member": member, "history": history})


class StaffFormViewMixin(CapabilityRequiredMixin, SavedMessageMixin):
    capabilities = (Capability.MANAGE_PROGRAM,)
    form_class = StaffForm
    template_name = "pilot/form_page.html"
    extra_context = {"legend": "Staff member"}

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "districts": visible_districts(user),
            "schools": visible_schools(user),
        }

    def get_success_url(self) -> str:
        return reverse("pilot:staff-detail", args=[self.object.uuid])


class StaffCreate(OneTimeSubmitMixin, StaffFormViewMixin, CreateView):
    saved_message = "{object} added."
    extra_context = {"legend": "Staff member", "title": "Add a staff member"}

    def get_initial(self):
        initial = super().get_initial()
        districts = visible_districts(self.request.user)
        slug = self.request.GET.get("district")
        if slug:
            initial["district"] = districts.filter(slug=slug).first()
        return initial


class StaffUpdate(StaffFormViewMixin, UpdateView):
    saved_message = "{object} saved."
    slug_field = slug_url_kwarg = "uuid"

    def get_queryset(self):
        return visible_staff(self.request.user).select_related("district", "school")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit {self.object}", **kwargs)


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
    with transaction.atomic():
        member.is_active = active
        member.save(update_fields=["is_active", "updated_at"])
        # A deactivated person cannot sign in: Django refuses inactive users on every request.
        if member.user is not None and not member.user.is_superuser:
            member.user.is_active = active
            member.user.save(update_fields=["is_active"])
    messages.success(request, f"{member} {'reactivated' if active else 'deactivated'}.")
    return redirect("pilot:staff-detail", uuid=member.uuid)


@require_POST
@capability_required(Capability.MANAGE_PROGRAM)
def staff_invite(request: HttpRequest, uuid: str) -> HttpResponse:
    member = get_visible_or_404(visible_staff(request.user).select_related("user"), uuid=uuid)
    if not member.is_active:
        messages.error(request, f"{member} is inactive: reactivate them before inviting.")
        return redirect("pilot:staff-detail", uuid=member.uuid)
    invite_staff(member)
    log_access(request.user, AuditEntry.Action.INVITATION, f"staff {member.uuid} <{member.email}>")
    messages.success(request, f"Invitation sent to {member.email}.")
    return redirect("pilot:staff-detail", uuid=member.uuid)
