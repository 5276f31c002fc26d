"""The main navigation and the sections that later issues fill."""

from django.utils.translation import gettext_lazy as _

SECTIONS = [
    {
        "key": "data",
        "label": _("Data"),
        "url_name": "households:household_list",
        "description": _("Registri keluarga dan anggota, usulan perubahan data, duplikat, impor."),
    },
    {
        "key": "programs",
        "label": _("Program"),
        "url_name": "programs:index",
        "description": _(
            "Koordinasi program: OPD/lembaga, program bansos dan pemberdayaan, kepesertaan, "
            "penyaluran dan sinergi antarprogram."
        ),
    },
    {
        "key": "referrals",
        "label": _("Rujukan"),
        "url_name": "referrals:index",
        "description": _(
            "Rujukan Puskesos: pencatatan kebutuhan warga dan rujukan ke penyedia layanan."
        ),
    },
    {
        "key": "complaints",
        "label": _("Pengaduan"),
        "url_name": "complaints:index",
        "description": _("Pengaduan masyarakat: tiket, penanganan, batas waktu layanan, eskalasi."),
    },
    {
        "key": "graduation",
        "label": _("Graduasi"),
        "url_name": "graduation:index",
        "description": _(
            "Graduasi KPM PKH: pendamping, target, kesiapan, verifikasi dan pemantauan."
        ),
    },
    {
        "key": "reports",
        "label": _("Laporan"),
        "url_name": "reports",
        "description": _("Dasbor dan laporan per wilayah, diunduh sebagai Excel."),
    },
]
