from django.db import models
from django.utils.translation import gettext_lazy as _

from core import regions


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


class Region(models.Model):
    """A Kemendagri region code (``35``, ``35.07``, ``35.07.01``, ``35.07.01.2001``).

    The table keeps its first name, ``households_region``: the model moved here from the
    households app without copying the 91,599 rows."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        db_table = "households_region"
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    level_of = staticmethod(regions.level_of)
    normalise_code = staticmethod(regions.normalise_code)
