"""The main navigation: one section per function app, each declaring the permission it needs.

A user sees a section (in the menu and as a card on the home page) only when they meet its
``permission`` (see ``accounts.roles.may``: one permission, any of a list, or a function of the
user), and the section's page refuses everyone else.

Sections whose app is still to come already ask for the permission that app will have
(``programs.view_program``, ``referrals.view_referral``, ``complaints.view_complaint``,
``graduation.view_graduation``). Until the app's migration creates it nobody holds it, so such a
section shows to superusers only: a staff member sees no menu entry that leads to a page saying
"coming soon". The app lands by creating the permission, adding it to the roles in
``accounts.roles.ROLE_PERMISSIONS``, replacing its ``section_coming`` page and setting
``coming=False`` here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.roles import Requirement, may


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url_name: str
    description: str | Promise
    permission: Requirement
    # Built by a later issue: the home page shows it as a card that says what will come.
    coming: bool = False


SECTIONS = [
    Section(
        key="data",
        label=_("Data"),
        url_name="households:household_list",
        description=_("Registri keluarga dan anggota, usulan perubahan data, duplikat, impor."),
        permission="households.view_household",
    ),
    Section(
        key="programs",
        label=_("Program"),
        url_name="programs:index",
        description=_(
            "Koordinasi program: OPD/lembaga, program bansos dan pemberdayaan, kepesertaan, "
            "penyaluran dan sinergi antarprogram."
        ),
        permission="programs.view_program",
    ),
    Section(
        key="referrals",
        label=_("Rujukan"),
        url_name="referrals:index",
        description=_(
            "Rujukan Puskesos: pencatatan kebutuhan warga dan rujukan ke penyedia layanan."
        ),
        permission=["referrals.view_referral", "referrals.respond_referral"],
    ),
    Section(
        key="complaints",
        label=_("Pengaduan"),
        url_name="complaints:complaint_list",
        description=_("Pengaduan masyarakat: tiket, penanganan, batas waktu layanan, eskalasi."),
        permission="complaints.view_complaint",
    ),
    Section(
        key="graduation",
        label=_("Graduasi"),
        url_name="graduation:index",
        description=_("Graduasi KPM PKH: pendamping, target, kesiapan, verifikasi dan pemantauan."),
        permission="graduation.view_graduation",
    ),
    Section(
        key="reports",
        label=_("Laporan"),
        url_name="information:index",
        description=_("Dasbor dan laporan per wilayah, diunduh sebagai Excel."),
        permission="information.view_report",
    ),
    Section(
        key="staff",
        label=_("Petugas"),
        url_name="accounts:staff_list",
        description=_("Petugas di wilayah Anda: peran, wilayah kerja, akun."),
        permission="accounts.manage_staff",
    ),
]


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)


def sections_for(user) -> list[Section]:
    """The sections ``user`` may open, in menu order."""
    return [s for s in SECTIONS if may(user, s.permission)]
