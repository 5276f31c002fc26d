"""Staff roles (Django groups) and the permissions each one holds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN_DINAS = "admin_dinas", _("Admin Dinas")
    PIMPINAN = "pimpinan", _("Pimpinan")
    OPERATOR_KECAMATAN = "operator_kecamatan", _("Operator kecamatan")
    PETUGAS_PUSKESOS = "petugas_puskesos", _("Petugas Puskesos")
    PENDAMPING = "pendamping", _("Pendamping PKH")
    PETUGAS_PENGADUAN = "petugas_pengaduan", _("Petugas pengaduan")
    MITRA_LAYANAN = "mitra_layanan", _("Mitra layanan")


# Permissions per role as "app_label.codename". Apps that come later add theirs here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN_DINAS: [
        "households.view_household",
        "households.change_household",
        "households.add_household",
        "households.view_member",
        "households.change_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
        "households.approve_dataupdate",
        "households.view_duplicatecandidate",
        "households.resolve_duplicatecandidate",
        "households.add_importjob",
        "households.view_importjob",
        "households.export_household",
        "households.view_exportlog",
        "accounts.manage_staff",
    ],
    Role.PIMPINAN: [
        "households.view_household",
        "households.view_member",
        "households.view_dataupdate",
        "households.view_importjob",
        "households.export_household",
    ],
    Role.OPERATOR_KECAMATAN: [
        "households.view_household",
        "households.view_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
        "households.verify_dataupdate",
        "households.view_duplicatecandidate",
        "households.resolve_duplicatecandidate",
        "households.export_household",
    ],
    Role.PETUGAS_PUSKESOS: [
        "households.view_household",
        "households.view_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
    ],
    Role.PENDAMPING: [
        "households.view_household",
        "households.view_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
    ],
    Role.PETUGAS_PENGADUAN: [
        "households.view_household",
        "households.view_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
    ],
    Role.MITRA_LAYANAN: [],
}


# Region levels a role's area may have (2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan), from
# the scope column of DESIGN.md's role table. Checked where staff are created or edited.
ROLE_AREA_LEVELS: dict[str, tuple[int, ...]] = {
    Role.ADMIN_DINAS: (2,),
    Role.PIMPINAN: (2,),
    Role.OPERATOR_KECAMATAN: (3,),
    Role.PETUGAS_PUSKESOS: (3, 4),
    Role.PENDAMPING: (2, 3, 4),
    Role.PETUGAS_PENGADUAN: (2, 3),
    Role.MITRA_LAYANAN: (2, 3, 4),
}
