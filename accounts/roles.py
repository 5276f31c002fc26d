"""Staff roles (Django groups) and the permissions each one holds."""

from collections.abc import Callable

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


# Permissions per role as "app_label.codename". Apps that come later add theirs here, in the
# same change that creates them (their models' ``view_…`` permissions, or ``Meta.permissions``):
# ``ensure_role_groups`` skips a name that is not a real permission, and the navigation sections
# already ask for ``programs.view_program``, ``referrals.view_referral``,
# ``complaints.view_complaint`` and ``graduation.view_graduation`` (see config/navigation.py).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN_DINAS: [
        "information.view_report",
        "information.add_report",
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
        "core.view_holiday",
        "core.add_holiday",
        "core.delete_holiday",
        "programs.view_program",
        "programs.add_program",
        "programs.change_program",
        "programs.view_agency",
        "programs.add_agency",
        "programs.change_agency",
        "programs.view_agencystaff",
        "programs.add_agencystaff",
        "programs.delete_agencystaff",
        "programs.view_programtarget",
        "programs.add_programtarget",
        "programs.change_programtarget",
        "programs.delete_programtarget",
        "programs.view_benefitrate",
        "programs.change_benefitrate",
        "programs.add_benefitrate",
        "programs.view_enrolment",
        "programs.add_enrolment",
        "programs.manage_enrolment",
        "programs.import_enrolment",
        "programs.view_disbursement",
        "programs.add_disbursement",
        "programs.change_disbursement",
        "programs.view_empowermentgroup",
        "programs.add_empowermentgroup",
        "programs.change_empowermentgroup",
        "programs.add_groupprogress",
        "graduation.view_graduation",
        "graduation.add_graduation",
        "graduation.approve_graduation",
        "graduation.view_facilitator",
        "graduation.manage_facilitator",
        "graduation.view_assignment",
        "graduation.view_graduationtarget",
        "graduation.view_monitoringvisit",
        "referrals.view_servicepoint",
        "referrals.add_servicepoint",
        "referrals.change_servicepoint",
        "referrals.manage_servicepoint",
        "referrals.export_intake",
        "referrals.view_intake",
        "referrals.add_intake",
        "referrals.view_referral",
        "referrals.manage_referral",
        "complaints.view_complaint",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.resolve_complaint",
        "complaints.view_category",
        "complaints.handle_appeal",
        "complaints.manage_category",
    ],
    Role.PIMPINAN: [
        "information.view_report",
        "information.add_report",
        "core.view_holiday",
        "households.view_household",
        "households.view_member",
        "households.view_dataupdate",
        "households.view_importjob",
        "households.export_household",
        "programs.view_program",
        "programs.view_agency",
        "programs.view_programtarget",
        "programs.view_benefitrate",
        "programs.view_enrolment",
        "programs.view_disbursement",
        "programs.view_empowermentgroup",
        "graduation.view_graduation",
        "graduation.view_facilitator",
        "graduation.view_graduationtarget",
        "graduation.view_monitoringvisit",
        "referrals.view_servicepoint",
        "referrals.view_intake",
        "referrals.view_referral",
        "complaints.view_complaint",
        "complaints.view_category",
    ],
    Role.OPERATOR_KECAMATAN: [
        "information.view_report",
        "information.add_report",
        "core.view_holiday",
        "households.view_household",
        "households.view_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
        "households.verify_dataupdate",
        "households.view_duplicatecandidate",
        "households.resolve_duplicatecandidate",
        "households.export_household",
        "programs.view_program",
        "programs.view_agency",
        "programs.view_programtarget",
        "programs.view_benefitrate",
        "programs.view_enrolment",
        "programs.view_disbursement",
        "programs.view_empowermentgroup",
        "programs.add_enrolment",
        "programs.add_empowermentgroup",
        "programs.change_empowermentgroup",
        "programs.add_groupprogress",
        "graduation.view_graduation",
        "graduation.verify_graduation",
        "graduation.view_facilitator",
        "graduation.view_assignment",
        "graduation.view_graduationtarget",
        "graduation.view_monitoringvisit",
        "referrals.view_servicepoint",
        "referrals.manage_servicepoint",
        "referrals.export_intake",
        "referrals.view_intake",
        "referrals.add_intake",
        "referrals.view_referral",
        "referrals.manage_referral",
        "complaints.view_complaint",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.resolve_complaint",
        "complaints.view_category",
    ],
    Role.PETUGAS_PUSKESOS: [
        "information.view_report",
        "information.add_report",
        "core.view_holiday",
        "households.view_household",
        "households.view_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
        "programs.view_program",
        "programs.view_agency",
        "programs.view_enrolment",
        "referrals.view_servicepoint",
        "referrals.export_intake",
        "referrals.view_intake",
        "referrals.add_intake",
        "referrals.view_referral",
        "referrals.manage_referral",
    ],
    Role.PENDAMPING: [
        "households.view_household",
        "households.view_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
        "programs.view_program",
        "programs.view_agency",
        "programs.view_enrolment",
        "programs.add_enrolment",
        "programs.view_empowermentgroup",
        "programs.add_groupprogress",
        "graduation.view_graduation",
        "graduation.add_graduation",
        "graduation.view_monitoringvisit",
        "graduation.change_monitoringvisit",
        "referrals.view_servicepoint",
        "referrals.view_intake",
        "referrals.add_intake",
        "referrals.view_referral",
    ],
    Role.PETUGAS_PENGADUAN: [
        "information.view_report",
        "information.add_report",
        "core.view_holiday",
        "households.view_household",
        "households.view_member",
        "households.add_dataupdate",
        "households.view_dataupdate",
        "programs.view_program",
        "programs.view_agency",
        "programs.view_enrolment",
        "programs.view_disbursement",
        "referrals.add_intake",
        "referrals.manage_referral",
        "referrals.view_intake",
        "referrals.view_referral",
        "complaints.view_complaint",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.resolve_complaint",
        "complaints.view_category",
    ],
    Role.MITRA_LAYANAN: [
        "referrals.view_referral",
        "referrals.respond_referral",
    ],
}


# Region levels a role's area may have (2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan), from
# the role table of docs/design.md. Checked where staff are created or edited.
ROLE_AREA_LEVELS: dict[str, tuple[int, ...]] = {
    Role.ADMIN_DINAS: (2,),
    Role.PIMPINAN: (2,),
    Role.OPERATOR_KECAMATAN: (3,),
    Role.PETUGAS_PUSKESOS: (3, 4),
    Role.PENDAMPING: (2, 3, 4),
    Role.PETUGAS_PENGADUAN: (2, 3),
    Role.MITRA_LAYANAN: (2, 3, 4),
}


# What a navigation section or a panel declares it needs: one permission ("app.codename"), a
# list or tuple of them (any one is enough), or a function of the user for anything else.
Requirement = str | list[str] | tuple[str, ...] | Callable[[object], bool]


def may(user, requirement: Requirement) -> bool:
    """Whether ``user`` meets a section's or panel's ``requirement``. Active superusers hold
    every permission, also those of apps whose permissions do not exist yet."""
    if user is None or not user.is_authenticated:
        return False
    if callable(requirement):
        return bool(requirement(user))
    if isinstance(requirement, str):
        return user.has_perm(requirement)
    return any(user.has_perm(permission) for permission in requirement)
