"""Django admin for coursework (superusers only, like the rest of the admin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Course,
    CourseDomain,
    DegreePlan,
    Enrollment,
    Module,
    Offering,
    PlanDeclaration,
    RequirementBlock,
    TransferCredit,
)


class CourseDomainInline(admin.TabularInline):
    model = CourseDomain
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "college", "credit_hours", "delivery"]
    list_filter = ["college", "delivery"]
    search_fields = ["code", "title"]
    inlines = [CourseDomainInline]


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["course", "term", "section", "cohort", "starts_on", "ends_on"]
    list_filter = ["cohort", "term"]
    list_select_related = ["course", "cohort"]
    inlines = [ModuleInline]


@admin.register(Enrollment)
class EnrollmentAdmin(SimpleHistoryAdmin):
    list_display = ["para", "offering", "status", "grade", "completed_on"]
    list_filter = ["status", "grade"]
    list_select_related = ["para", "offering__course"]
    raw_id_fields = ["para", "offering"]
    search_fields = ["para__last_name", "para__email"]


@admin.register(TransferCredit)
class TransferCreditAdmin(SimpleHistoryAdmin):
    list_display = ["para", "course_title", "institution", "credit_hours", "verified_at"]
    list_select_related = ["para"]
    raw_id_fields = ["para", "equivalent_course"]


class RequirementBlockInline(admin.TabularInline):
    model = RequirementBlock
    extra = 0


@admin.register(DegreePlan)
class DegreePlanAdmin(admin.ModelAdmin):
    list_display = ["name", "college", "kind", "total_credits"]
    inlines = [RequirementBlockInline]


@admin.register(PlanDeclaration)
class PlanDeclarationAdmin(SimpleHistoryAdmin):
    list_display = ["para", "plan", "declared_on"]
    list_select_related = ["para", "plan"]
    raw_id_fields = ["para"]
