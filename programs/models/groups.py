from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedQuerySet


class EmpowermentGroupQuerySet(ScopedQuerySet):
    area_lookup = "desa__code"


class EmpowermentGroup(models.Model):
    """Kelompok (KUBE and others): members of several households of one desa with a business."""

    name = models.CharField(_("nama kelompok"), max_length=200)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("program"),
    )
    desa = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        db_column="desa_code",
        related_name="+",
        verbose_name=_("desa/kelurahan"),
    )
    business_type = models.CharField(_("jenis usaha"), max_length=150)
    capital_aid = models.PositiveBigIntegerField(_("bantuan modal (Rp)"), default=0)
    formed_on = models.DateField(_("tanggal dibentuk"), null=True, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    objects = EmpowermentGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("kelompok usaha")
        verbose_name_plural = _("kelompok usaha")
        ordering = ["desa", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:group_detail", args=[self.pk])


class GroupMembershipQuerySet(ScopedQuerySet):
    area_lookup = "group__desa__code"


class GroupMembership(models.Model):
    group = models.ForeignKey(
        EmpowermentGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        "households.Member",
        on_delete=models.PROTECT,
        related_name="group_memberships",
        verbose_name=_("anggota"),
    )
    joined_on = models.DateField(_("bergabung"), default=timezone.localdate)
    left_on = models.DateField(_("keluar"), null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("anggota kelompok")
        verbose_name_plural = _("anggota kelompok")
        ordering = ["group", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=models.Q(left_on__isnull=True),
                name="group_membership_current_unique",
            ),
        ]

    def __str__(self):
        return f"{self.group} · {self.member}"


class GroupProgressQuerySet(ScopedQuerySet):
    area_lookup = "group__desa__code"


class GroupProgress(models.Model):
    """A periodic progress record of a group: is it active, what it turns over, what members
    earn; a group with a recent active record and turnover counts as productive."""

    group = models.ForeignKey(EmpowermentGroup, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("tanggal"), default=timezone.localdate)
    is_active = models.BooleanField(_("usaha berjalan"), default=True)
    monthly_turnover = models.PositiveBigIntegerField(_("omzet per bulan (Rp)"), default=0)
    members_income = models.PositiveBigIntegerField(
        _("rata-rata pendapatan anggota per bulan (Rp)"), default=0
    )
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )

    objects = GroupProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("perkembangan kelompok")
        verbose_name_plural = _("perkembangan kelompok")
        ordering = ["group", "-recorded_on", "-id"]

    def __str__(self):
        return f"{self.group} · {self.recorded_on:%d/%m/%Y}"
