"""Cell conversion: one spreadsheet cell into the value the registry stores, or a
``CellProblem`` whose message says why not (in Indonesian).

Numbers, dates, codes and the words accepted for coded fields live here; the row checks that
put cells together (``rows.py``) pick a converter per column kind from ``CONVERTERS``.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.choices import (
    HomeOwnership,
    MaritalStatus,
    SchoolParticipation,
)

ERROR = "error"
WARNING = "warning"

# Labels in messages are lazy: a row without problems never pays for a translation lookup.
LABEL_DESIL = gettext_lazy("Desil")
LABEL_SEX = gettext_lazy("Jenis kelamin")
LABEL_RELATION = gettext_lazy("Hubungan keluarga")
LABEL_MARITAL = gettext_lazy("Status kawin")
LABEL_SCHOOL = gettext_lazy("Partisipasi sekolah")
LABEL_HOME = gettext_lazy("Status rumah")
LABEL_DIFFICULTY = gettext_lazy("Kesulitan fungsional")


def formula_message() -> str:
    return _(
        "Sel berisi rumus tanpa nilai tersimpan. Buka di Excel, biarkan menghitung, lalu simpan "
        "lagi (atau salin sebagai nilai)."
    )


class CellProblem(Exception):
    """A cell that cannot be stored; the message says why, in Indonesian."""


def _words(*pairs):
    """{folded word: value} for a coded field (codes and words both accepted)."""
    table = {}
    for value, *words in pairs:
        for word in words:
            table[_fold_word(word)] = value
    return table


_WORD_NOISE = re.compile(r"[^0-9a-z]+")


def _fold_word(text) -> str:
    return _WORD_NOISE.sub(" ", str(text).lower()).strip()


SEX_WORDS = _words(
    (1, "1", "l", "lk", "laki", "laki laki", "laki-laki", "pria", "male", "m"),
    (2, "2", "p", "pr", "perempuan", "wanita", "female", "f", "w"),
)
RELATION_WORDS = _words(
    (1, "1", "kepala keluarga", "kepala", "kk", "kepala rumah tangga", "krt"),
    (2, "2", "istri suami", "istri", "suami", "isteri", "istri/suami", "suami/istri"),
    (3, "3", "anak", "anak kandung", "anak tiri", "anak angkat"),
    (4, "4", "menantu"),
    (5, "5", "cucu"),
    (6, "6", "orang tua mertua", "orang tua", "mertua", "orangtua", "ayah", "ibu"),
    (7, "7", "pembantu", "pembantu rumah tangga", "art"),
    (8, "8", "lainnya", "famili lain", "lain lain", "lain"),
)
MARITAL_WORDS = _words(
    (MaritalStatus.SINGLE, "1", "belum kawin", "belum menikah", "lajang"),
    (
        MaritalStatus.MARRIED,
        "2",
        "kawin",
        "menikah",
        "nikah",
        "kawin tercatat",
        "kawin belum tercatat",
    ),
    (MaritalStatus.DIVORCED, "3", "cerai hidup", "cerai"),
    (MaritalStatus.WIDOWED, "4", "cerai mati", "janda", "duda"),
)
SCHOOL_WORDS = _words(
    (SchoolParticipation.NEVER, "1", "tidak belum pernah sekolah", "tidak pernah sekolah",
     "belum pernah sekolah", "tidak belum sekolah", "belum sekolah", "tidak sekolah"),
    (SchoolParticipation.IN_SCHOOL, "2", "masih sekolah", "sedang sekolah", "bersekolah"),
    (SchoolParticipation.LEFT, "3", "tidak sekolah lagi", "tidak bersekolah lagi", "putus sekolah",
     "lulus", "sudah tidak sekolah"),
)  # fmt: skip
HOME_WORDS = _words(
    (HomeOwnership.OWNED, "1", "milik sendiri", "milik"),
    (HomeOwnership.RENTED, "2", "kontrak sewa", "kontrak", "sewa", "kontrak/sewa"),
    (HomeOwnership.RENT_FREE, "3", "bebas sewa", "menumpang", "numpang"),
    (HomeOwnership.OFFICIAL, "4", "dinas", "rumah dinas"),
    (HomeOwnership.OTHER, "5", "lainnya", "lain lain", "lain"),
)
FLAG_WORDS = _words(
    (True, "1", "ya", "y", "iya", "ada", "true", "benar", "v"),
    (False, "0", "2", "tidak", "t", "tdk", "tidak ada", "false", "bukan", "n", "no"),
)
DIFFICULTY_WORDS = _words(
    (1, "1", "tidak bisa sama sekali"),
    (2, "2", "banyak kesulitan", "mengalami banyak kesulitan"),
    (3, "3", "sedikit kesulitan", "mengalami sedikit kesulitan"),
    (4, "4", "tidak mengalami kesulitan", "tidak ada kesulitan"),
)

_DATE_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def as_text(raw) -> str:
    """A cell as clean text: spaces collapsed, numbers without a trailing ``.0``."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return " ".join(raw.split())
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.strftime("%d/%m/%Y")
    return " ".join(str(raw).split())


def _coded(raw, table, label):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    key = _fold_word(raw) if isinstance(raw, str) else str(raw)
    try:
        return table[key]
    except KeyError:
        raise CellProblem(
            _("%(label)s tidak dikenal: %(value)s.") % {"label": label, "value": as_text(raw)}
        ) from None


def too_long_message(count: int, maximum: int) -> str:
    return _("Terlalu panjang (%(count)d karakter, maksimal %(max)d).") % {
        "count": count,
        "max": maximum,
    }


def convert_text(raw, column):
    text = as_text(raw)
    if column.max_length and len(text) > column.max_length:
        raise CellProblem(too_long_message(len(text), column.max_length))
    return text


def convert_rt(raw, column):
    text = as_text(raw)
    if not text.isdigit() or len(text) > 3:
        raise CellProblem(_("Harus 1–3 angka, bukan %(value)s.") % {"value": text})
    return text.zfill(3)


def convert_int(raw, low, high, label):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = as_text(raw)
        if not text.isdigit():
            raise CellProblem(
                _("%(label)s harus angka, bukan %(value)s.") % {"label": label, "value": text}
            )
        value = int(text)
    if not low <= value <= high:
        raise CellProblem(
            _("%(label)s harus %(low)d–%(high)d, bukan %(value)d.")
            % {"label": label, "low": low, "high": high, "value": value}
        )
    return value


def convert_desil(raw, column):
    return convert_int(raw, 1, 10, LABEL_DESIL)


def convert_area(raw, column):
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = Decimal(str(round(raw, 2)))
    else:
        text = as_text(raw).lower().replace("m2", "").replace("m²", "").strip()
        # Indonesian spreadsheets write 36,5 for 36.5.
        text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise CellProblem(
                _("Luas lantai harus angka, bukan %(value)s.") % {"value": text}
            ) from None
    if not Decimal(0) < value < Decimal(100000):
        raise CellProblem(
            _("Luas lantai harus antara 0 dan 99.999 m², bukan %(value)s.") % {"value": value}
        )
    return value.quantize(Decimal("0.01"))


def convert_power(raw, column):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        # "1.300 VA" in Indonesian notation is 1300 VA.
        text = as_text(raw).upper().replace("VA", "").replace(".", "").replace(" ", "")
        if not text.isdigit():
            raise CellProblem(
                _("Daya listrik harus angka (VA), bukan %(value)s.") % {"value": as_text(raw)}
            )
        value = int(text)
    if not 0 <= value <= 1_000_000:
        raise CellProblem(_("Daya listrik tidak wajar: %(value)d VA.") % {"value": value})
    return value


def convert_flag(raw, column):
    return _coded(raw, FLAG_WORDS, column.name)


def convert_sex(raw, column):
    return _coded(raw, SEX_WORDS, LABEL_SEX)


def convert_relation(raw, column):
    return _coded(raw, RELATION_WORDS, LABEL_RELATION)


def convert_marital(raw, column):
    return _coded(raw, MARITAL_WORDS, LABEL_MARITAL).value


def convert_school(raw, column):
    return _coded(raw, SCHOOL_WORDS, LABEL_SCHOOL).value


def convert_home(raw, column):
    return _coded(raw, HOME_WORDS, LABEL_HOME).value


def convert_difficulty(raw, column):
    return _coded(raw, DIFFICULTY_WORDS, LABEL_DIFFICULTY)


def convert_date(raw, column):
    if isinstance(raw, datetime.datetime):
        value = raw.date()
    elif isinstance(raw, datetime.date):
        value = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        # A date cell whose date format was lost: Excel's serial day number.
        if not 1 <= raw < 80000:
            raise CellProblem(_("Tanggal tidak dikenal: %(value)s.") % {"value": as_text(raw)})
        value = EXCEL_EPOCH + datetime.timedelta(days=int(raw))
    else:
        text = as_text(raw)
        found = _DATE_DMY.match(text)
        try:
            if found:
                day, month, year = (int(part) for part in found.groups())
            else:
                found = _DATE_YMD.match(text)
                if not found:
                    raise ValueError
                year, month, day = (int(part) for part in found.groups())
            value = datetime.date(year, month, day)
        except ValueError:
            raise CellProblem(
                _(
                    "Tanggal tidak dikenal: %(value)s. Pakai dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd "
                    "atau sel tanggal Excel."
                )
                % {"value": text}
            ) from None
    if not EARLIEST_BIRTH <= value <= datetime.date.today():
        raise CellProblem(
            _("Tanggal lahir tidak mungkin: %(date)s.") % {"date": value.strftime("%d/%m/%Y")}
        )
    return value


CONVERTERS = {
    "text": convert_text,
    "name": convert_text,
    "rt": convert_rt,
    "desil": convert_desil,
    "home": convert_home,
    "area": convert_area,
    "power": convert_power,
    "flag": convert_flag,
    "sex": convert_sex,
    "date": convert_date,
    "relation": convert_relation,
    "marital": convert_marital,
    "school": convert_school,
    "difficulty": convert_difficulty,
}
