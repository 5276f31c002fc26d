from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region, RegionLevel
from core.regions import level_of
from core.reports import kinds_for
from core.scope import area_of

MONTHS = [
    (1, _("Januari")),
    (2, _("Februari")),
    (3, _("Maret")),
    (4, _("April")),
    (5, _("Mei")),
    (6, _("Juni")),
    (7, _("Juli")),
    (8, _("Agustus")),
    (9, _("September")),
    (10, _("Oktober")),
    (11, _("November")),
    (12, _("Desember")),
]


def area_choices(user) -> list[Region]:
    """The user's own area and the regions one level inside it (a district: its kecamatan; a
    kecamatan: its desa). The whole country (superuser) picks among the districts."""
    area = area_of(user)
    if area is None:
        return []
    if area == "":
        return list(Region.objects.filter(level=RegionLevel.KABUPATEN))
    own = list(Region.objects.filter(code=area))
    if level_of(area) >= RegionLevel.DESA:
        return own
    return own + list(Region.objects.filter(parent_id=area).order_by("code"))


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Laporan"))
    area = forms.ChoiceField(label=_("Wilayah"))
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)
    month = forms.TypedChoiceField(
        label=_("Bulan"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("— setahun penuh —")), *MONTHS],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.key: kind for kind in kinds_for(user)}
        self.fields["kind"].choices = [(k.key, k.title) for k in self.kinds.values()]
        self.regions = {region.code: region for region in area_choices(user)}
        self.fields["area"].choices = [
            (code, f"{region.name} ({code})") for code, region in self.regions.items()
        ]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 6, -1)]
        self.fields["year"].initial = this_year

    def clean(self):
        cleaned = super().clean()
        year, month = cleaned.get("year"), cleaned.get("month")
        today = timezone.localdate()
        if year and month and (year, month) > (today.year, today.month):
            raise ValidationError(_("Periode belum dimulai."))
        return cleaned

    @property
    def region(self) -> Region:
        return self.regions[self.cleaned_data["area"]]
