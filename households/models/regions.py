from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


class Region(models.Model):
    """A Kemendagri region code (``35``, ``35.07``, ``35.07.01``, ``35.07.01.2001``)."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @staticmethod
    def level_of(code: str) -> int:
        return code.count(".") + 1

    @staticmethod
    def normalise_code(raw: str) -> str:
        """``3507012001`` or ``35.07.01.2001`` → dotted form; anything else is returned stripped."""
        text = str(raw).strip().replace(" ", "")
        digits = text.replace(".", "")
        if not digits.isdigit():
            return text
        cuts = [2, 4, 6, 10]
        pieces = []
        start = 0
        for end in cuts:
            if len(digits) <= start:
                break
            pieces.append(digits[start:end])
            start = end
        if len(digits) > 10:
            return text
        return ".".join(pieces)
