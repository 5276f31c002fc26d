"""Forms of the program catalogue: a program and its rule, yearly targets, the PKH benefit
table, agencies and the partner-agency staff linked to them."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region, RegionLevel
from core.widgets import BlankChoiceMixin, RegionPicker
from programs.choices import PkhComponent
from programs.models import Agency, Program
from programs.services.catalogue import agencies_for_programs, linkable_staff


class ProgramForm(BlankChoiceMixin, forms.ModelForm):
    required_components = forms.MultipleChoiceField(
        label=_("Komponen PKH (salah satu)"),
        choices=PkhComponent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosongkan bila program tidak mensyaratkan komponen PKH."),
    )

    class Meta:
        model = Program
        fields = [
            "code",
            "name",
            "kind",
            "cluster",
            "agency",
            "funding_source",
            "beneficiary_unit",
            "description",
            "max_desil",
            "required_components",
            "min_age",
            "max_age",
            "requires_disability",
            "periods_per_year",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "max_desil": _("1–10. Kosongkan bila semua desil boleh."),
            "periods_per_year": _("Berapa kali penyaluran dalam setahun (1–12)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for_programs(user)
        self.fields["agency"].empty_label = "—"
        self.fields["agency"].help_text = _(
            "OPD/lembaga di wilayah Anda. Tambahkan dulu di menu OPD/lembaga bila belum ada."
        )
        self.fields["code"].help_text = _("Huruf besar tanpa spasi, mis. BANSOS-KAB.")
        for name in ("max_desil",):
            self.fields[name].widget.attrs.update({"min": 1, "max": 10})
        if self.instance.pk:
            # The code names the program in recipient lists and imports: it stays.
            self.fields["code"].disabled = True

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if not code or any(ch.isspace() for ch in code):
            raise forms.ValidationError(_("Kode tidak boleh kosong atau berisi spasi."))
        return code

    def clean_max_desil(self):
        value = self.cleaned_data.get("max_desil")
        if value is not None and not 1 <= value <= 10:
            raise forms.ValidationError(_("Desil maksimal harus 1 sampai 10."))
        return value

    def clean(self):
        cleaned = super().clean()
        min_age, max_age = cleaned.get("min_age"), cleaned.get("max_age")
        if min_age is not None and max_age is not None and min_age > max_age:
            self.add_error("max_age", _("Usia maksimal tidak boleh lebih kecil dari usia minimal."))
        for name in ("min_age", "max_age"):
            value = cleaned.get(name)
            if value is not None and value > 120:
                self.add_error(name, _("Usia paling tinggi 120 tahun."))
        return cleaned


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def this_year() -> int:
    return timezone.localdate().year


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > this_year() + 1:
            raise forms.ValidationError(
                _("Paling jauh tahun depan (%(year)d).") % {"year": this_year() + 1}
            )
        return year


class TargetForm(forms.Form):
    """One "planned" field per region row (district total first, then each kecamatan)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            region = row["region"]
            self.fields[self.field_name(region.code)] = forms.IntegerField(
                label=region.name,
                min_value=0,
                max_value=10_000_000,
                required=False,
                initial=row["planned"],
                widget=forms.NumberInput(attrs={"class": "input-number", "min": 0}),
            )
            row["field_name"] = self.field_name(region.code)

    @staticmethod
    def field_name(code: str) -> str:
        return "target_" + code.replace(".", "_")

    def bound_rows(self):
        return [{**row, "field": self[row["field_name"]]} for row in self.rows]

    def planned(self) -> dict[str, int | None]:
        return {row["region"].code: self.cleaned_data.get(row["field_name"]) for row in self.rows}

    def clean(self):
        cleaned = super().clean()
        district = next((row for row in self.rows if row["is_district"]), None)
        if district is None:
            return cleaned
        total = cleaned.get(district["field_name"])
        parts = [cleaned.get(row["field_name"]) or 0 for row in self.rows if not row["is_district"]]
        if total is not None and sum(parts) > total:
            self.add_error(
                district["field_name"],
                _("Jumlah target kecamatan (%(parts)s) melebihi target kabupaten (%(total)s).")
                % {
                    "parts": f"{sum(parts):,}".replace(",", "."),
                    "total": f"{total:,}".replace(",", "."),
                },
            )
        return cleaned


MAX_RATE = 100_000_000


class BenefitTableForm(forms.Form):
    """One amount per PKH component for one year (empty: the component has no amount)."""

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        for row in table:
            self.fields[row["component"]] = forms.IntegerField(
                label=row["label"],
                min_value=0,
                max_value=MAX_RATE,
                required=False,
                initial=row["amount"],
                widget=forms.NumberInput(attrs={"min": 0, "step": 1000}),
            )

    def amounts(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class CopyBenefitTableForm(forms.Form):
    from_year = forms.IntegerField(label=_("Salin dari tahun"), min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label=_("Ke tahun"), min_value=2000, max_value=2100)

    def clean(self):
        cleaned = super().clean()
        from_year, to_year = cleaned.get("from_year"), cleaned.get("to_year")
        if from_year and to_year and from_year == to_year:
            self.add_error("to_year", _("Pilih tahun yang berbeda."))
        if to_year and to_year > this_year() + 1:
            self.add_error(
                "to_year", _("Paling jauh tahun depan (%(year)d).") % {"year": this_year() + 1}
            )
        return cleaned


class AgencyForm(BlankChoiceMixin, forms.ModelForm):
    """An agency of the user's area: its region is the user's kabupaten or one of its
    kecamatan (a national agency comes with the catalogue)."""

    region_code = forms.ChoiceField(label=_("Wilayah"))

    class Meta:
        model = Agency
        fields = ["code", "name", "kind", "cluster", "address", "phone", "email", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        picker = RegionPicker(user)
        choices = []
        if picker.area_region is not None:
            choices.append((picker.area_region.code, picker.area_region.name))
        choices += [c for c in picker.kecamatan_choices() if c[0] != picker.area]
        self.fields["region_code"].choices = [("", "—"), *choices]
        self.fields["code"].help_text = _(
            "Huruf kecil, angka dan tanda hubung, mis. dinsos-malang."
        )
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.initial["region_code"] = self.instance.region_id or ""
        else:
            self.initial.setdefault("region_code", picker.area or "")
        self.order_fields(["code", "name", "kind", "cluster", "region_code"])

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("region_code")
        if code:
            self.instance.region = Region.objects.filter(
                code=code, level__in=[RegionLevel.KABUPATEN, RegionLevel.KECAMATAN]
            ).first()
        return cleaned


class StaffUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username}, {obj.profile.area_code})" if name else obj.username


class AgencyStaffForm(forms.Form):
    """Link a partner-agency user of the admin's area (role Mitra layanan, not linked yet)."""

    user = StaffUserChoiceField(label=_("Petugas Mitra layanan"), queryset=None, empty_label="—")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = linkable_staff(user)
