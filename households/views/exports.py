"""Exports of the registry list (xlsx, CSV) and the export log the district admin reads."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.models import Region
from core.views import ScopedListView
from households import exports
from households.filtersets import ExportLogFilterSet
from households.models import ExportLog
from households.tables import ExportLogTable

# Personal data: no copy in a browser or proxy cache.
NO_STORE = "no-store"


@require_GET
@permission_required("households.export_household", raise_exception=True)
def registry_export(request, file_format):
    """The registry list as filtered on screen (same querystring), as one row per member."""
    if file_format not in exports.FORMATS:
        raise Http404
    try:
        export = exports.registry_export(request)
    except exports.ExportRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(_list_url(request))
    filename = exports.export_filename(request.user, file_format)
    if file_format == exports.CSV:
        response = StreamingHttpResponse(
            exports.csv_chunks(export.members), content_type=exports.CONTENT_TYPES[exports.CSV]
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
        row_count = export.row_count
    else:
        workbook, row_count = exports.write_xlsx(export.members)
        response = FileResponse(
            workbook,
            as_attachment=True,
            filename=filename,
            content_type=exports.CONTENT_TYPES[exports.XLSX],
        )
    exports.log_export(
        request.user,
        request=request,
        what=exports.REGISTRY,
        file_format=file_format,
        filters=export.filters,
        row_count=row_count,
    )
    response["Cache-Control"] = NO_STORE
    return response


def _list_url(request) -> str:
    filters = exports.filters_of(request.GET)
    url = reverse("households:household_list")
    return f"{url}?{filters}" if filters else url


class ExportLogView(ScopedListView):
    """Every export of personal data inside the admin's area, newest first."""

    permission_required = "households.view_exportlog"
    template_name = "households/exports/export_log.html"
    filterset_class = ExportLogFilterSet
    table_class = ExportLogTable
    per_page = 50

    def get_base_queryset(self):
        area_name = Region.objects.filter(code=OuterRef("area_code")).values("name")[:1]
        return (
            ExportLog.objects.select_related("user")
            .annotate(area_name=Subquery(area_name))
            .order_by("-created_at", "-pk")
        )


urlpatterns = [
    path("ekspor/registri.<str:file_format>", registry_export, name="registry_export"),
    path("ekspor/log/", ExportLogView.as_view(), name="export_log"),
]
