"""The forms of the complaints app: the public form and status check, staff intake, the
handling steps and the category admin."""

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from complaints.choices import STAFF_CHANNELS, Decision, HandlingUnit, Priority
from complaints.models import Category
from complaints.services.intake import public_desa_choices
from core.widgets import RegionPicker

ATTACHMENT_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
]
ATTACHMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,image/jpeg,image/png,application/pdf"
DIGITS_16 = re.compile(r"^\d{16}$")


def validate_attachment(upload):
    """A photo (JPG, PNG) or PDF, by its content, up to ``COMPLAINTS_MAX_UPLOAD_MB``."""
    limit_mb = settings.COMPLAINTS_MAX_UPLOAD_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise forms.ValidationError(
            _("Lampiran terlalu besar (%(size).1f MB); maksimal %(limit)s MB.")
            % {"size": upload.size / 1024 / 1024, "limit": limit_mb}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    extension = next((ext for magic, ext in ATTACHMENT_SIGNATURES if head.startswith(magic)), None)
    if extension is None:
        raise forms.ValidationError(
            _("Lampiran harus berupa foto (JPG/PNG) atau PDF; isi file ini bukan salah satunya.")
        )
    stem = re.sub(r"[^\w.-]", "_", Path(upload.name).stem)[:60] or "lampiran"
    upload.name = f"{stem}.{extension}"
    return upload


def _digits(value: str, label: str) -> str:
    value = "".join(value.split()).replace(".", "").replace("-", "")
    if value and not DIGITS_16.match(value):
        raise forms.ValidationError(_("%(label)s harus 16 angka.") % {"label": label})
    return value


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def active_categories():
    return Category.objects.filter(active=True).order_by("order", "name")


class ComplaintFieldsForm(forms.Form):
    """What every intake asks: category, place, story, who (or anonymous), attachment."""

    category = CategoryChoiceField(
        label=_("Jenis pengaduan"), queryset=Category.objects.none(), empty_label="—"
    )
    desa = forms.ChoiceField(label=_("Desa/kelurahan tempat kejadian"))
    description = forms.CharField(
        label=_("Isi pengaduan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ceritakan apa yang terjadi, kapan, dan siapa yang terlibat."),
    )
    nik = forms.CharField(
        label=_("NIK (jika ada)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    no_kk = forms.CharField(
        label=_("No. KK (jika ada)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    anonymous = forms.BooleanField(
        label=_("Kirim tanpa nama"),
        required=False,
        help_text=_("Nama dan kontak tidak dicatat; status tetap bisa dicek dengan kode."),
    )
    complainant_name = forms.CharField(label=_("Nama pelapor"), required=False, max_length=120)
    complainant_contact = forms.CharField(
        label=_("No. HP/WhatsApp atau alamat"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    attachment = forms.FileField(
        label=_("Foto atau dokumen (JPG, PNG, PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )

    def __init__(self, *args, desa_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories()
        self.fields["desa"].choices = [("", "—"), *desa_groups]
        self.fields["attachment"].help_text = _("Opsional, maksimal %(limit)s MB.") % {
            "limit": settings.COMPLAINTS_MAX_UPLOAD_MB
        }

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if len(value) < 10:
            raise forms.ValidationError(_("Ceritakan pengaduan Anda minimal 10 huruf."))
        return value

    def clean_nik(self):
        return _digits(self.cleaned_data["nik"], "NIK")

    def clean_no_kk(self):
        return _digits(self.cleaned_data["no_kk"], "No. KK")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return validate_attachment(upload) if upload else None

    def clean(self):
        data = super().clean()
        if not data.get("anonymous") and not (data.get("complainant_contact") or "").strip():
            self.add_error(
                "complainant_contact",
                _("Isi kontak agar petugas bisa menghubungi Anda, atau pilih kirim tanpa nama."),
            )
        return data

    def intake_values(self) -> dict:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "desa_code": data["desa"],
            "description": data["description"],
            "nik": data["nik"],
            "no_kk": data["no_kk"],
            "anonymous": data["anonymous"],
            "complainant_name": data["complainant_name"].strip(),
            "complainant_contact": data["complainant_contact"].strip(),
            "attachment": data.get("attachment"),
        }


class PublicComplaintForm(ComplaintFieldsForm):
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by form-spamming robots.
    website = forms.CharField(
        label=_("Jangan diisi"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, desa_groups=public_desa_choices(), **kwargs)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class StaffIntakeForm(ComplaintFieldsForm):
    channel = forms.ChoiceField(label=_("Saluran"), choices=[("", "—"), *STAFF_CHANNELS])
    priority = forms.ChoiceField(
        label=_("Prioritas"), choices=Priority.choices, initial=Priority.NORMAL
    )
    field_order = ["channel", "category", "priority", "desa"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, desa_groups=RegionPicker(user).desa_groups(), **kwargs)


class StatusCheckForm(forms.Form):
    ticket = forms.CharField(
        label=_("Nomor tiket"),
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "ADU-2026-000123", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=_("Kode pelacakan"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class AppealForm(StatusCheckForm):
    reason = forms.CharField(
        label=_("Alasan banding"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class TriageForm(forms.Form):
    category = CategoryChoiceField(
        label=_("Kategori"), queryset=Category.objects.none(), empty_label="—"
    )
    priority = forms.ChoiceField(label=_("Prioritas"), choices=Priority.choices)
    number = forms.CharField(
        label=_("NIK/No. KK keluarga yang diadukan"),
        required=False,
        max_length=30,
        help_text=_("Keluarga di registri dicari dengan nomor ini; kosongkan bila tidak ada."),
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, user, complaint, **kwargs):
        from households.models import Household
        from households.services.registry import search_by_number
        from programs.models import Program

        super().__init__(*args, **kwargs)
        self.user = user
        self.search_by_number = search_by_number
        self.households = Household.objects.for_user(user)
        self.fields["category"].queryset = active_categories()
        self.fields["program"].queryset = Program.objects.for_user(user).order_by("code")
        self.initial.update(
            category=complaint.category_id,
            priority=complaint.priority,
            number=complaint.nik or complaint.no_kk,
            program=complaint.program_id,
        )

    def clean_number(self):
        number = _digits(self.cleaned_data["number"], _("NIK/No. KK"))
        self.household = None
        if number:
            self.household = self.search_by_number(self.households, number).first()
            if self.household is None:
                raise forms.ValidationError(
                    _("Tidak ada keluarga dengan nomor ini di wilayah Anda.")
                )
        return number


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, empty_label="—")

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=[("", "—"), *Decision.choices])
    public_reply = forms.CharField(
        label=_("Jawaban untuk pelapor"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tampil di halaman status pelapor. Jangan tulis data pribadi orang lain."),
    )
    note = forms.CharField(
        label=_("Catatan internal (opsional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Catatan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    public = forms.BooleanField(
        label=_("Balasan untuk pelapor (tampil di halaman status)"), required=False
    )


class StatusForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=2000)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "description", "service_days", "handling_unit", "active", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_unit"].choices = HandlingUnit.choices
