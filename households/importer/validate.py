"""The set-based checks: everything that needs other rows of the file or the registry.

Each check is one ``INSERT INTO issues SELECT ...`` over the staged rows. Then the families with
any error are *held back* (their other rows get a message naming the bad rows), and the rest is
matched against the registry (households by active No KK, members by NIK or, without NIK, by
name and birth date) so that the counts of a dry run and of the real import come from the same
tables. Messages are translated in Python and filled in by PostgreSQL's ``format()``.
"""

import re

from django.utils.translation import gettext as _

from households.importer import stage
from households.importer.rows import StageLayout

_PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)s")


def pg_format(template: str, *names: str) -> str:
    """A translated ``%(name)s`` template as a PostgreSQL ``format()`` string (``%1$s``)."""
    order = {name: index for index, name in enumerate(names, start=1)}
    pieces = []
    last = 0
    for found in _PLACEHOLDER.finditer(template):
        pieces.append(template[last : found.start()].replace("%", "%%"))
        pieces.append(f"%{order[found.group(1)]}$s")
        last = found.end()
    pieces.append(template[last:].replace("%", "%%"))
    return "".join(pieces)


def _issue(cursor, select_sql: str, params: dict):
    cursor.execute(
        f"INSERT INTO {stage.ISSUES} (row_no, kk, col, level, message) {select_sql}", params
    )


def row_issues(cursor):
    """The issues the Python row checks found, unpacked from the staged rows."""
    _issue(
        cursor,
        f"""SELECT r.row_no, r.kk, i.c, i.l, i.m
            FROM {stage.ROWS} r, jsonb_to_recordset(r.issues) AS i(c text, l text, m text)
            WHERE r.issues IS NOT NULL
            ORDER BY r.row_no""",
        {},
    )


def families(cursor) -> int:
    """One pass over the families: exactly one hubungan_keluarga = 1 (unless a row's relation
    is unreadable: that row's own error already holds the family back), and the household fields
    — repeated on every member row — as on the head's row, which is the one used: a different
    desa is an error (one family, one desa), other differences are warnings.

    Returns the number of families in the file."""
    cursor.execute(
        f"""CREATE TEMP TABLE {stage.FAMILY_CHECK} AS
            SELECT kk,
                   count(*) FILTER (WHERE hubungan_keluarga = 1) AS heads,
                   count(*) FILTER (WHERE hubungan_keluarga IS NULL) AS unknown_relation,
                   -- With one head these are the head's values; no ordered aggregates, so
                   -- PostgreSQL hashes the families instead of sorting a million rows.
                   min(row_no) FILTER (WHERE hubungan_keluarga = 1) AS head_row,
                   min(desa_code) FILTER (WHERE hubungan_keluarga = 1) AS head_desa,
                   min(hh_sig) FILTER (WHERE hubungan_keluarga = 1) AS head_sig,
                   array_agg(row_no) FILTER (WHERE hubungan_keluarga = 1) AS head_rows
            FROM {stage.ROWS} GROUP BY kk"""
    )
    _issue(
        cursor,
        f"""SELECT r.row_no, r.kk,
                   CASE WHEN f.heads <> 1 THEN 'hubungan_keluarga'
                        WHEN r.desa_code <> f.head_desa THEN 'kode_desa' ELSE '' END,
                   CASE WHEN f.heads <> 1 OR r.desa_code <> f.head_desa
                        THEN 'error' ELSE 'warning' END,
                   CASE WHEN f.heads = 0 THEN format(%(none)s, f.shown)
                        WHEN f.heads > 1 THEN format(%(many)s, f.shown, f.heads,
                            array_to_string(ARRAY(SELECT unnest(f.head_rows) ORDER BY 1), ', '))
                        WHEN r.desa_code <> f.head_desa
                        THEN format(%(desa)s, r.desa_code, f.head_row, f.head_desa)
                        ELSE format(%(house)s, f.head_row) END
            FROM {stage.ROWS} r
            JOIN (SELECT *, CASE WHEN kk LIKE '#%%' THEN '-' ELSE kk END AS shown
                  FROM {stage.FAMILY_CHECK}) f USING (kk)
            WHERE (f.heads <> 1 AND f.unknown_relation = 0)
               OR (f.heads = 1 AND r.row_no <> f.head_row
                   AND (r.desa_code <> f.head_desa OR r.hh_sig <> f.head_sig))
            ORDER BY r.row_no""",
        {
            "none": pg_format(
                _(
                    "Keluarga No. KK %(kk)s tidak punya kepala keluarga (hubungan_keluarga = 1); "
                    "harus tepat satu."
                ),
                "kk",
            ),
            "many": pg_format(
                _(
                    "Keluarga No. KK %(kk)s punya %(count)s kepala keluarga (baris %(rows)s); "
                    "harus tepat satu."
                ),
                "kk",
                "count",
                "rows",
            ),
            "desa": pg_format(
                _(
                    "kode_desa %(code)s berbeda dengan baris kepala keluarga (baris %(row)s: "
                    "%(head_code)s); satu keluarga tinggal di satu desa."
                ),
                "code",
                "row",
                "head_code",
            ),
            "house": pg_format(
                _(
                    "Data rumah di baris ini berbeda dengan baris kepala keluarga (baris "
                    "%(row)s); yang dipakai data baris kepala keluarga."
                ),
                "row",
            ),
        },
    )
    cursor.execute(f"SELECT count(*) FROM {stage.FAMILY_CHECK}")
    return cursor.fetchone()[0]


def duplicate_niks_in_file(cursor):
    _issue(
        cursor,
        f"""SELECT r.row_no, r.kk, 'nik', 'error',
                   format(%(message)s, r.nik,
                          array_to_string((array_remove(d.rows, r.row_no))[1:10], ', '))
            FROM {stage.ROWS} r
            JOIN (SELECT nik, array_agg(row_no ORDER BY row_no) AS rows
                  FROM {stage.ROWS}
                  WHERE nik IN (SELECT nik FROM {stage.ROWS} WHERE nik IS NOT NULL
                                GROUP BY nik HAVING count(*) > 1)
                  GROUP BY nik) d USING (nik)
            ORDER BY r.row_no""",
        {
            "message": pg_format(
                _("NIK %(nik)s juga ada di baris %(rows)s file ini; satu NIK untuk satu orang."),
                "nik",
                "rows",
            )
        },
    )


def niks_in_other_households(cursor, area: str):
    """A NIK the registry already holds in another household (any status) is refused; the pair
    becomes a duplicate candidate when the import is applied (``record_refused_rows``: a row of
    another kabupaten only as a notice without its data). A NIK of a household with the
    same No KK that is no longer active (moved, merged, inactive; e.g. a re-uploaded export) is
    refused too, but says so and queues no candidate: it is the same family, not a duplicate."""
    cursor.execute(
        f"""CREATE TEMP TABLE {stage.CONFLICTS} AS
            SELECT r.row_no, r.kk, r.nik, m.id AS member_id, h.id AS household_id,
                   h.no_kk AS existing_no_kk, h.no_kk = r.no_kk AS same_kk,
                   (%(area)s = '' OR h.desa_code = %(area)s
                    OR h.desa_code LIKE %(area)s || '.%%') AS visible
            FROM {stage.ROWS} r
            JOIN households_member m ON m.nik = r.nik
            JOIN households_household h ON h.id = m.household_id
            WHERE r.no_kk IS NOT NULL
              AND NOT (h.status = 'active' AND h.no_kk = r.no_kk)""",
        {"area": area},
    )
    _issue(
        cursor,
        f"""SELECT c.row_no, c.kk, 'nik', 'error',
                   CASE WHEN c.visible AND c.same_kk
                        THEN format(%(inactive)s, c.nik,
                                    'KLG-' || lpad(c.household_id::text, 7, '0'))
                        WHEN c.visible
                        THEN format(%(seen)s, c.nik,
                                    'KLG-' || lpad(c.household_id::text, 7, '0'),
                                    c.existing_no_kk)
                        ELSE format(%(hidden)s, c.nik) END
            FROM {stage.CONFLICTS} c
            ORDER BY c.row_no""",
        {
            "inactive": pg_format(
                _(
                    "NIK %(nik)s terdaftar di keluarga %(household)s dengan No. KK yang sama, "
                    "tetapi keluarga itu tidak aktif lagi (pindah, digabung atau nonaktif); impor "
                    "tidak mengubah keluarga yang tidak aktif. Bila keluarga ini masih ada, "
                    "aktifkan lewat usulan perubahan data."
                ),
                "nik",
                "household",
            ),
            "seen": pg_format(
                _(
                    "NIK %(nik)s sudah terdaftar di keluarga lain (%(household)s, No. KK %(kk)s); "
                    "baris ini tidak diimpor dan pasangannya masuk daftar kandidat duplikat."
                ),
                "nik",
                "household",
                "kk",
            ),
            "hidden": pg_format(
                _(
                    "NIK %(nik)s sudah terdaftar di keluarga lain di luar wilayah Anda; baris ini "
                    "tidak diimpor dan petugas wilayah itu diberi tahu."
                ),
                "nik",
            ),
        },
    )


def duplicate_people_without_nik(cursor):
    _issue(
        cursor,
        f"""SELECT r.row_no, r.kk, 'nama', 'error',
                   format(%(message)s, r.nama, to_char(r.tanggal_lahir, 'DD/MM/YYYY'),
                          array_to_string(d.rows, ', '))
            FROM {stage.ROWS} r
            JOIN (SELECT kk, lower(nama) AS lname, tanggal_lahir,
                         array_agg(row_no ORDER BY row_no) AS rows
                  FROM {stage.ROWS}
                  WHERE nik IS NULL AND 'missing' = ANY(nik_flags)
                    AND nama IS NOT NULL AND tanggal_lahir IS NOT NULL
                  GROUP BY 1, 2, 3 HAVING count(*) > 1) d
              ON d.kk = r.kk AND d.lname = lower(r.nama) AND d.tanggal_lahir = r.tanggal_lahir
            WHERE r.nik IS NULL AND 'missing' = ANY(r.nik_flags)
            ORDER BY r.row_no""",
        {
            "message": pg_format(
                _(
                    "%(name)s (lahir %(date)s, tanpa NIK) tercatat lebih dari sekali di keluarga "
                    "ini (baris %(rows)s)."
                ),
                "name",
                "date",
                "rows",
            )
        },
    )


def households_outside_area(cursor, area: str):
    """A No KK registered as an active household outside the user's area cannot be moved in by
    an import (that is a data update through the kecamatan and the district)."""
    if area == "":
        return
    _issue(
        cursor,
        f"""SELECT r.row_no, r.kk, 'no_kk', 'error', format(%(message)s, r.no_kk)
            FROM {stage.ROWS} r
            JOIN households_household h ON h.no_kk = r.no_kk AND h.status = 'active'
            WHERE NOT (h.desa_code = %(area)s OR h.desa_code LIKE %(area)s || '.%%')
            ORDER BY r.row_no""",
        {
            "area": area,
            "message": pg_format(
                _(
                    "No. KK %(kk)s sudah terdaftar di luar wilayah Anda; pindah wilayah diajukan "
                    "lewat usulan perubahan data."
                ),
                "kk",
            ),
        },
    )


def hold_back(cursor) -> int:
    """Families with any error are not imported; their other rows say so. Returns how many."""
    cursor.execute(
        f"""CREATE TEMP TABLE {stage.HELD} AS
            SELECT kk, array_agg(DISTINCT row_no ORDER BY row_no) AS rows
            FROM {stage.ISSUES} WHERE level = 'error' GROUP BY kk"""
    )
    cursor.execute(f"CREATE UNIQUE INDEX ON {stage.HELD} (kk)")
    _issue(
        cursor,
        f"""SELECT r.row_no, r.kk, '', 'error',
                   format(%(message)s, CASE WHEN r.kk LIKE '#%%' THEN '-' ELSE r.kk END,
                          array_to_string(h.rows[1:10], ', '))
            FROM {stage.ROWS} r JOIN {stage.HELD} h USING (kk)
            WHERE NOT r.row_no = ANY(h.rows)
            ORDER BY r.row_no""",
        {
            "message": pg_format(
                _(
                    "Ditahan: keluarga No. KK %(kk)s tidak diimpor karena baris %(rows)s "
                    "bermasalah (satu keluarga diimpor utuh atau tidak sama sekali)."
                ),
                "kk",
                "rows",
            )
        },
    )
    cursor.execute(f"SELECT count(*) FROM {stage.HELD}")
    return cursor.fetchone()[0]


# --- matching against the registry ------------------------------------------------------------


def household_values(layout: StageLayout, alias: str = "f") -> list[tuple[str, str]]:
    """(registry column, expression over the staged family ``alias`` and household ``h``) for
    every household field the file fills; JSON families replace only the keys of the file's
    columns (``h`` is NULL for a new household)."""
    pairs = [("desa_code", f"{alias}.desa_code")]
    pairs += [(name, f"{alias}.{name}") for name in layout.household_fields]
    if layout.assets:
        pairs.append(
            (
                "assets",
                f"(coalesce(h.assets, '{{}}') - %(asset_keys)s::text[]) || {alias}.assets",
            )
        )
    if layout.livestock:
        pairs.append(
            (
                "livestock",
                f"(coalesce(h.livestock, '{{}}') - %(livestock_keys)s::text[])"
                f" || {alias}.livestock",
            )
        )
    return pairs


def member_values(layout: StageLayout) -> list[tuple[str, str]]:
    """(registry column, expression over the staged row ``r`` and member ``m``). An empty NIK
    in the file never erases one the registry knows (the member keeps it and its flags)."""
    pairs = [
        ("nik", "coalesce(r.nik, m.nik)"),
        (
            "nik_flags",
            "CASE WHEN r.nik IS NULL AND m.nik IS NOT NULL THEN m.nik_flags::text[]"
            " ELSE r.nik_flags END",
        ),
    ]
    pairs += [(name, f"r.{name}") for name in layout.member_fields]
    if layout.functional:
        pairs.append(
            (
                "functional_difficulties",
                "(coalesce(m.functional_difficulties, '{}') - %(functional_keys)s::text[])"
                " || r.functional_difficulties",
            )
        )
    return pairs


def json_keys(layout: StageLayout) -> dict:
    return {
        "asset_keys": layout.assets,
        "livestock_keys": layout.livestock,
        "functional_keys": layout.functional,
    }


def _distinct(pairs, alias: str, cast: dict | None = None) -> str:
    cast = cast or {}
    current = ", ".join(f"{alias}.{column}{cast.get(column, '')}" for column, _e in pairs)
    incoming = ", ".join(expression for _c, expression in pairs)
    return f"ROW({current}) IS DISTINCT FROM ROW({incoming})"


def match(cursor, layout: StageLayout, *, assign_ids: bool):
    """Build the families and members to apply, each matched (or not) to the registry.

    With ``assign_ids`` (the real import) the new households and members get their ids from
    the tables' sequences here, so the apply step inserts them without a round trip."""
    staged = ", ".join(
        ["r.desa_code", *(f"r.{name}" for name in layout.household_fields)]
        + (["r.assets"] if layout.assets else [])
        + (["r.livestock"] if layout.livestock else [])
    )
    household_pairs = household_values(layout, "r")
    # The sequences are looked up once: nextval() of a constant costs 0.3 µs a row, of a
    # pg_get_serial_sequence() call ten times that.
    sequences = {}
    if assign_ids:
        cursor.execute(
            "SELECT pg_get_serial_sequence('households_household', 'id'),"
            " pg_get_serial_sequence('households_member', 'id')"
        )
        sequences = dict(zip(("household_seq", "member_seq"), cursor.fetchone(), strict=True))
    new_household = (
        "CASE WHEN h.id IS NULL THEN nextval(%(household_seq)s::regclass) END"
        if assign_ids
        else "NULL::bigint"
    )
    cursor.execute(
        f"""CREATE TEMP TABLE {stage.FAMILIES} AS
            SELECT r.kk, r.no_kk, r.row_no AS head_row, {staged},
                   h.id AS hh_id, {new_household} AS new_id,
                   (h.id IS NOT NULL AND {_distinct(household_pairs, "h")}) AS changed
            FROM {stage.ROWS} r
            LEFT JOIN households_household h ON h.no_kk = r.no_kk AND h.status = 'active'
            WHERE r.hubungan_keluarga = 1
              AND NOT EXISTS (SELECT 1 FROM {stage.HELD} b WHERE b.kk = r.kk)""",
        {**json_keys(layout), **sequences},
    )
    member_pairs = member_values(layout)
    member_columns = ", ".join(
        ["r.nik", "r.nik_flags", *(f"r.{name}" for name in layout.member_fields)]
        + (["r.functional_difficulties"] if layout.functional else [])
    )
    new_member = (
        "CASE WHEN matched.member_id IS NULL THEN nextval(%(member_seq)s::regclass) END"
        if assign_ids
        else "NULL::bigint"
    )
    cursor.execute(
        # New ids follow the file's row order (nextval over the sorted rows).
        f"""CREATE TEMP TABLE {stage.MEMBERS} AS
            SELECT matched.*, {new_member} AS new_id FROM (
                SELECT r.row_no, r.kk, f.hh_id, coalesce(f.hh_id, f.new_id) AS household_id,
                       m.id AS member_id, {member_columns},
                       (m.id IS NOT NULL
                        AND {_distinct(member_pairs, "m", {"nik_flags": "::text[]"})}) AS changed
                FROM {stage.ROWS} r
                JOIN {stage.FAMILIES} f USING (kk)
                LEFT JOIN households_member m ON m.nik = r.nik AND m.household_id = f.hh_id
                ORDER BY r.row_no
            ) matched""",
        {**json_keys(layout), **sequences},
    )
    # Without a NIK on one side (the file's row or the registry's member) a member is the same
    # person when name and birth date match inside the same household; each registry member
    # matches one row at most.
    cursor.execute(
        f"""UPDATE {stage.MEMBERS} r SET member_id = m.id,
                   changed = {_distinct(member_pairs, "m", {"nik_flags": "::text[]"})}
            FROM (SELECT DISTINCT ON (m.id) m.*, r.row_no AS matched_row
                  FROM {stage.MEMBERS} r
                  JOIN households_member m
                    ON m.household_id = r.hh_id AND (r.nik IS NULL OR m.nik IS NULL)
                   AND lower(m.nama) = lower(r.nama) AND m.tanggal_lahir = r.tanggal_lahir
                  WHERE r.member_id IS NULL AND r.hh_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM {stage.MEMBERS} taken
                                    WHERE taken.member_id = m.id)
                  ORDER BY m.id, r.row_no) m
            WHERE r.row_no = m.matched_row""",
        json_keys(layout),
    )


def counts(cursor) -> dict:
    cursor.execute(
        f"""SELECT count(*) FILTER (WHERE hh_id IS NULL), count(*) FILTER (WHERE changed)
            FROM {stage.FAMILIES}"""
    )
    created, updated = cursor.fetchone()
    cursor.execute(
        f"""SELECT count(*) FILTER (WHERE member_id IS NULL),
                   count(*) FILTER (WHERE changed),
                   count(*) FILTER (WHERE member_id IS NOT NULL AND NOT changed)
            FROM {stage.MEMBERS}"""
    )
    members_created, members_updated, unchanged = cursor.fetchone()
    return {
        "households_created": created,
        "households_updated": updated,
        "members_created": members_created,
        "members_updated": members_updated,
        "unchanged": unchanged,
    }


def file_checks(cursor) -> int:
    """The checks that need only the file's rows; returns the number of families."""
    row_issues(cursor)
    family_count = families(cursor)
    duplicate_niks_in_file(cursor)
    duplicate_people_without_nik(cursor)
    return family_count


def registry_checks(cursor, area: str) -> int:
    """The checks against the registry (run under the import lock), then the hold-back;
    returns the number of families held back."""
    niks_in_other_households(cursor, area)
    households_outside_area(cursor, area)
    return hold_back(cursor)
