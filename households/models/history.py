from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedQuerySet
from households.choices import ChangeAction, ChangeSource


class ChangeLogQuerySet(ScopedQuerySet):
    area_lookup = "household__desa__code"


class ChangeLog(models.Model):
    """One change to registry data: who, when, what (field → [old, new]) and from where.

    Written by the services (forms, approved data updates, merges) and set-based by the
    importer, so a household's history is one indexed query."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="changes", db_index=False
    )
    member = models.ForeignKey(
        "households.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_label = models.CharField(_("data"), max_length=200, blank=True)
    action = models.CharField(_("aksi"), max_length=10, choices=ChangeAction.choices)
    changes = models.JSONField(_("perubahan"), default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    source = models.CharField(_("sumber"), max_length=12, choices=ChangeSource.choices)
    import_job = models.ForeignKey(
        "households.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data_update = models.ForeignKey(
        "households.DataUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = _("riwayat perubahan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["household", "-created_at"], name="changelog_household_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_label} ({self.created_at:%d/%m/%Y %H:%M})"
