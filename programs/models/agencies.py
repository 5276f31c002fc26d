from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scope import ServesAreaQuerySet
from programs.choices import AgencyKind, Cluster


class AgencyQuerySet(ServesAreaQuerySet):
    area_lookup = "region__code"


class Agency(models.Model):
    """OPD or partner (lembaga): runs programs and receives referrals."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=AgencyKind.choices)
    cluster = models.CharField(_("klaster"), max_length=30, choices=Cluster.choices, blank=True)
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        db_column="region_code",
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
        help_text=_("Kosong untuk lembaga tingkat nasional/provinsi."),
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("OPD/lembaga")
        verbose_name_plural = _("OPD/lembaga")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgencyStaffQuerySet(ServesAreaQuerySet):
    area_lookup = "agency__region__code"


class AgencyStaff(models.Model):
    """Links a partner-agency user (role Mitra layanan) to the agency they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agency_link",
        verbose_name=_("petugas"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", verbose_name=_("OPD/lembaga")
    )

    objects = AgencyStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("petugas lembaga")
        verbose_name_plural = _("petugas lembaga")

    def __str__(self):
        return f"{self.user} · {self.agency}"
