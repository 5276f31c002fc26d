"""Pengaduan: categories with their service level, complaints, and each complaint's timeline."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import (
    OPEN_STATUSES,
    STATUS_BADGES,
    Channel,
    ComplaintStatus,
    Decision,
    EscalationLevel,
    EventKind,
    HandlingUnit,
    Priority,
)
from core.models import TimelineStep
from core.scope import ScopedQuerySet

# Tracking codes: no 0/O, 1/I/L, so a code read over the phone or copied by hand survives.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 10


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def normalise_tracking_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


TICKET_PREFIX = "ADU"


def ticket_number(year: int, pk: int) -> str:
    return f"{TICKET_PREFIX}-{year}-{pk:06d}"


def parse_ticket(text: str) -> tuple[int, int] | None:
    """``ADU-2026-000123`` (any case, spaces ignored) → (2026, 123); None when it is not one."""
    parts = "".join(text.split()).upper().split("-")
    if len(parts) != 3 or parts[0] != TICKET_PREFIX:
        return None
    year, number = parts[1], parts[2]
    if not (year.isdigit() and len(year) == 4 and number.isdigit() and 0 < len(number) <= 12):
        return None
    return int(year), int(number)


def tracking_digest(code: str) -> str:
    """The stored form of a tracking code: an HMAC with the secret key, so the table alone
    (a backup, a dump) does not open any complaint's status page."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_tracking_code(code).encode(), hashlib.sha256).hexdigest()


class Category(models.Model):
    """Kategori pengaduan: its service level in working days and the unit that handles it."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    service_days = models.PositiveSmallIntegerField(
        _("batas waktu layanan (hari kerja)"),
        help_text=_("Hari kerja sejak pengaduan diterima sampai harus selesai ditangani."),
    )
    handling_unit = models.CharField(
        _("unit penanganan"), max_length=20, choices=HandlingUnit.choices
    )
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")
        ordering = ["order", "name"]
        permissions = [("manage_category", _("Kelola kategori dan batas waktu pengaduan"))]

    def __str__(self):
        return self.name


class ComplaintQuerySet(ScopedQuerySet):
    area_lookup = "desa__code"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


def attachment_path(instance, filename):
    return f"complaints/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename}"


class Complaint(models.Model):
    """Pengaduan: one complaint from its intake to its closing.

    The ticket number (``ADU-2026-000123``: year received and id) is public and sequential;
    only together with the secret tracking code (stored as ``tracking_hash``) does it open the
    public status page."""

    tracking_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("kategori"),
        db_index=False,
    )
    priority = models.CharField(
        _("prioritas"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    description = models.TextField(_("isi pengaduan"), max_length=5000)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    no_kk = models.CharField(_("No. KK"), max_length=16, blank=True)
    desa = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
        db_index=False,
    )
    anonymous = models.BooleanField(_("tanpa nama"), default=False)
    complainant_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    complainant_contact = models.CharField(_("kontak pelapor"), max_length=120, blank=True)
    attachment = models.FileField(_("lampiran"), upload_to=attachment_path, blank=True)
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("keluarga"),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("program"),
    )
    data_update = models.ForeignKey(
        "households.DataUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("usulan perubahan data"),
    )
    # A Puskesos intake opened from the complaint: its needs are referred to agencies.
    intake = models.ForeignKey(
        "referrals.Intake",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("layanan rujukan"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("petugas"),
        db_index=False,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    status_reason = models.TextField(_("alasan penolakan"), blank=True)
    service_days = models.PositiveSmallIntegerField(_("batas waktu (hari kerja)"))
    due_date = models.DateField(_("batas waktu"))
    escalation_level = models.PositiveSmallIntegerField(
        _("eskalasi"), choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    escalated_at = models.DateTimeField(_("dieskalasi"), null=True, blank=True)
    decision = models.CharField(_("keputusan"), max_length=15, choices=Decision.choices, blank=True)
    public_reply = models.TextField(_("jawaban untuk pelapor"), blank=True)
    appeal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeal",
        verbose_name=_("banding atas"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_at", "-id"]
        permissions = [
            ("resolve_complaint", _("Selesaikan, tolak dan tutup pengaduan")),
            ("handle_appeal", _("Tangani banding pengaduan")),
        ]
        indexes = [
            models.Index(fields=["desa", "received_at"], name="complaint_desa_received_idx"),
            # The list's default order (newest first): the first page without sorting them all.
            models.Index(fields=["-received_at", "-id"], name="complaint_received_idx"),
            # The list's word search (ILIKE '%…%') on the story, with pg_trgm.
            GinIndex(
                fields=["description"],
                opclasses=["gin_trgm_ops"],
                name="complaint_description_trgm",
            ),
            models.Index(
                fields=["due_date"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="complaint_open_due_idx",
            ),
            models.Index(fields=["assignee", "status"], name="complaint_assignee_idx"),
            models.Index(fields=["status", "received_at"], name="complaint_status_idx"),
            models.Index(fields=["category", "received_at"], name="complaint_category_idx"),
            models.Index(fields=["nik"], name="complaint_nik_idx"),
        ]

    def __str__(self):
        return self.ticket

    def get_absolute_url(self):
        return reverse("complaints:complaint_detail", args=[self.pk])

    @property
    def ticket(self) -> str:
        return ticket_number(self.received_at.year, self.pk)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def set_tracking_code(self) -> str:
        code = new_tracking_code()
        self.tracking_hash = tracking_digest(code)
        return code

    def tracking_code_matches(self, code: str) -> bool:
        return hmac.compare_digest(self.tracking_hash, tracking_digest(code))

    @property
    def complainant_label(self) -> str:
        if self.anonymous or not self.complainant_name:
            return str(_("Tanpa nama"))
        return self.complainant_name


class ComplaintEventQuerySet(ScopedQuerySet):
    area_lookup = "complaint__desa__code"

    def public(self):
        return self.filter(public=True)


class ComplaintEvent(TimelineStep):
    """One step of a complaint's timeline. ``public`` steps (status changes, replies) show on
    the complainant's status page; internal notes never do."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("jenis"), max_length=12, choices=EventKind.choices)
    from_status = models.CharField(
        _("dari"), max_length=12, choices=ComplaintStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("menjadi"), max_length=12, choices=ComplaintStatus.choices, blank=True
    )
    text = models.TextField(_("isi"), blank=True)
    public = models.BooleanField(_("tampil untuk pelapor"), default=False)

    objects = ComplaintEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")
        ordering = ["complaint", "at", "id"]

    def __str__(self):
        return f"{self.complaint_id}: {self.get_kind_display()}"
