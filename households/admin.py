"""The Django admin shows the registry for inspection only.

Every change to registry data must go through the services (forms, approved data updates,
imports, merges) so that it lands in the household's history; an admin edit would not. The
admin is therefore read-only here, and cut to the staff member's area like every other view.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from households.models import (
    ChangeLog,
    DataUpdate,
    DuplicateCandidate,
    ExportLog,
    Household,
    ImportJob,
    KKHistory,
    Member,
)


class MemberInline(admin.TabularInline):
    model = Member
    fields = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class KKHistoryInline(admin.TabularInline):
    model = KKHistory
    fields = ["no_kk", "valid_from", "valid_to", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["registry_id", "no_kk", "desa", "desil", "status", "last_verified"]
    list_filter = ["status", "desil"]
    search_fields = ["=no_kk", "=id"]
    list_select_related = ["desa"]
    inlines = [MemberInline, KKHistoryInline]
    show_full_result_count = False


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["nama", "nik", "household", "hubungan_keluarga", "tanggal_lahir", "status"]
    list_filter = ["status", "hubungan_keluarga"]
    search_fields = ["=nik", "nama"]
    list_select_related = ["household"]
    show_full_result_count = False


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "household", "object_label", "action", "source", "user"]
    list_filter = ["source", "action"]
    list_select_related = ["household", "user"]
    show_full_result_count = False


@admin.register(DataUpdate)
class DataUpdateAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "household", "proposed_by", "proposed_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["household", "proposed_by"]


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyAdmin):
    list_display = ["pk", "reason", "score", "status", "found_at"]
    list_filter = ["status", "reason"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "status", "user", "area_code", "created_at"]
    list_filter = ["status"]


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "what", "file_format", "row_count", "area_code"]
