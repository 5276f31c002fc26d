"""Forms of data-update proposals, one small form per kind of change (the common part, reason
and evidence file, is in ``households.forms.proposals``). Each change form validates what a
person can fix on the spot (NIK errors, a taken NIK or No KK, a missing new head) and turns its
data into the proposal's payload (``proposal()`` → ``(member, payload)``); the rules of the
workflow are in ``households.services.updates``, the spec of each kind in
``households.update_kinds``."""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from households.choices import Relationship
from households.forms.proposals import (
    DATE_WIDGET,
    WIDGETS,
    ChangeForm,
    MemberChoiceField,
    desa_choices,
    no_kk_error,
    not_in_future,
)
from households.history import plain
from households.models import Household, Member
from households.nik import check_nik
from households.services.update_apply import (
    HOUSEHOLD_ADDRESS_FIELDS,
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    RemovalReason,
    nik_taken,
)

# New people ------------------------------------------------------------------------------------


class MemberFieldsForm(ChangeForm):
    """A new member's identity (also one row of a new household)."""

    field_names = MEMBER_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Member, fields=self.field_names, widgets=WIDGETS))
        self.fields["nik"].help_text = _("16 angka; kosongkan bila belum punya NIK.")
        self.fields["nik"].max_length = 30

    def clean_tanggal_lahir(self):
        value = self.cleaned_data["tanggal_lahir"]
        not_in_future(value, _("Tanggal lahir"))
        return value

    def clean(self):
        data = super().clean()
        if self.errors.get("nik"):
            return data
        check = check_nik(data.get("nik"), data.get("tanggal_lahir"), data.get("jenis_kelamin"))
        if not check.ok:
            for error in check.errors:
                self.add_error("nik", error)
            return data
        if nik_taken(
            check.value, exclude_member_id=getattr(self.member, "pk", None), user=self.user
        ):
            self.add_error("nik", _("NIK ini sudah terdaftar pada anggota keluarga lain."))
            return data
        data["nik"] = check.value
        self.warnings = check.warnings
        return data

    def member_payload(self) -> dict:
        return {name: plain(self.cleaned_data.get(name)) for name in self.field_names}


class AddMemberForm(MemberFieldsForm):
    def clean_hubungan_keluarga(self):
        relationship = self.cleaned_data["hubungan_keluarga"]
        has_head = self.alive_members().filter(hubungan_keluarga=Relationship.HEAD).exists()
        if relationship == Relationship.HEAD and has_head:
            raise forms.ValidationError(
                _(
                    "Keluarga ini sudah punya kepala keluarga; gunakan usulan 'Ganti kepala "
                    "keluarga'."
                )
            )
        return relationship

    def proposal(self):
        return None, {"member": self.member_payload(), "nik_warnings": self.warnings}


class MemberRowForm(MemberFieldsForm):
    """One person of a new household: the identity columns only; the rest can be corrected
    after the household exists."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Short column heads: the rows are laid out as a table.
        self.fields["hubungan_keluarga"].label = _("Hubungan")
        self.fields["status_kawin"].label = _("Status kawin")
        self.fields["pekerjaan"].label = _("Pekerjaan")
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "size": 18})

    field_names = [
        "nik",
        "nama",
        "jenis_kelamin",
        "tempat_lahir",
        "tanggal_lahir",
        "hubungan_keluarga",
        "status_kawin",
        "pekerjaan",
    ]


class BaseMemberRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [form.cleaned_data for form in self.forms if form.has_changed()]
        heads = sum(1 for row in rows if row.get("hubungan_keluarga") == Relationship.HEAD)
        if heads != 1:
            raise forms.ValidationError(_("Keluarga harus punya tepat satu kepala keluarga."))
        niks = [row["nik"] for row in rows if row.get("nik")]
        if len(niks) != len(set(niks)):
            raise forms.ValidationError(_("Ada NIK yang ditulis dua kali."))

    def payload(self) -> tuple[list[dict], list[str]]:
        rows, warnings = [], []
        for form in self.forms:
            if form.has_changed():
                rows.append(form.member_payload())
                warnings.extend(form.warnings)
        return rows, warnings


MEMBER_ROWS = 8
MAX_MEMBER_ROWS = 20


def member_row_formset(data=None, rows=MEMBER_ROWS, *, user):
    formset_class = forms.formset_factory(
        MemberRowForm,
        formset=BaseMemberRowFormSet,
        # min_num adds the first row; ``rows`` is the total shown.
        extra=min(max(rows, 1), MAX_MEMBER_ROWS) - 1,
        min_num=1,
        validate_min=True,
        max_num=MAX_MEMBER_ROWS,
        validate_max=True,
    )
    return formset_class(data, prefix="anggota", form_kwargs={"user": user})


class NewHouseholdForm(ChangeForm):
    desa = forms.ChoiceField(label=_("Desa/kelurahan"))
    no_kk = forms.CharField(label=_("No. KK"), max_length=30)
    alamat = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    dusun = forms.CharField(label=_("Dusun"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].choices = desa_choices(self.user)

    def clean_no_kk(self):
        value, error = no_kk_error(self.cleaned_data["no_kk"])
        if error:
            raise forms.ValidationError(error)
        return value

    def household_payload(self) -> dict:
        return {name: self.cleaned_data[name] for name in ["no_kk", *HOUSEHOLD_ADDRESS_FIELDS]}


# Members leaving -------------------------------------------------------------------------------


class TakeOffForm(ChangeForm):
    """Common part of removing a member and reporting a death: who, when, and who becomes head
    when the head leaves."""

    date_field = "date"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = self.alive_members()
        self.fields["member"] = MemberChoiceField(
            label=_("Anggota"), queryset=members, initial=self.member
        )
        self.fields["new_head"] = MemberChoiceField(
            label=_("Kepala keluarga baru"),
            queryset=members.exclude(hubungan_keluarga=Relationship.HEAD),
            required=False,
            help_text=_("Wajib bila yang keluar adalah kepala keluarga."),
        )
        self.order_fields(["member", "removal_reason", self.date_field, "new_head"])

    def clean(self):
        data = super().clean()
        member, new_head = data.get("member"), data.get("new_head")
        if member is None:
            return data
        others = self.alive_members().exclude(pk=member.pk)
        if member.hubungan_keluarga == Relationship.HEAD and others.exists() and not new_head:
            self.add_error("new_head", _("Pilih kepala keluarga baru."))
        if new_head and new_head.pk == member.pk:
            self.add_error("new_head", _("Kepala keluarga baru harus anggota lain."))
        if new_head and member.hubungan_keluarga != Relationship.HEAD:
            self.add_error("new_head", _("Hanya diisi bila yang keluar adalah kepala keluarga."))
        date = data.get(self.date_field)
        if date and date < member.tanggal_lahir:
            self.add_error(self.date_field, _("Tanggal ini sebelum tanggal lahir anggota."))
        return data


class RemoveMemberForm(TakeOffForm):
    removal_reason = forms.ChoiceField(
        label=_("Alasan keluar"),
        choices=[
            (RemovalReason.MOVED, _("Pindah")),
            (RemovalReason.DECEASED, _("Meninggal")),
            (RemovalReason.OTHER, _("Lainnya (mis. tercatat ganda)")),
        ],
    )
    date = forms.DateField(
        label=_("Tanggal"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Tanggal pindah atau meninggal (wajib bila meninggal)."),
    )

    def clean_date(self):
        value = self.cleaned_data["date"]
        not_in_future(value, _("Tanggal"))
        return value

    def clean(self):
        data = super().clean()
        if data.get("removal_reason") == RemovalReason.DECEASED and not data.get("date"):
            self.add_error("date", _("Isi tanggal meninggal."))
        return data

    def proposal(self):
        data = self.cleaned_data
        return data["member"], {
            "removal_reason": data["removal_reason"],
            "date": plain(data.get("date")),
            "new_head": data["new_head"].pk if data.get("new_head") else None,
        }


class DeathForm(TakeOffForm):
    date_field = "tanggal_meninggal"

    tanggal_meninggal = forms.DateField(label=_("Tanggal meninggal"), widget=DATE_WIDGET)

    def clean_tanggal_meninggal(self):
        value = self.cleaned_data["tanggal_meninggal"]
        not_in_future(value, _("Tanggal meninggal"))
        return value

    def proposal(self):
        data = self.cleaned_data
        return data["member"], {
            "tanggal_meninggal": plain(data["tanggal_meninggal"]),
            "new_head": data["new_head"].pk if data.get("new_head") else None,
        }


# Family card -----------------------------------------------------------------------------------


def relationship_choices_without_head():
    return [(value, label) for value, label in Relationship.choices if value != Relationship.HEAD]


class OptionalNoKKMixin:
    def clean_no_kk(self):
        raw = self.cleaned_data.get("no_kk", "").strip()
        if not raw:
            return ""
        value, error = no_kk_error(raw, self.household.pk)
        if error:
            raise forms.ValidationError(error)
        if value == self.household.no_kk:
            return ""
        return value


class ChangeHeadForm(OptionalNoKKMixin, ChangeForm):
    old_head_relationship = forms.TypedChoiceField(
        label=_("Hubungan kepala keluarga lama setelah diganti"),
        choices=relationship_choices_without_head,
        coerce=int,
        initial=Relationship.SPOUSE,
    )
    no_kk = forms.CharField(
        label=_("No. KK baru"),
        max_length=30,
        required=False,
        help_text=_("Isi bila KK sudah dicetak ulang dengan nomor baru."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"] = MemberChoiceField(
            label=_("Kepala keluarga baru"),
            queryset=self.alive_members().exclude(hubungan_keluarga=Relationship.HEAD),
            initial=self.member,
        )
        self.order_fields(["new_head", "old_head_relationship", "no_kk"])

    def proposal(self):
        data = self.cleaned_data
        return data["new_head"], {
            "new_head": data["new_head"].pk,
            "old_head_relationship": data["old_head_relationship"],
            "no_kk": data["no_kk"],
        }


class MoveForm(OptionalNoKKMixin, ChangeForm):
    desa = forms.ChoiceField(label=_("Desa/kelurahan tujuan"))
    alamat = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    dusun = forms.CharField(label=_("Dusun"), max_length=100, required=False)
    no_kk = forms.CharField(label=_("No. KK baru"), max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        household = self.household
        # Moves stay inside the kabupaten: leaving the district is not a change of address here.
        self.fields["desa"].choices = desa_choices(within=household.desa_id[:5])
        self.initial.update(
            {
                "desa": household.desa_id,
                **{n: getattr(household, n) for n in HOUSEHOLD_ADDRESS_FIELDS},
            }
        )

    def clean(self):
        data = super().clean()
        fields = ["desa", *HOUSEHOLD_ADDRESS_FIELDS]
        if not self.errors and all(data.get(n) == self.initial.get(n) for n in fields):
            raise forms.ValidationError(_("Alamat baru sama dengan alamat sekarang."))
        return data

    def proposal(self):
        data = self.cleaned_data
        return None, {name: data[name] for name in ["desa", *HOUSEHOLD_ADDRESS_FIELDS, "no_kk"]}


class SplitForm(ChangeForm):
    """Pecah KK: some members leave with a new family card; the head stays."""

    template_name = "households/updates/forms/split.html"

    no_kk = forms.CharField(label=_("No. KK baru"), max_length=30)
    alamat = forms.CharField(label=_("Alamat KK baru"), max_length=255, required=False)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    dusun = forms.CharField(label=_("Dusun"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(self.alive_members().exclude(hubungan_keluarga=Relationship.HEAD))
        for member in self.candidates:
            self.fields[f"ikut_{member.pk}"] = forms.BooleanField(label=member.nama, required=False)
            self.fields[f"hubungan_{member.pk}"] = forms.TypedChoiceField(
                label=_("Hubungan di KK baru"),
                choices=relationship_choices_without_head,
                coerce=int,
                initial=member.hubungan_keluarga,
            )
        self.fields["new_head"] = MemberChoiceField(
            label=_("Kepala keluarga di KK baru"),
            queryset=self.alive_members().exclude(hubungan_keluarga=Relationship.HEAD),
        )
        self.initial.update({n: getattr(self.household, n) for n in HOUSEHOLD_ADDRESS_FIELDS})

    def member_rows(self):
        """(member, checkbox, relationship select) for the template's table."""
        return [
            (member, self[f"ikut_{member.pk}"], self[f"hubungan_{member.pk}"])
            for member in self.candidates
        ]

    def other_fields(self):
        return [self[name] for name in ["new_head", "no_kk", *HOUSEHOLD_ADDRESS_FIELDS]]

    def clean_no_kk(self):
        value, error = no_kk_error(self.cleaned_data["no_kk"])
        if error:
            raise forms.ValidationError(error)
        return value

    def moving(self) -> dict[int, int]:
        data = self.cleaned_data
        return {
            member.pk: data.get(f"hubungan_{member.pk}") or member.hubungan_keluarga
            for member in self.candidates
            if data.get(f"ikut_{member.pk}")
        }

    def clean(self):
        data = super().clean()
        moving = self.moving()
        if not moving:
            raise forms.ValidationError(_("Centang anggota yang pindah ke KK baru."))
        head = data.get("new_head")
        if head is not None and head.pk not in moving:
            self.add_error("new_head", _("Kepala keluarga KK baru harus ikut pindah."))
        return data

    def proposal(self):
        data = self.cleaned_data
        return None, {
            "members": {str(pk): relationship for pk, relationship in self.moving().items()},
            "new_head": data["new_head"].pk,
            **{name: data[name] for name in ["no_kk", *HOUSEHOLD_ADDRESS_FIELDS]},
        }


# Corrections -----------------------------------------------------------------------------------


class CorrectionMixin:
    """Fields start at today's values; the payload keeps only what changed as [old, new]."""

    def changes(self) -> dict:
        target = self.target
        return {
            name: [plain(getattr(target, name)), plain(self.cleaned_data.get(name))]
            for name in self.field_names
            if name in self.cleaned_data and self.cleaned_data[name] != getattr(target, name)
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not self.changes():
            raise forms.ValidationError(_("Tidak ada data yang diubah."))
        return data


class CorrectHouseholdForm(CorrectionMixin, ChangeForm):
    field_names = HOUSEHOLD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = self.household
        self.fields.update(fields_for_model(Household, fields=self.field_names, widgets=WIDGETS))
        self.fields["no_kk"].max_length = 30
        self.initial.update(forms.model_to_dict(self.household, fields=self.field_names))

    def clean_no_kk(self):
        raw = self.cleaned_data["no_kk"]
        if raw == self.household.no_kk:
            return raw
        value, error = no_kk_error(raw, self.household.pk)
        if error:
            raise forms.ValidationError(error)
        return value

    def proposal(self):
        return None, {"target": "household", "changes": self.changes()}


class CorrectMemberForm(CorrectionMixin, MemberFieldsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = self.member
        self.initial.update(forms.model_to_dict(self.member, fields=self.field_names))
        relationship = self.fields["hubungan_keluarga"]
        if self.member.hubungan_keluarga == Relationship.HEAD:
            relationship.disabled = True
            relationship.help_text = _("Ganti kepala keluarga lewat usulan tersendiri.")
        else:
            relationship.choices = relationship_choices_without_head()

    def proposal(self):
        return self.member, {
            "target": "member",
            "changes": self.changes(),
            "nik_warnings": self.warnings,
        }


class DecileReviewForm(ChangeForm):
    desil = forms.TypedChoiceField(
        label=_("Desil yang diusulkan"),
        choices=[(n, str(n)) for n in range(1, 11)],
        coerce=int,
        help_text=_("1 = paling miskin, 10 = paling sejahtera."),
    )

    def clean_desil(self):
        desil = self.cleaned_data["desil"]
        if desil == self.household.desil:
            raise forms.ValidationError(_("Desil usulan sama dengan desil sekarang."))
        return desil

    def proposal(self):
        return None, {"desil_before": self.household.desil, "desil": self.cleaned_data["desil"]}
