from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.scope import ScopedQuerySet


class StaffProfile(models.Model):
    """A staff member's role and area scope (a Kemendagri region code: kabupaten, kecamatan
    or desa). Everything they see is cut to records whose desa code starts with ``area_code``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    area_code = models.CharField(_("kode wilayah"), max_length=13)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("profil petugas")
        verbose_name_plural = _("profil petugas")
        permissions = [("manage_staff", _("Kelola petugas di wilayahnya"))]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.area_code})"


class StaffQuerySet(ScopedQuerySet):
    """Staff accounts scoped like every registry record: by the area they work in."""

    area_lookup = "profile__area_code"


def staff_accounts() -> StaffQuerySet:
    """The accounts staff management deals with: those with a profile, never superusers or
    accounts with Django-admin access (changing their password would hand over more rights than
    a district admin has). Scope it with ``for_user``."""
    return (
        StaffQuerySet(model=get_user_model())
        .select_related("profile")
        .filter(profile__isnull=False, is_superuser=False, is_staff=False)
    )
