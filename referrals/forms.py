"""Forms of the referral app: intake (with an unregistered person), referral, status steps,
service points and service levels."""

import uuid

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.evidence import EVIDENCE_ACCEPT, validate_evidence
from core.models import Region
from core.scope import area_of
from core.widgets import BlankChoiceMixin
from households.choices import Relationship
from households.forms.updates import MemberFieldsForm, NewHouseholdForm
from programs.models import Agency
from referrals.choices import Channel, ConsentBasis, Need
from referrals.models import ServiceLevel, ServicePoint


class IntakeForm(BlankChoiceMixin, forms.Form):
    service_point = forms.ModelChoiceField(
        label=_("Puskesos"), queryset=ServicePoint.objects.none(), empty_label="—"
    )
    channel = forms.ChoiceField(label=_("Cara datang"), choices=Channel.choices)
    contact = forms.CharField(label=_("Kontak (telepon/WhatsApp)"), max_length=100, required=False)
    needs = forms.MultipleChoiceField(
        label=_("Kebutuhan"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Catat paling sedikit satu kebutuhan warga.")},
    )
    need_note = forms.CharField(
        label=_("Keterangan kebutuhan"),
        max_length=500,
        required=False,
        help_text=_("Misalnya: berobat rutin, seragam sekolah anak kedua, KTP hilang."),
    )
    story = forms.CharField(
        label=_("Cerita/keadaan warga"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.ChoiceField(
        label=_("Persetujuan berbagi data dengan lembaga rujukan"),
        choices=[
            (ConsentBasis.RESIDENT, _("Warga setuju datanya dibagikan ke lembaga rujukan")),
            (ConsentBasis.CHILD, _("Tanpa persetujuan: warga masih anak")),
            (ConsentBasis.EMERGENCY, _("Tanpa persetujuan: keadaan darurat")),
            (ConsentBasis.NONE, _("Belum/tidak setuju (belum bisa dirujuk)")),
        ],
        widget=forms.RadioSelect,
        initial=ConsentBasis.RESIDENT,
        required=False,
    )
    consent_note = forms.CharField(
        label=_("Alasan tanpa persetujuan"), max_length=500, required=False
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        points = ServicePoint.objects.for_user(user).filter(active=True).order_by("name")
        self.fields["service_point"].queryset = points
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())
            if len(points[:2]) == 1:
                self.initial.setdefault("service_point", points[0].pk)

    def clean(self):
        data = super().clean()
        consent = data.get("consent") or ""
        if (
            consent in (ConsentBasis.CHILD, ConsentBasis.EMERGENCY)
            and not data.get("consent_note", "").strip()
        ):
            self.add_error(
                "consent_note",
                _("Tulis alasan berbagi data tanpa persetujuan warga (anak atau keadaan darurat)."),
            )
        return data

    def need_rows(self) -> list[tuple[str, str]]:
        note = self.cleaned_data.get("need_note", "")
        return [(need, note) for need in self.cleaned_data["needs"]]


class PersonForm(MemberFieldsForm):
    """An unregistered resident: who they are; becomes the head of a new-household proposal."""

    field_names = ["nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir"]

    def member_payload(self) -> dict:
        payload = super().member_payload()
        payload["hubungan_keluarga"] = Relationship.HEAD
        return payload


class PersonAddressForm(NewHouseholdForm):
    """Where the unregistered resident lives (desa of the user's area, No KK, address)."""


class ResidentSearchForm(forms.Form):
    """Sent by POST, so a NIK typed here never lands in a URL or an access log."""

    q = forms.CharField(
        label=_("Cari warga di registri"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("NIK, No. KK atau nama"), "autofocus": True}
        ),
    )


class ReferForm(BlankChoiceMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Rujuk ke"), queryset=Agency.objects.none(), empty_label="—"
    )
    reason = forms.CharField(
        label=_("Alasan rujukan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document = forms.FileField(
        label=_("Dokumen pendukung"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text=_("PDF, JPG atau PNG."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Inactive agencies are listed too, so that a stale choice gets a clear message.
        self.fields["agency"].queryset = Agency.objects.for_user(user).order_by("-active", "name")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        return validate_evidence(document) if document else document


class StepForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ServicePointForm(forms.ModelForm):
    class Meta:
        model = ServicePoint
        fields = [
            "name",
            "region",
            "address",
            "phone",
            "letterhead_title",
            "signer_name",
            "signer_title",
            "signer_nip",
            "active",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        area = area_of(user)
        regions = Region.objects.filter(level__gte=3).order_by("code")
        if area is None:
            regions = regions.none()
        elif area:
            regions = regions.filter(Q(code=area) | Q(code__startswith=area + "."))
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = "—"
        self.fields["region"].label = _("Desa/kelurahan atau kecamatan")


class ServiceLevelForm(forms.ModelForm):
    class Meta:
        model = ServiceLevel
        fields = ["working_days"]
        widgets = {"working_days": forms.NumberInput(attrs={"min": 1, "max": 120})}

    def clean_working_days(self):
        days = self.cleaned_data["working_days"]
        if not 1 <= days <= 120:
            raise forms.ValidationError(_("Antara 1 dan 120 hari kerja."))
        return days
