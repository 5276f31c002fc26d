"""Kemendagri region codes — ``35`` (provinsi), ``35.07`` (kabupaten/kota), ``35.07.01``
(kecamatan), ``35.07.01.2001`` (desa/kelurahan) — and loading the national list that ships with
the project (``data/``, with its source and licence)."""

import csv
import gzip
import io
from pathlib import Path

from django.db import connection, transaction


def level_of(code: str) -> int:
    """1 = provinsi … 4 = desa, read from the code itself (one level per dotted part)."""
    return code.count(".") + 1


def normalise_code(raw) -> str:
    """``3507012001`` or ``35.07.01.2001`` → dotted form; anything else is returned stripped."""
    text = str(raw).strip().replace(" ", "")
    digits = text.replace(".", "")
    if not digits.isdigit() or len(digits) > 10:
        return text
    pieces = []
    start = 0
    for end in (2, 4, 6, 10):
        if len(digits) <= start:
            break
        pieces.append(digits[start:end])
        start = end
    return ".".join(pieces)


REGION_FILE = Path(__file__).resolve().parent / "data" / "wilayah_kemendagri_2025.csv.gz"


def region_rows(path: Path = REGION_FILE):
    """(code, name, level, parent_code) for every row of the shipped list, parents first."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["kode"].strip()
            level = level_of(code)
            parent = code.rsplit(".", 1)[0] if level > 1 else None
            yield code, row["nama"].strip(), level, parent


@transaction.atomic
def load_regions(path: Path = REGION_FILE) -> dict[str, int]:
    """Upsert every region with COPY into a staging table; running it again changes nothing.

    Returns how many rows were inserted and updated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for code, name, level, parent in sorted(region_rows(path), key=lambda r: (r[2], r[0])):
        writer.writerow([code, name, level, parent or ""])
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS region_stage")
        cursor.execute(
            "CREATE TEMP TABLE region_stage (code text, name text, level smallint, parent text)"
            " ON COMMIT DROP"
        )
        with cursor.copy("COPY region_stage FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
        cursor.execute(
            """
            WITH upserted AS (
                INSERT INTO households_region (code, name, level, parent_id)
                SELECT code, name, level, NULLIF(parent, '') FROM region_stage ORDER BY level, code
                ON CONFLICT (code) DO UPDATE
                    SET name = EXCLUDED.name, level = EXCLUDED.level, parent_id = EXCLUDED.parent_id
                    WHERE (households_region.name, households_region.level,
                           households_region.parent_id)
                          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_id)
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM upserted
            """
        )
        inserted, updated = cursor.fetchone()
    return {"inserted": inserted, "updated": updated}
