from django.contrib import admin

from core.models import Region


class ReadOnlyAdmin(admin.ModelAdmin):
    """Inspection only, cut to the staff member's area where the model is scoped: changes go
    through the services, which keep the history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "for_user"):
            return queryset.for_user(request.user)
        return queryset


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """The national list is loaded from the shipped file (``manage.py load_regions``), never
    edited by hand."""

    list_display = ["code", "name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
