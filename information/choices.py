from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


REPORT_STATUS_BADGES = {
    ReportStatus.QUEUED: "badge-muted",
    ReportStatus.RUNNING: "badge-warn",
    ReportStatus.DONE: "badge-ok",
    ReportStatus.FAILED: "badge-error",
}
