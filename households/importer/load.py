"""Applying the checked families to the registry: a handful of set-based statements.

New households and members are inserted from the staging tables; changed ones are updated only
where a value really differs (``IS DISTINCT FROM``), and every creation or change writes its
``ChangeLog`` row (source *import*, the job, old → new) in the same statement family — so an
unchanged re-import writes nothing at all, not even ``updated_at``.
"""

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from django.utils.translation import gettext as _

from households.choices import ChangeAction, ChangeSource
from households.importer import stage
from households.importer.rows import StageLayout
from households.importer.validate import household_values, json_keys, member_values
from households.models import Household, Member
from households.services.duplicates import record_refused_rows

# Two-key advisory locks: (this namespace, kabupaten code as a number, e.g. 3507).
IMPORT_LOCK_NAMESPACE = 0x54504455  # "TPDU"

# History keys are the model field names ("desa", not its column "desa_code").
HISTORY_KEY = {"desa_code": "desa"}
# Values the history stores as text (``history.plain`` turns Decimals into str).
AS_TEXT = {"luas_lantai"}


def lock_keys(cursor) -> list[int]:
    """The kabupaten codes the import may write to: the desa of every family's head row and
    the desa of the registry households their No KK already names (rows of families without a
    head are never written). Needs the family check table (``validate.families``)."""
    cursor.execute(
        f"""SELECT DISTINCT replace(left(code, 5), '.', '')::int FROM (
                SELECT head_desa AS code FROM {stage.FAMILY_CHECK} WHERE head_desa IS NOT NULL
                UNION
                SELECT h.desa_code FROM {stage.FAMILY_CHECK} f
                JOIN households_household h ON h.no_kk = f.kk AND h.status = 'active'
            ) codes ORDER BY 1"""
    )
    return [row[0] for row in cursor.fetchall()]


def lock_areas(cursor) -> list[int]:
    """Serialise imports that touch the same kabupaten until the transaction ends.

    Locks are taken in ascending order, so two imports over overlapping areas queue instead of
    deadlocking; the lock is released by COMMIT/ROLLBACK (``pg_advisory_xact_lock``)."""
    keys = lock_keys(cursor)
    for key in keys:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_NAMESPACE, key])
    return keys


def _defaults(model, provided: set[str], now) -> list[tuple[str, object]]:
    """(column, value) for every column the import does not fill: the model's defaults."""
    pairs = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in provided:
            continue
        if field.default is not NOT_PROVIDED:
            value = field.get_default()
            if field.name in ("created_at", "updated_at"):
                value = now
        elif field.null:
            value = None
        else:
            value = field.get_default()
        pairs.append((field.column, field.get_db_prep_save(value, connection)))
    return pairs


def _json_value(column: str, expression: str) -> str:
    if column in AS_TEXT:
        return f"to_jsonb(({expression})::text)"
    return f"to_jsonb({expression})"


def _created_changes(pairs) -> str:
    """{field: [null, value]} of the values that are filled (as the forms log a creation)."""
    items = []
    for column, expression in pairs:
        key = HISTORY_KEY.get(column, column)
        items.append(
            f"'{key}', CASE WHEN ({expression}) IS NULL OR to_jsonb({expression}) IN "
            f"('\"\"', 'false', '{{}}', '[]') THEN NULL "
            f"ELSE jsonb_build_array(NULL, {_json_value(column, expression)}) END"
        )
    return _build_object(items)


def _changed_changes(pairs, alias: str) -> str:
    """{field: [old, new]} of the values that differ."""
    items = []
    for column, expression in pairs:
        key = HISTORY_KEY.get(column, column)
        current = f"{alias}.{column}"
        if column == "nik_flags":
            current += "::text[]"
        items.append(
            f"'{key}', CASE WHEN {current} IS DISTINCT FROM ({expression}) "
            f"THEN jsonb_build_array({_json_value(column, current)}, "
            f"{_json_value(column, expression)}) END"
        )
    return _build_object(items)


def _build_object(items: list[str]) -> str:
    # jsonb_build_object takes at most 100 arguments: merge objects of 40 pairs.
    parts = [
        "jsonb_build_object(" + ", ".join(items[start : start + 40]) + ")"
        for start in range(0, len(items), 40)
    ]
    return "jsonb_strip_nulls(" + " || ".join(parts) + ")"


class Loader:
    """Writes the matched families of one import (inside the caller's transaction)."""

    def __init__(self, cursor, layout: StageLayout, *, user, job, original_name: str):
        self.cursor = cursor
        self.layout = layout
        self.now = timezone.now()
        self.user_id = user.pk if user is not None else None
        self.job_id = job.pk if job is not None else None
        self.source_name = original_name
        self.params = {
            **json_keys(layout),
            "now": self.now,
            "user": self.user_id,
            "job": self.job_id,
            "source": ChangeSource.IMPORT.value,
            "create": ChangeAction.CREATE.value,
            "update": ChangeAction.UPDATE.value,
            "no_nik": _("tanpa NIK"),
        }

    def execute(self, sql: str, extra: dict | None = None):
        self.cursor.execute(sql, {**self.params, **(extra or {})})

    def run(self):
        # The members are written set-based: the database's per-statement summary trigger
        # (head name, member count: migration households 0009) stands aside, and the touched
        # households are refreshed once, at the end.
        self.cursor.execute("SET LOCAL terpadu.bulk_members = 'on'")
        self.create_households()
        self.update_households()
        self.create_members()
        self.update_members()
        self.touch_households()
        self.refresh_summaries()
        self.cursor.execute("SET LOCAL terpadu.bulk_members = 'off'")

    def refresh_summaries(self):
        """Households the registry already had, with a member added or changed by the file."""
        self.execute(
            f"""SELECT households_refresh_summary(ARRAY(
                    SELECT DISTINCT r.hh_id FROM {stage.MEMBERS} r
                    WHERE r.hh_id IS NOT NULL AND (r.member_id IS NULL OR r.changed)))"""
        )

    # households --------------------------------------------------------------------------

    def create_households(self):
        pairs = household_values(self.layout, "f")
        provided = {"id", "no_kk", "head_name", "member_count", *(column for column, _e in pairs)}
        data_source = _("Impor %(file)s") % {"file": self.source_name}
        defaults = [
            (column, data_source[:100] if column == "data_source" else value)
            for column, value in _defaults(Household, provided, self.now)
        ]
        columns = ["id", "no_kk", "head_name", "member_count"]
        columns += [*(c for c, _e in pairs), *(c for c, _v in defaults)]
        values = ["f.new_id", "f.no_kk", "coalesce(s.head, '')", "coalesce(s.n, 0)"]
        values += [*(e for _c, e in pairs), *(f"%(d_{c})s" for c, _v in defaults)]
        # ``h`` (the registry household) is NULL for a new one: its JSON families start empty.
        # Its head's name and member count come from its rows (every new member is alive), so
        # the summary needs no second write of every new household.
        self.execute(
            f"""INSERT INTO households_household ({", ".join(columns)})
                SELECT {", ".join(values)}
                FROM {stage.FAMILIES} f LEFT JOIN households_household h ON false
                LEFT JOIN (
                    SELECT r.household_id, count(*) AS n,
                           (array_agg(r.nama ORDER BY r.row_no)
                                FILTER (WHERE r.hubungan_keluarga = 1))[1] AS head
                    FROM {stage.MEMBERS} r WHERE r.hh_id IS NULL GROUP BY r.household_id
                ) s ON s.household_id = f.new_id
                WHERE f.hh_id IS NULL
                ORDER BY f.new_id""",
            {f"d_{column}": value for column, value in defaults},
        )
        self.execute(
            f"""INSERT INTO households_kkhistory (household_id, no_kk, valid_from, reason)
                SELECT new_id, no_kk, %(now)s, %(reason)s
                FROM {stage.FAMILIES} WHERE hh_id IS NULL""",
            {"reason": _("Impor registri")},
        )
        # A household's creation names its No KK and desa; the values are in the record itself
        # and in the imported file (a full copy of 275,000 households would double the work).
        self.execute(
            f"""INSERT INTO households_changelog (household_id, member_id, object_label, action,
                    changes, user_id, source, import_job_id, data_update_id, created_at)
                SELECT f.new_id, NULL,
                       'KLG-' || lpad(f.new_id::text, 7, '0') || ' · KK ' || f.no_kk,
                       %(create)s,
                       jsonb_build_object('no_kk', jsonb_build_array(NULL, f.no_kk),
                                          'desa', jsonb_build_array(NULL, f.desa_code)),
                       %(user)s, %(source)s, %(job)s, NULL, %(now)s
                FROM {stage.FAMILIES} f
                WHERE f.hh_id IS NULL"""
        )

    def update_households(self):
        pairs = household_values(self.layout, "f")
        self.execute(
            f"""INSERT INTO households_changelog (household_id, member_id, object_label, action,
                    changes, user_id, source, import_job_id, data_update_id, created_at)
                SELECT h.id, NULL,
                       'KLG-' || lpad(h.id::text, 7, '0') || ' · KK ' || h.no_kk,
                       %(update)s, {_changed_changes(pairs, "h")},
                       %(user)s, %(source)s, %(job)s, NULL, %(now)s
                FROM {stage.FAMILIES} f JOIN households_household h ON h.id = f.hh_id
                WHERE f.changed"""
        )
        assignments = ", ".join(f"{column} = {expression}" for column, expression in pairs)
        self.execute(
            f"""UPDATE households_household h
                SET {assignments}, version = h.version + 1, updated_at = %(now)s
                FROM {stage.FAMILIES} f
                WHERE h.id = f.hh_id AND f.changed"""
        )

    # members ------------------------------------------------------------------------------

    def create_members(self):
        pairs = member_values(self.layout)
        provided = {"id", "household_id", *(column for column, _e in pairs)}
        defaults = _defaults(Member, provided, self.now)
        columns = ["id", "household_id", *(c for c, _e in pairs), *(c for c, _v in defaults)]
        values = ["r.new_id", "r.household_id", *(e for _c, e in pairs)]
        values += [f"%(d_{c})s" for c, _v in defaults]
        # The staging table is already in id order (no sort of a million rows here).
        self.execute(
            f"""INSERT INTO households_member ({", ".join(columns)})
                SELECT {", ".join(values)}
                FROM {stage.MEMBERS} r LEFT JOIN households_member m ON false
                WHERE r.member_id IS NULL""",
            {f"d_{column}": value for column, value in defaults},
        )
        # Members of a new household are part of its creation entry; a member added to a
        # household the registry already had gets an entry of its own, as a form would write.
        created_changes = _created_changes(
            [(column, f"m.{column}") for column, _e in pairs if column != "nik_flags"]
        )
        self.execute(
            f"""INSERT INTO households_changelog (household_id, member_id, object_label, action,
                    changes, user_id, source, import_job_id, data_update_id, created_at)
                SELECT m.household_id, m.id,
                       m.nama || ' (' || coalesce(m.nik, %(no_nik)s) || ')',
                       %(create)s, {created_changes},
                       %(user)s, %(source)s, %(job)s, NULL, %(now)s
                FROM {stage.MEMBERS} r JOIN households_member m ON m.id = r.new_id
                WHERE r.member_id IS NULL AND r.hh_id IS NOT NULL"""
        )

    def update_members(self):
        pairs = member_values(self.layout)
        self.execute(
            f"""INSERT INTO households_changelog (household_id, member_id, object_label, action,
                    changes, user_id, source, import_job_id, data_update_id, created_at)
                SELECT m.household_id, m.id,
                       m.nama || ' (' || coalesce(m.nik, %(no_nik)s) || ')',
                       %(update)s, {_changed_changes(pairs, "m")},
                       %(user)s, %(source)s, %(job)s, NULL, %(now)s
                FROM {stage.MEMBERS} r JOIN households_member m ON m.id = r.member_id
                WHERE r.changed"""
        )
        assignments = ", ".join(f"{column} = {expression}" for column, expression in pairs)
        self.execute(
            f"""UPDATE households_member m
                SET {assignments}, version = m.version + 1, updated_at = %(now)s
                FROM {stage.MEMBERS} r
                WHERE m.id = r.member_id AND r.changed"""
        )

    def touch_households(self):
        """A member change dates its household (not its version), as the forms do."""
        self.execute(
            f"""UPDATE households_household h SET updated_at = %(now)s
                WHERE h.id IN (SELECT r.hh_id FROM {stage.MEMBERS} r
                               WHERE r.hh_id IS NOT NULL
                                 AND (r.changed OR r.member_id IS NULL))
                  AND h.updated_at <> %(now)s"""
        )

    # duplicates and issues ------------------------------------------------------------------

    def record_conflicts(self, job) -> int:
        """Queue the refused "NIK already in another household" rows as duplicate candidates in
        one pass (``record_refused_rows`` decides what the member's district may see and
        ignores what it has already queued, so re-runs add nothing); returns how many rows.
        Rows of a no longer active household with the same No KK are the same family, not a
        duplicate, and are not queued."""
        self.cursor.execute(
            f"""CREATE TEMP TABLE {stage.REFUSED} AS
                SELECT c.member_id, r.row_no,
                       jsonb_build_object('row', r.row_no, 'no_kk', r.no_kk, 'nik', r.nik,
                                          'nama', r.nama, 'jenis_kelamin', r.jenis_kelamin,
                                          'tanggal_lahir', r.tanggal_lahir,
                                          'hubungan_keluarga', r.hubungan_keluarga,
                                          'kode_desa', r.desa_code) AS data
                FROM {stage.CONFLICTS} c JOIN {stage.ROWS} r USING (row_no)
                WHERE NOT c.same_kk"""
        )
        return record_refused_rows(stage.REFUSED, job)


def write_job_issues(cursor, job):
    cursor.execute(
        f"""INSERT INTO households_importissue (job_id, row, "column", level, message, no_kk)
            SELECT %(job)s, row_no, left(col, 64), level, message,
                   CASE WHEN kk LIKE '#%%' THEN '' ELSE left(kk, 32) END
            FROM {stage.ISSUES} ORDER BY row_no, seq""",
        {"job": job.pk},
    )
