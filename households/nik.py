"""NIK and No KK checks — one service for forms, imports and later APIs.

A NIK is ``PP KK CC DDMMYY SSSS``: the kecamatan of first issue (6 digits), the birth date with
40 added to the day for women, and a serial. What makes a number unusable is an **error**;
what may be a typing error on either side (unknown kecamatan prefix, birth date or sex not
matching the member) is a **warning** kept on the member as a flag (``NikFlag``).
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.choices import NikFlag, Sex

# Lazy: a valid number never needs its label translated (a gettext call costs ~15 µs, which
# the importer would pay twice per row).
NIK_LABEL = gettext_lazy("NIK")
NO_KK_LABEL = gettext_lazy("No. KK")

_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")


@dataclass
class NikCheck:
    value: str | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@lru_cache(maxsize=1)
def _region_codes() -> tuple[frozenset, frozenset]:
    """(province codes, kecamatan codes without dots), read once per process."""
    from core.models import Region

    provinces = frozenset(Region.objects.filter(level=1).values_list("code", flat=True))
    kecamatan = frozenset(
        code.replace(".", "")
        for code in Region.objects.filter(level=3).values_list("code", flat=True)
    )
    return provinces, kecamatan


def forget_region_codes():
    _region_codes.cache_clear()


def clean_number(raw, label: str) -> tuple[str | None, str | None]:
    """Spreadsheet cell → 16-digit string. Returns (digits or None, error message or None).

    Leading apostrophes and spaces are cleaned; a value Excel turned into a number is an error
    because its last digits may already be lost."""
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, _("%(label)s tidak valid: %(value)s.") % {"label": label, "value": raw}
    if isinstance(raw, float | int):
        return None, _(
            "%(label)s tersimpan sebagai angka oleh Excel (%(value)s); angka terakhir bisa "
            "hilang. Format kolom sebagai Teks lalu ketik ulang."
        ) % {"label": label, "value": raw}
    text = str(raw).strip().lstrip("'").replace(" ", "").replace("\u00a0", "")
    if text == "":
        return None, None
    if _SCIENTIFIC.match(text) or _DECIMAL.match(text):
        return None, _(
            "%(label)s rusak oleh Excel (%(value)s): angka terakhir hilang. Format kolom sebagai "
            "Teks lalu ketik ulang."
        ) % {"label": label, "value": text}
    if not text.isdigit():
        return None, _("%(label)s hanya boleh berisi angka: %(value)s.") % {
            "label": label,
            "value": text,
        }
    if len(text) != 16:
        return None, _("%(label)s harus 16 angka, bukan %(count)d: %(value)s.") % {
            "label": label,
            "count": len(text),
            "value": text,
        }
    return text, None


def _encoded_birth(nik: str) -> tuple[int, int, int, int] | None:
    """(day, month, two-digit year, sex) encoded in a 16-digit NIK, or None when impossible."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.MALE
    if day > 40:
        day -= 40
        sex = Sex.FEMALE
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    # A real date in one of the two centuries the two-digit year can mean.
    for century in (1900, 2000):
        try:
            datetime.date(century + year, month, day)
        except ValueError:
            continue
        return day, month, year, sex
    return None


def check_nik(raw, birth_date: datetime.date | None = None, sex: int | None = None) -> NikCheck:
    value, error = clean_number(raw, NIK_LABEL)
    if error:
        return NikCheck(None, errors=[error])
    if value is None:
        return NikCheck(None, flags=[NikFlag.MISSING])
    result = NikCheck(value)
    provinces, kecamatan = _region_codes()
    if value[:2] not in provinces:
        result.errors.append(
            _("NIK %(nik)s: kode provinsi %(code)s tidak ada.") % {"nik": value, "code": value[:2]}
        )
        return result
    encoded = _encoded_birth(value)
    if encoded is None:
        result.errors.append(
            _("NIK %(nik)s: bagian tanggal lahir (%(part)s) bukan tanggal yang mungkin.")
            % {"nik": value, "part": value[6:12]}
        )
        return result
    if value[:6] not in kecamatan:
        result.flags.append(NikFlag.UNKNOWN_PREFIX)
        result.warnings.append(
            _(
                "NIK %(nik)s: kode kecamatan %(code)s tidak ada di daftar wilayah sekarang "
                "(mungkin sebelum pemekaran)."
            )
            % {"nik": value, "code": value[:6]}
        )
    day, month, year, encoded_sex = encoded
    if birth_date is not None and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        day,
        month,
        year,
    ):
        result.flags.append(NikFlag.BIRTHDATE_MISMATCH)
        result.warnings.append(
            _("NIK %(nik)s menyebut tanggal lahir %(nik_date)s, data menyebut %(date)s.")
            % {
                "nik": value,
                "nik_date": f"{day:02d}/{month:02d}/{year:02d}",
                "date": birth_date.strftime("%d/%m/%Y"),
            }
        )
    if sex is not None and int(sex) != encoded_sex:
        result.flags.append(NikFlag.SEX_MISMATCH)
        result.warnings.append(
            _("NIK %(nik)s adalah NIK %(nik_sex)s, data menyebut %(sex)s.")
            % {
                "nik": value,
                "nik_sex": Sex(encoded_sex).label.lower(),
                "sex": Sex(int(sex)).label.lower(),
            }
        )
    return result


def check_no_kk(raw) -> NikCheck:
    value, error = clean_number(raw, NO_KK_LABEL)
    if error:
        return NikCheck(None, errors=[error])
    if value is None:
        return NikCheck(None, errors=[_("No. KK wajib diisi.")])
    provinces, _kecamatan = _region_codes()
    if value[:2] not in provinces:
        return NikCheck(
            None,
            errors=[
                _("No. KK %(kk)s: kode provinsi %(code)s tidak ada.")
                % {"kk": value, "code": value[:2]}
            ],
        )
    return NikCheck(value)


def make_nik(kecamatan_code: str, birth_date: datetime.date, sex: int, serial: int) -> str:
    """A NIK consistent with its kecamatan, birth date and sex (demo data and tests)."""
    day = birth_date.day + (40 if int(sex) == Sex.FEMALE else 0)
    return (
        f"{kecamatan_code.replace('.', '')[:6]}{day:02d}{birth_date:%m}{birth_date:%y}"
        f"{serial % 10000:04d}"
    )
