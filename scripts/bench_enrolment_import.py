"""Benchmark of the recipient-list import (``manage.py import_enrolments``), end to end.

    python scripts/bench_enrolment_import.py --rows 100000
    python scripts/bench_enrolment_import.py --rows 100000 --registry-rows 450000

Uses its own database (default ``terpadu_bench_enrolment``; created, migrated and given the
region list when missing; the script refuses a database whose name does not contain "bench").
The registry is seeded once with the registry import of a file from ``make_registry_file.py``
(``--registry-rows`` member rows, about 3.7 members a family, so enough families for one list
row each); a program ``BENCH`` (desil ceiling 4) is created. The recipient list is written from
the registry as .xlsx and .csv: one row per family, 10 % by No KK with the NIK empty, every
20th row by the spouse's or a child's NIK, 1 % NIKs that exist nowhere (errors), a title row
above the header. Each run is ``manage.py import_enrolments FILE --program BENCH --format json``
in its own process (its wall time and peak RSS are measured with ``os.wait4``):

- ``xlsx dry-run`` (the web preview), ``xlsx import`` into no enrolments,
- ``xlsx re-import`` (every enrolment unchanged), then enrolments emptied,
- ``csv import`` and ``csv re-import``;

then the same engine as a running Celery worker uses it (``… (worker)``): a process that has
started Django already times only ``programs.importer.process`` (a CLI run also pays ~1 s of
Python start-up and imports, which a worker paid once when it started).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_import import bench_file, empty_registry, environment, prepare_database  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/terpadu_bench_enrolment"
PROGRAM = "BENCH"


def run(command: list[str], env: dict) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB) and stdout of one child process."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-2000:]}")
    return seconds, usage.ru_maxrss // 1024, output


ENGINE = """
import json, sys, time
import django
django.setup()
from programs import importer
from programs.models import Program
program = Program.objects.get(code=sys.argv[1])
started = time.monotonic()
report = importer.process(sys.argv[2], program=program, dry_run=sys.argv[3] == "dry")
print(json.dumps({**report.as_json(), "seconds": time.monotonic() - started}))
"""


def seed(url: str, registry_rows: int, env: dict):
    import psycopg

    with psycopg.connect(url) as db:
        households = db.execute("SELECT count(*) FROM households_household").fetchone()[0]
    if households == 0:
        path = bench_file(registry_rows, "csv")
        seconds, rss, _ = run(
            [sys.executable, "manage.py", "import_registry", str(path), "--format", "json"], env
        )
        print(f"seeded the registry from {path.name} in {seconds:.0f} s (RSS {rss} MB)")
    code = f"""
from programs.models import Agency, Program
agency, _ = Agency.objects.get_or_create(code="bench", defaults={{"name": "Bench", "kind": "opd"}})
Program.objects.get_or_create(code="{PROGRAM}", defaults=dict(name="Bench", kind="bansos",
    cluster="bantuan_sosial", funding_source="apbn", agency=agency, max_desil=4,
    periods_per_year=4))
"""
    run([sys.executable, "manage.py", "shell", "-c", code], env)


def empty_enrolments(url: str):
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "TRUNCATE programs_disbursement, programs_enrolmentstatuschange, "
            "programs_enrolment RESTART IDENTITY CASCADE"
        )


def list_rows(url: str, rows: int) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        # Fresh statistics after the bulk seeding (autovacuum would get there in a minute).
        db.execute("ANALYZE households_household, households_member, programs_enrolment")
        families = db.execute(
            """SELECT h.no_kk, (array_agg(m.nik ORDER BY m.id))[1],
                      (array_agg(m.nik ORDER BY m.id DESC))[1],
                      (array_agg(m.nama ORDER BY m.id))[1]
               FROM households_household h
               JOIN households_member m ON m.household_id = h.id
               WHERE h.status = 'active'
               GROUP BY h.id ORDER BY h.id LIMIT %s""",
            [rows],
        ).fetchall()
    if len(families) < rows:
        sys.exit(f"only {len(families)} active families: raise --registry-rows")
    out = []
    for number, (no_kk, head_nik, other_nik, name) in enumerate(families, start=1):
        if number % 100 == 0:
            out.append((number, f"35079{number:011d}", "", "Tidak Ada", "2"))
        elif number % 10 == 0:
            out.append((number, "", no_kk, name, "2"))
        elif number % 20 == 1:
            out.append((number, other_nik, no_kk, name, "2"))
        else:
            out.append((number, head_nik, no_kk, name, "2"))
    return out


HEADER = ["No", "NIK KPM", "No. KK", "Nama Penerima", "Tahap"]
TITLE = "DAFTAR PENERIMA BANTUAN TAHAP 2 KABUPATEN MALANG"


def write_files(rows: list[tuple], stem: str) -> tuple[Path, Path]:
    from openpyxl import Workbook

    xlsx_path = Path(f"/tmp/{stem}.xlsx")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([TITLE])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    book.save(xlsx_path)
    csv_path = Path(f"/tmp/{stem}.csv")
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return xlsx_path, csv_path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--registry-rows", type=int, default=None)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--fresh", action="store_true", help="empty the registry first")
    args = parser.parse_args(argv)
    registry_rows = args.registry_rows or int(args.rows * 4.5)

    prepare_database(args.database_url)
    if args.fresh:
        empty_registry(args.database_url)
    env = environment(args.database_url)
    seed(args.database_url, registry_rows, env)
    empty_enrolments(args.database_url)
    started = time.monotonic()
    xlsx_path, csv_path = write_files(
        list_rows(args.database_url, args.rows), f"bench_list_{args.rows}"
    )
    print(
        f"lists written in {time.monotonic() - started:.0f} s: {xlsx_path} "
        f"({xlsx_path.stat().st_size // 1024} KB), {csv_path} "
        f"({csv_path.stat().st_size // 1024} KB)"
        f"; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    line = "{:<22} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>7}"
    print(
        line.format(
            "run", "rows", "created", "unch.", "errors", "warns", "seconds", "rows/s", "RSS MB"
        )
    )
    runs = [
        ("xlsx dry-run", xlsx_path, ["--dry-run"]),
        ("xlsx import", xlsx_path, []),
        ("xlsx re-import", xlsx_path, []),
        ("csv import", csv_path, []),
        ("csv re-import", csv_path, []),
    ]
    for name, path, extra in runs:
        if name == "csv import":
            empty_enrolments(args.database_url)
        command = [sys.executable, "manage.py", "import_enrolments", str(path),
                   "--program", PROGRAM, "--format", "json", *extra]  # fmt: skip
        seconds, rss, output = run(command, env)
        report = json.loads(output.strip().splitlines()[-1])
        show(line, name, report, seconds, rss)
    for name, path, mode in [
        ("xlsx dry-run (worker)", xlsx_path, "dry"),
        ("xlsx import (worker)", xlsx_path, "import"),
        ("csv import (worker)", csv_path, "import"),
    ]:
        empty_enrolments(args.database_url)
        _, rss, output = run([sys.executable, "-c", ENGINE, PROGRAM, str(path), mode], env)
        report = json.loads(output.strip().splitlines()[-1])
        show(line, name, report, report["seconds"], rss)


def show(line, name, report, seconds, rss):
    print(
        line.format(
            name, report["rows"], report["created"], report["unchanged"],
            len(report["errors"]), len(report["warnings"]), f"{seconds:.1f}",
            f"{report['rows'] / seconds:,.0f}", rss,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
