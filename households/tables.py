"""The household table of the registry list, its columns declared once."""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData

from households import exports
from households.models import ExportLog, Household
from households.services.registry import by_desa

# Counting a large filtered set is the slowest part of a list page; above this many rows the
# page says "more than" instead of counting on (nobody pages that far: they filter).
COUNT_LIMIT = 10_000
PAGE_SIZES = (25, 50, 100)
NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}
# Left out on a phone screen: the row still links to the household page that has them.
OPTIONAL = {"td": {"class": "col-optional"}, "th": {"class": "col-optional"}}


class CappedCountData(TableQuerysetData):
    """Table data whose length is counted up to ``COUNT_LIMIT`` rows only."""

    count_capped = False

    def __len__(self):
        if getattr(self, "_length", None) is None:
            counted = self.data.order_by().values("pk")[: COUNT_LIMIT + 1].count()
            self.count_capped = counted > COUNT_LIMIT
            self._length = min(counted, COUNT_LIMIT)
        return self._length


class RegistryPaginator(Paginator):
    """Paginator that knows whether its count stopped at the limit."""

    @property
    def count_capped(self) -> bool:
        self.count  # noqa: B018 - the count decides whether it was capped
        return getattr(self.object_list.data, "count_capped", False)


class StatusColumn(tables.Column):
    BADGES = {"active": "badge-ok", "moved": "badge-warn", "merged": "badge-muted"}

    def render(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            self.BADGES.get(record.status, "badge-muted"),
            record.get_status_display(),
        )


class HouseholdTable(tables.Table):
    registry_id = tables.Column(
        verbose_name=_("ID registri"),
        order_by=("id",),
        linkify=True,
        attrs={"td": {"class": "nowrap"}},
    )
    no_kk = tables.Column(verbose_name=_("No. KK"))
    head_name = tables.Column(verbose_name=_("Kepala keluarga"), default="–")
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="desa_name")
    kecamatan = tables.Column(
        verbose_name=_("Kecamatan"),
        accessor="kecamatan_name",
        attrs=OPTIONAL,
    )
    desil = tables.Column(
        verbose_name=_("Desil"), default="–", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    member_count = tables.Column(
        verbose_name=_("Anggota"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    status = StatusColumn(verbose_name=_("Status"), attrs=OPTIONAL)
    last_verified = tables.DateColumn(
        verbose_name=_("Terakhir diverifikasi"), format="d/m/Y", default="–", attrs=OPTIONAL
    )

    class Meta:
        model = Household
        fields = ()
        sequence = (
            "registry_id",
            "no_kk",
            "head_name",
            "desa",
            "kecamatan",
            "desil",
            "member_count",
            "status",
            "last_verified",
        )
        template_name = "households/table.html"
        attrs = {"class": "table"}
        empty_text = _("Tidak ada keluarga yang cocok dengan pencarian/filter ini.")
        orderable = True

    def __init__(self, queryset, **kwargs):
        super().__init__(CappedCountData(queryset), **kwargs)

    # Desa and kecamatan sort by region code (kecamatan code is the desa code's prefix), the
    # order the registry index keeps.
    def order_desa(self, queryset, is_descending):
        return queryset.order_by(*by_desa(is_descending)), True

    def order_kecamatan(self, queryset, is_descending):
        return queryset.order_by(*by_desa(is_descending)), True

    def render_head_name(self, value, record):
        matched = getattr(record, "matched_name", None)
        if matched and matched != value:
            return format_html(
                '{}<br><small class="muted">{} {}</small>', value, _("cocok:"), matched
            )
        return value


class ExportLogTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=_("Waktu"), format="d/m/Y H:i")
    user = tables.Column(verbose_name=_("Petugas"), order_by=("user__first_name", "user__username"))
    area_code = tables.Column(verbose_name=_("Wilayah"))
    what = tables.Column(verbose_name=_("Data"))
    file_format = tables.Column(verbose_name=_("Format"))
    filters = tables.Column(verbose_name=_("Filter"), orderable=False, empty_values=())
    row_count = tables.Column(
        verbose_name=_("Jumlah baris"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta:
        model = ExportLog
        fields = ["created_at", "user", "area_code", "what", "file_format", "filters", "row_count"]
        template_name = "households/table.html"
        empty_text = _("Belum ada ekspor yang tercatat.")
        attrs = {"class": "table"}

    def render_user(self, record):
        name = record.user.get_full_name()
        if not name:
            return record.user.username
        return format_html('{}<br><span class="muted small">{}</span>', name, record.user.username)

    def render_area_code(self, record):
        if record.area_name:
            return format_html(
                '{}<br><span class="muted small">{}</span>', record.area_name, record.area_code
            )
        return record.area_code or _("Seluruh wilayah")

    def render_what(self, value):
        return exports.EXPORT_KINDS.get(value, value)

    def render_file_format(self, value):
        return value.upper()

    def render_filters(self, record):
        pairs = exports.describe_filters(record.filters)
        if not pairs:
            return _("Tanpa filter")
        return format_html_join(mark_safe("<br>"), '<span class="muted">{}:</span> {}', pairs)

    def render_row_count(self, value):
        return exports.grouped(value)
