"""Django admin: for superusers only (``is_staff`` is granted to superusers alone)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from pilot.models import (
    AuditEntry,
    Cohort,
    CohortEnrollment,
    College,
    District,
    RoleAssignment,
    School,
    Staff,
    User,
)


class SuperuserOnlyAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_superuser)


admin.site.__class__ = SuperuserOnlyAdminSite


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]
    list_filter = ["is_active", "is_superuser"]
    filter_horizontal: list[str] = []


@admin.register(Staff)
class StaffAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "role", "district", "school", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["district", "school"]
    search_fields = ["last_name", "first_name", "email"]
    raw_id_fields = ["user", "school", "district"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_email", "action", "subject"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


admin.site.register([Cohort, CohortEnrollment, College, District, RoleAssignment, School])
