"""The Django admin shows the programs data for inspection only, cut to the staff member's
area: changes go through the application's pages and services (scope, rules, history)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from programs.models import (
    Agency,
    AgencyStaff,
    BenefitRate,
    Disbursement,
    EmpowermentGroup,
    Enrolment,
    GroupProgress,
    Program,
    ProgramTarget,
)


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "cluster", "region", "active"]
    list_filter = ["kind", "cluster", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]


@admin.register(AgencyStaff)
class AgencyStaffAdmin(ReadOnlyAdmin):
    list_display = ["user", "agency"]
    list_select_related = ["user", "agency"]


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "cluster", "agency", "funding_source", "active"]
    list_filter = ["kind", "cluster", "funding_source", "national", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["agency"]


@admin.register(ProgramTarget)
class ProgramTargetAdmin(ReadOnlyAdmin):
    list_display = ["program", "year", "region", "planned"]
    list_filter = ["year"]
    list_select_related = ["program", "region"]


@admin.register(BenefitRate)
class BenefitRateAdmin(ReadOnlyAdmin):
    list_display = ["year", "component", "amount", "updated_by", "updated_at"]
    list_filter = ["year"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "program", "household", "member", "status", "source", "start_date"]
    list_filter = ["status", "source", "program"]
    list_select_related = ["program", "household", "member"]
    raw_id_fields = ["household", "member"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["id", "enrolment", "year", "period", "amount", "status", "channel"]
    list_filter = ["year", "status", "channel"]
    list_select_related = ["enrolment__program", "enrolment__household"]
    raw_id_fields = ["enrolment"]


class GroupProgressInline(admin.TabularInline):
    model = GroupProgress
    fields = ["recorded_on", "is_active", "monthly_turnover", "members_income", "notes"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EmpowermentGroup)
class EmpowermentGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "desa", "program", "business_type", "active"]
    list_filter = ["active", "program"]
    search_fields = ["name"]
    list_select_related = ["desa", "program"]
    inlines = [GroupProgressInline]
