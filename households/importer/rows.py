"""Per-row checks: each row's cells cleaned into the values the registry stores, or issues.

Everything that needs only the row itself happens here in Python (numbers, dates, codes — the
cell converters of ``cells.py`` —, NIK checks, region and area); everything that needs other
rows or the registry (one head per family, duplicate NIKs, matching) happens set-based in SQL
(``validate.py``).
"""

import datetime
import json
from dataclasses import dataclass
from operator import itemgetter

from django.utils.translation import gettext as _

from core.models import Region
from core.regions import level_of, normalise_code
from core.scope import code_in_area
from households.choices import NikFlag
from households.importer.cells import (
    CONVERTERS,
    ERROR,
    WARNING,
    CellProblem,
    as_text,
    convert_difficulty,
    convert_flag,
    convert_int,
    formula_message,
    too_long_message,
)
from households.importer.columns import (
    ASSET_PREFIXES,
    COLUMNS,
    COLUMNS_BY_NAME,
    FUNCTIONAL_NAMES,
    LIVESTOCK_PREFIX,
    HeaderMap,
)
from households.importer.xlsx import FORMULA_WITHOUT_VALUE, CellError
from households.nik import check_nik, check_no_kk

# The fields copied (after conversion) into the registry, in file order; No KK, desa, NIK and
# the functional-difficulty family are handled on their own.
HOUSEHOLD_FIELDS = [c.name for c in COLUMNS if c.household and c.kind not in ("desa", "no_kk")]
MEMBER_FIELDS = [c.name for c in COLUMNS if not c.household and c.kind not in ("nik", "difficulty")]
TEXT_KINDS = {"text", "name"}
# What an empty cell stores (the model's blank value).
EMPTY = {
    "desil": None, "luas_lantai": None, "daya_listrik": None, "pbi_nas": None, "pbi_pemda": None,
    "hamil": False,
}  # fmt: skip


class RegionIndex:
    """Desa codes and names (level 4), read once per import."""

    def __init__(self):
        self.desa = dict(Region.objects.filter(level=4).values_list("code", "name"))
        self._cache: dict = {}

    def check(self, raw, area: str | None) -> tuple[str | None, str | None]:
        """(dotted desa code, error message)."""
        key = (raw, area)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._check(raw, area)
        return found

    def _check(self, raw, area):
        if isinstance(raw, float | int) and not isinstance(raw, bool):
            raw = as_text(raw)
        text = as_text(raw)
        code = normalise_code(text)
        if level_of(code) != 4 or not code.replace(".", "").isdigit():
            return None, _(
                "kode_desa %(value)s bukan kode desa/kelurahan (10 angka, mis. 35.07.01.2001)."
            ) % {"value": text}
        if code not in self.desa:
            return None, _("kode_desa %(code)s tidak ada di daftar wilayah.") % {"code": code}
        if not code_in_area(code, area):
            return None, _("Desa %(name)s (%(code)s) di luar wilayah Anda (%(area)s).") % {
                "name": self.desa[code],
                "code": code,
                "area": area or "-",
            }
        return code, None


@dataclass
class StageLayout:
    """Which columns this file fills in the staging table, in COPY order."""

    household_fields: list[str]
    member_fields: list[str]
    assets: list[str]
    livestock: list[str]
    functional: list[str]

    @property
    def columns(self) -> list[str]:
        house_extra = (["assets"] if self.assets else []) + (
            ["livestock"] if self.livestock else []
        )
        member_extra = ["functional_difficulties"] if self.functional else []
        return [
            "row_no", "kk", "no_kk", "bad", "hh_sig", "desa_code", "nik", "nik_flags", "issues",
            *self.household_fields, *house_extra, *self.member_fields, *member_extra,
        ]  # fmt: skip


def _text_first(names: list[str]) -> list[str]:
    """Free-text columns first, then coded ones: the row checker handles each run at once."""
    return sorted(names, key=lambda name: COLUMNS_BY_NAME[name].kind not in TEXT_KINDS)


def layout_for(header: HeaderMap) -> StageLayout:
    present = header.positions
    return StageLayout(
        household_fields=_text_first([name for name in HOUSEHOLD_FIELDS if name in present]),
        member_fields=_text_first([name for name in MEMBER_FIELDS if name in present]),
        assets=sorted(name for name in present if name.startswith(ASSET_PREFIXES)),
        livestock=sorted(name for name in present if name.startswith(LIVESTOCK_PREFIX)),
        functional=[name for name in FUNCTIONAL_NAMES if name in present],
    )


_MISSING = object()
# Per column, conversions of the same raw value are remembered (codes, numbers and dates repeat
# a lot); the cache is bounded so a column of unique values costs no memory.
CACHE_LIMIT = 50_000


def _getter(indexes: list[int]):
    """A C-level function picking these cells of a row, always as a tuple."""
    if len(indexes) == 1:
        index = indexes[0]
        return lambda values: (values[index],)
    return itemgetter(*indexes)


class _Group:
    """A run of columns staged side by side: free-text ones, then coded ones."""

    def __init__(self, names: list[str], positions: dict[str, int]):
        columns = [COLUMNS_BY_NAME[name] for name in names]
        self.text = [column for column in columns if column.kind in TEXT_KINDS]
        self.coded = [column for column in columns if column.kind not in TEXT_KINDS]
        self.text_get = _getter([positions[c.name] for c in self.text]) if self.text else None
        self.coded_get = _getter([positions[c.name] for c in self.coded]) if self.coded else None
        # Every text column allows at least this many characters (a quick check for all).
        self.shortest_limit = min((c.max_length for c in self.text), default=0)
        self.required_text = [i for i, c in enumerate(self.text) if c.required]
        self.caches = [{} for _column in self.coded]
        self.converters = [CONVERTERS[c.kind] for c in self.coded]


class RowChecker:
    """Turns one source row into a staging record (its issues inside, as JSON).

    ``check`` returns None for a row whose known cells are all empty (skipped silently). It is
    the importer's hot loop (a million calls for a district file), hence the flat code: cells
    are picked with ``itemgetter``, text is cleaned in one comprehension, coded values come
    from per-column caches, and only a miss or a problem takes the slow path."""

    def __init__(self, header: HeaderMap, regions: RegionIndex, area: str | None):
        self.layout = layout_for(header)
        self.regions = regions
        self.area = area
        positions = header.positions
        self.width = max(positions.values()) + 1
        self.known_positions = sorted(set(positions.values()))
        self.kk_index = positions["no_kk"]
        self.desa_index = positions["kode_desa"]
        self.nik_index = positions["nik"]
        self.name_index = positions["nama"]
        self.house = _Group(self.layout.household_fields, positions)
        self.person = _Group(self.layout.member_fields, positions)
        # The household cells of a row, as read: the rows of a family usually follow each
        # other with the same cells, which are then checked once per family.
        house_positions = [
            positions[name]
            for name in self.layout.household_fields + self.layout.assets + self.layout.livestock
        ]
        self.house_cells = _getter(house_positions) if house_positions else (lambda values: ())
        self._last_house = (_MISSING, None, None, 0)
        members = self.layout.member_fields
        self.born_at = members.index("tanggal_lahir")
        self.sex_at = members.index("jenis_kelamin")
        self.relation_at = members.index("hubungan_keluarga")
        self.no_household = [None] * (
            len(self.layout.household_fields)
            + bool(self.layout.assets)
            + bool(self.layout.livestock)
        )
        self.asset_plan = [(name, positions[name]) for name in self.layout.assets]
        self.livestock_plan = [(name, positions[name]) for name in self.layout.livestock]
        self.functional_plan = [(name, positions[name]) for name in self.layout.functional]
        self._last_kk = (_MISSING, None)
        self._desa_cache: dict = {}
        self.missing_nik = _(
            "NIK kosong: anggota baru ditandai 'tanpa NIK' untuk diperiksa (anggota yang sudah "
            "terdaftar dengan NIK tetap memakai NIK-nya)."
        )
        self.missing_desa = _("kode_desa wajib diisi.")

    def check(self, row_no: int, values: list):
        width = len(values)
        if width < self.width:
            values = values + [None] * (self.width - width)
        name = values[self.name_index]
        if not (type(name) is str and name and not name.isspace()):  # else surely not empty
            for index in self.known_positions:
                value = values[index]
                if (
                    value is not None
                    and value != ""
                    and not (type(value) is str and value.isspace())
                ):
                    break
            else:
                return None
        issues = []

        # No KK: the family key. An unusable one still groups its siblings by what was typed.
        raw_kk = values[self.kk_index]
        last_raw, kk_check = self._last_kk
        if raw_kk != last_raw or type(raw_kk) is not type(last_raw):
            kk_check = check_no_kk(self._plain(raw_kk, "no_kk", issues))
            self._last_kk = (raw_kk, kk_check)
        if kk_check.ok:
            no_kk = kk = kk_check.value
        else:
            no_kk = None
            kk = as_text(raw_kk) or f"#{row_no}"
            issues.append(("no_kk", ERROR, kk_check.errors[0]))

        raw_desa = values[self.desa_index]
        found = self._desa_cache.get(raw_desa, _MISSING) if type(raw_desa) is str else _MISSING
        if found is _MISSING:
            plain = self._plain(raw_desa, "kode_desa", issues)
            if plain is None:
                found = (None, self.missing_desa)
            else:
                found = self.regions.check(plain, self.area)
            if type(raw_desa) is str:
                self._desa_cache[raw_desa] = found
        desa, problem = found
        if problem:
            issues.append(("kode_desa", ERROR, problem))

        cells = self.house_cells(values)
        last_cells, household, house_issues, house_hash = self._last_house
        if cells != last_cells:
            house_issues = []
            texts, coded = self._fields(self.house, values, house_issues)
            household = texts + coded
            if self.asset_plan:
                household.append(self._json_of(self.asset_plan, values, convert_flag, house_issues))
            if self.livestock_plan:
                household.append(
                    self._json_of(self.livestock_plan, values, self._count, house_issues)
                )
            house_hash = hash(tuple(household))
            self._last_house = (cells, household, house_issues, house_hash)
        if house_issues:
            issues += house_issues
        texts, coded = self._fields(self.person, values, issues)
        member = texts + coded

        raw_nik = values[self.nik_index]
        if type(raw_nik) is not str or not raw_nik or raw_nik.isspace():
            raw_nik = self._plain(raw_nik, "nik", issues)
        nik_check = check_nik(raw_nik, member[self.born_at], member[self.sex_at])
        if nik_check.errors:
            issues.append(("nik", ERROR, nik_check.errors[0]))
        for warning in nik_check.warnings:
            issues.append(("nik", WARNING, warning))
        nik = nik_check.value
        flags = nik_check.flags
        if raw_nik is None and not nik_check.errors:
            issues.append(("nik", WARNING, self.missing_nik))
            flags = [NikFlag.MISSING.value]

        # Household fields are repeated on every member row; they must agree within a family
        # (compared through this signature) and only the head's row is used, so only the head
        # row carries them into the staging table.
        signature = hash((desa, house_hash))
        if member[self.relation_at] != 1:
            household = self.no_household
        if self.functional_plan:
            member.append(self._json_of(self.functional_plan, values, convert_difficulty, issues))

        bad = False
        encoded = None
        if issues:
            bad = any(level == ERROR for _c, level, _m in issues)
            encoded = json.dumps([{"c": c, "l": level, "m": str(m)} for c, level, m in issues])
        if flags:
            flags = [str(flag) for flag in flags]
        return [
            row_no, kk, no_kk, bad, signature, desa, nik, flags, encoded, *household, *member,
        ]  # fmt: skip

    def _fields(self, group: _Group, values, issues) -> tuple[list, list]:
        """(cleaned text cells, converted coded cells) of the row, each in column order."""
        texts = []
        if group.text_get is not None:
            raws = group.text_get(values)
            try:
                texts = [" ".join(raw.split()) for raw in raws]
            except AttributeError:  # not all text: numbers, dates, empty cells of an .xlsx
                texts = [
                    self._text_cell(raw, column, issues)
                    for raw, column in zip(raws, group.text, strict=True)
                ]
            else:
                if max(map(len, texts)) > group.shortest_limit:
                    for position, column in enumerate(group.text):
                        if len(texts[position]) > column.max_length:
                            issues.append(
                                (
                                    column.name,
                                    ERROR,
                                    too_long_message(len(texts[position]), column.max_length),
                                )
                            )
                            texts[position] = ""
            for position in group.required_text:
                if not texts[position]:
                    issues.append(
                        (
                            group.text[position].name,
                            ERROR,
                            self._required(group.text[position].name),
                        )
                    )
                    texts[position] = None
        if group.coded_get is not None:
            raws = group.coded_get(values)
            coded = [
                cache.get(raw, _MISSING) for cache, raw in zip(group.caches, raws, strict=True)
            ]
            if _MISSING in coded:
                for position, value in enumerate(coded):
                    if value is _MISSING:
                        coded[position] = self._convert(raws[position], group, position, issues)
            return texts, coded
        return texts, []

    def _text_cell(self, raw, column, issues) -> str:
        if type(raw) is str:
            text = " ".join(raw.split())
        else:
            plain = self._plain(raw, column.name, issues)
            text = "" if plain is None else as_text(plain)
        if column.max_length and len(text) > column.max_length:
            issues.append((column.name, ERROR, too_long_message(len(text), column.max_length)))
            return ""
        return text

    @staticmethod
    def _plain(raw, name, issues):
        """A cell as a value to check, None when empty; reader markers become issues."""
        if raw is None:
            return None
        if type(raw) is str:
            return None if raw == "" or raw.isspace() else raw
        if raw is FORMULA_WITHOUT_VALUE:
            issues.append((name, ERROR, formula_message()))
            return None
        if isinstance(raw, CellError):
            issues.append(
                (name, ERROR, _("Sel berisi nilai error Excel %(value)s.") % {"value": raw})
            )
            return None
        return raw

    @staticmethod
    def _required(name) -> str:
        return _("%(column)s wajib diisi.") % {"column": name}

    def _convert(self, raw, group: _Group, position: int, issues):
        """The value of a coded cell the cache did not know; problems become issues and are
        never cached (each row with the problem must say so)."""
        column = group.coded[position]
        plain = self._plain(raw, column.name, issues)
        empty = None if column.required else EMPTY.get(column.name, "")
        if plain is None:
            if column.required:
                marker = raw is not None and type(raw) is not str  # its issue is already there
                if not marker:
                    issues.append((column.name, ERROR, self._required(column.name)))
                return None
            value = empty
        else:
            try:
                value = group.converters[position](plain, column)
            except CellProblem as error:
                issues.append((column.name, ERROR, str(error)))
                return empty
        cache = group.caches[position]
        if len(cache) < CACHE_LIMIT and type(raw) in (
            str,
            int,
            float,
            datetime.date,
            datetime.datetime,
        ):
            cache[raw] = value
        return value

    @staticmethod
    def _count(raw, column):
        return convert_int(raw, 0, 100000, column.name)

    @staticmethod
    def _json_of(plan, values, convert, issues):
        """The JSON object of a column family: only the cells filled in the row."""
        filled = {}
        for name, index in plan:
            raw = RowChecker._plain(values[index], name, issues)
            if raw is None:
                continue
            try:
                filled[name] = convert(raw, _Named(name))
            except CellProblem as problem:
                issues.append((name, ERROR, str(problem)))
        return json.dumps(filled, separators=(",", ":"))


@dataclass(frozen=True)
class _Named:
    name: str
    max_length: int = 0
