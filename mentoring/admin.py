"""Superuser admin: pairings with their history. Session notes stay out of the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Pairing, SupportRole


class SupportRoleInline(admin.TabularInline):
    model = SupportRole
    extra = 0


@admin.register(Pairing)
class PairingAdmin(SimpleHistoryAdmin):
    list_display = ["teacher", "paraprofessional", "cohort", "district", "status", "starts_on"]
    list_filter = ["status", "cohort", "district"]
    list_select_related = ["teacher", "paraprofessional", "cohort", "district"]
    raw_id_fields = ["teacher", "paraprofessional"]
    search_fields = ["teacher__last_name", "paraprofessional__last_name"]
    inlines = [SupportRoleInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # pairings are closed, never deleted
