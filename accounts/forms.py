from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from accounts.roles import ROLE_AREA_LEVELS, Role
from core.models import Region, RegionLevel
from core.regions import level_of, normalise_code
from core.scope import code_in_area
from core.widgets import RegionPicker

KABUPATEN, KECAMATAN, DESA = RegionLevel.KABUPATEN, RegionLevel.KECAMATAN, RegionLevel.DESA
LEVEL_NAMES = {
    KABUPATEN: _("kabupaten/kota"),
    KECAMATAN: _("kecamatan"),
    DESA: _("desa/kelurahan"),
}


def picks_by_code(areas: RegionPicker) -> bool:
    """Editors above kabupaten level (a superuser) type a region code instead of picking from
    lists: a list of the whole country is no use."""
    return areas.area is not None and (areas.area == "" or level_of(areas.area) < KABUPATEN)


class StaffForm(forms.Form):
    """Create or edit a staff member inside the editing admin's own area.

    There is no way here to make anybody a superuser or give Django-admin access; the area is
    picked from the editor's own area, and the role's area level is checked."""

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Huruf, angka dan . @ + - _ saja, tanpa spasi. Dipakai untuk masuk."),
    )
    first_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Telepon/WhatsApp"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=[("", "—"), *Role.choices])
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    area_code = forms.CharField(
        label=_("Kode wilayah kerja"),
        max_length=13,
        required=False,
        help_text=_("Kode kabupaten, kecamatan atau desa, misalnya 35.07.01."),
    )
    password = forms.CharField(
        label=_("Kata sandi awal"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
    )
    password_confirm = forms.CharField(
        label=_("Ulangi kata sandi"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
    )

    ACCOUNT_FIELDS = ("username", "first_name", "email", "phone")
    AREA_FIELDS = ("role", "kecamatan", "desa", "area_code")
    PASSWORD_FIELDS = ("password", "password_confirm")

    def __init__(self, *args, editor, instance=None, **kwargs):
        self.editor = editor
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.areas = RegionPicker(editor)
        self.uses_code = picks_by_code(self.areas)
        self._set_area_fields()
        if instance is None:
            self.fields["password"].required = True
            self.fields["password_confirm"].required = True
        else:
            self.fields["username"].disabled = True
            self.fields["username"].help_text = _("Nama pengguna tidak bisa diubah.")
            self.fields["password"].label = _("Kata sandi baru")
            self.fields["password"].help_text = _("Kosongkan bila kata sandi tidak diubah.")
        if self.editing_self:
            # An admin cannot demote or move themselves out of their own area by accident;
            # another admin of the district does it.
            for name in self.AREA_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True

    @property
    def editing_self(self) -> bool:
        return self.instance is not None and self.instance.pk == self.editor.pk

    def _set_area_fields(self):
        if self.uses_code:
            del self.fields["kecamatan"]
            del self.fields["desa"]
            self.fields["area_code"].required = True
            return
        del self.fields["area_code"]
        kecamatan = self.areas.kecamatan_choices()
        area_region = self.areas.area_region
        whole = area_region.name if area_region is not None else self.areas.area
        if self.areas.area and level_of(self.areas.area) >= KECAMATAN:
            self.fields["kecamatan"].choices = kecamatan
        else:
            self.fields["kecamatan"].choices = [
                ("", _("— seluruh %(area)s —") % {"area": whole}),
                *kecamatan,
            ]
        self.fields["kecamatan"].help_text = _("Kosongkan untuk seluruh kabupaten/kota.")
        desa = self.areas.desa_groups()
        if self.areas.area and level_of(self.areas.area) == DESA:
            self.fields["desa"].choices = desa
        else:
            self.fields["desa"].choices = [("", _("— seluruh kecamatan —")), *desa]
        self.fields["desa"].help_text = _("Kosongkan bila wilayah kerjanya satu kecamatan penuh.")

    def field_groups(self):
        """(title, bound fields) for the template's sections."""
        groups = [
            (_("Akun"), self.ACCOUNT_FIELDS),
            (_("Peran dan wilayah kerja"), self.AREA_FIELDS),
            (_("Kata sandi"), self.PASSWORD_FIELDS),
        ]
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in groups
        ]

    def role_levels(self):
        """(role, "kecamatan / desa/kelurahan") for the help beside the role field."""
        return [
            (label, " / ".join(str(LEVEL_NAMES[level]) for level in ROLE_AREA_LEVELS[value]))
            for value, label in Role.choices
        ]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        users = get_user_model().objects.filter(username__iexact=username)
        if self.instance is not None:
            users = users.exclude(pk=self.instance.pk)
        if users.exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def clean_area_code(self):
        code = normalise_code(self.cleaned_data["area_code"])
        if not Region.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Kode wilayah %(code)s tidak ada.") % {"code": code})
        return code

    def clean(self):
        cleaned_data = super().clean()
        area = self._chosen_area(cleaned_data)
        if area is not None:
            cleaned_data["area"] = area
            self._check_area(area, cleaned_data.get("role"))
        self._check_password(cleaned_data)
        return cleaned_data

    def _chosen_area(self, cleaned_data) -> str | None:
        if self.uses_code:
            return cleaned_data.get("area_code")
        kecamatan = cleaned_data.get("kecamatan") or ""
        desa = cleaned_data.get("desa") or ""
        if desa and kecamatan and not desa.startswith(kecamatan + "."):
            self.add_error("desa", _("Desa ini tidak ada di kecamatan yang dipilih."))
            return None
        return desa or kecamatan or self.areas.area

    def _check_area(self, area, role):
        field = "area_code" if self.uses_code else "kecamatan"
        if self.editing_self:
            return
        if level_of(area) < KABUPATEN:
            self.add_error(field, _("Wilayah kerja paling luas adalah kabupaten/kota."))
            return
        if not code_in_area(area, self.areas.area):
            self.add_error(field, _("Wilayah ini di luar wilayah kerja Anda."))
            return
        if role and level_of(area) not in ROLE_AREA_LEVELS[role]:
            allowed = " / ".join(str(LEVEL_NAMES[level]) for level in ROLE_AREA_LEVELS[role])
            self.add_error(
                "role",
                _("Peran %(role)s harus berwilayah kerja %(levels)s.")
                % {"role": Role(role).label, "levels": allowed},
            )

    def _check_password(self, cleaned_data):
        password = cleaned_data.get("password")
        if not password:
            return
        if password != cleaned_data.get("password_confirm"):
            self.add_error("password_confirm", _("Kedua kata sandi tidak sama."))
            return
        # Checked against the account's own name and username (similarity validator).
        User = get_user_model()
        candidate = self.instance or User(
            username=cleaned_data.get("username", ""),
            first_name=cleaned_data.get("first_name", ""),
            email=cleaned_data.get("email", ""),
        )
        try:
            validate_password(password, candidate)
        except forms.ValidationError as error:
            self.add_error("password", error)


class LoginForm(AuthenticationForm):
    """Django's login form with Terpadu's wording: its Indonesian catalogue says "nama pengguna"
    twice in the wrong-password message and "sandi" where the rest of the UI says "kata sandi"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].label = _("Kata sandi")
