"""The staging tables of one import (PostgreSQL temporary tables on the import's connection).

``ROWS`` gets every non-empty source row by one ``COPY`` while the file is read; the checks
(``validate.py``) and the apply step (``load.py``) work on it set-based. The tables live only
as long as the connection (a worker that dies leaves nothing behind) and are dropped at the end.
"""

ROWS = "terpadu_import_rows"
ISSUES = "terpadu_import_issues"
HELD = "terpadu_import_held"
FAMILY_CHECK = "terpadu_import_family_check"
FAMILIES = "terpadu_import_families"
MEMBERS = "terpadu_import_members"
CONFLICTS = "terpadu_import_conflicts"
REFUSED = "terpadu_import_refused"
ALL_TABLES = [ROWS, ISSUES, HELD, FAMILY_CHECK, FAMILIES, MEMBERS, CONFLICTS, REFUSED]

# Staging column types: the model's column types, text for the character ones.
TYPES = {
    "row_no": "integer",
    "kk": "text",
    "no_kk": "text",
    "bad": "boolean",
    "hh_sig": "bigint",
    "desa_code": "text",
    "nik": "text",
    "nik_flags": "text[]",
    "issues": "jsonb",
    "desil": "smallint",
    "luas_lantai": "numeric(7,2)",
    "daya_listrik": "integer",
    "pbi_nas": "boolean",
    "pbi_pemda": "boolean",
    "jenis_kelamin": "smallint",
    "tanggal_lahir": "date",
    "hubungan_keluarga": "smallint",
    "hamil": "boolean",
    "assets": "jsonb",
    "livestock": "jsonb",
    "functional_difficulties": "jsonb",
}


def column_type(name: str) -> str:
    return TYPES.get(name, "text")


def create(cursor, columns: list[str]):
    drop(cursor)
    definition = ", ".join(f"{name} {column_type(name)}" for name in columns)
    cursor.execute(f"CREATE TEMP TABLE {ROWS} ({definition})")
    cursor.execute(
        f"CREATE TEMP TABLE {ISSUES} (seq bigserial, row_no integer, kk text, col text, "
        "level text, message text)"
    )


def drop(cursor):
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(ALL_TABLES)}")
