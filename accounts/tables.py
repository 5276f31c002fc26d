"""The staff table of the staff list, its columns declared once."""

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class StaffTable(tables.Table):
    username = tables.Column(
        verbose_name=_("Nama pengguna"), linkify=("accounts:staff_update", {"pk": tables.A("pk")})
    )
    first_name = tables.Column(verbose_name=_("Nama"))
    role = tables.Column(
        verbose_name=_("Peran"), accessor="profile__role", order_by=("profile__role", "username")
    )
    area = tables.Column(
        verbose_name=_("Wilayah kerja"),
        accessor="profile__area_code",
        order_by=("profile__area_code", "username"),
    )
    last_login = tables.DateTimeColumn(
        verbose_name=_("Terakhir masuk"), format="d/m/Y H:i", default=_("belum pernah")
    )
    is_active = tables.Column(verbose_name=_("Status"))
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        template_name = "households/table.html"
        attrs = {"class": "table"}
        empty_text = _("Belum ada petugas yang cocok.")
        fields = []
        sequence = ["username", "first_name", "role", "area", "last_login", "is_active", "actions"]

    def __init__(self, *args, request_user=None, **kwargs):
        self.request_user = request_user
        super().__init__(*args, **kwargs)

    def render_role(self, record):
        return record.profile.get_role_display()

    def render_area(self, record):
        if record.area_name:
            return format_html(
                '{}<br><span class="muted small">{}</span>',
                record.area_name,
                record.profile.area_code,
            )
        return record.profile.area_code

    def render_is_active(self, value):
        if value:
            return format_html('<span class="badge badge-ok">{}</span>', _("Aktif"))
        return format_html('<span class="badge badge-muted">{}</span>', _("Nonaktif"))

    def render_actions(self, record):
        if record.pk == self.request_user.pk:
            return format_html('<span class="muted small">{}</span>', _("akun Anda"))
        return render_to_string(
            "accounts/staff_active_button.html",
            {
                "staff": record,
                "csrf_token": get_token(self.request),
                "next": self.request.get_full_path(),
                "small": True,
            },
        )
