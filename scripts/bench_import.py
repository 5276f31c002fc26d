"""Benchmark of the registry import engine against the raw limit of this machine.

    python scripts/bench_import.py --rows 1000000 --format csv
    python scripts/bench_import.py --rows 100000 --format xlsx

Uses its own database (default ``terpadu_bench_import``; created, migrated and given the region
list when missing; its registry tables are emptied first — the script refuses a database whose
name does not contain "bench"). The file is generated once by ``make_registry_file.py`` and
cached under /tmp. Every phase runs in a fresh process, so its peak RSS is its own:

- ``raw``: the file read with the fastest reader (csv module; python-calamine for .xlsx) and
  ``COPY`` of every cell as text into a bare table — the limit no importer can beat here;
- ``dry-run``: validation only (the web preview), on the empty registry;
- ``import``: validation + import into the empty registry, end to end (one transaction);
- ``re-import``: the same file again (nothing changes, nothing is written);
- ``dry-run-full``: the preview of that unchanged file against the full registry.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/terpadu_bench_import"
REGISTRY_TABLES = [
    "households_changelog",
    "households_importissue",
    "households_duplicatecandidate",
    "households_dataupdate",
    "households_kkhistory",
    "households_member",
    "households_household",
    "households_importjob",
]
PHASES = ["dry-run", "import", "re-import", "dry-run-full"]


def environment(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        # A district file as CSV is ~320 MB; the benchmark is about speed, not the upload limit.
        "TERPADU_IMPORT_MAX_MB": "4096",
    }


def prepare_database(url: str):
    import psycopg

    name = url.rsplit("/", 1)[-1]
    if "bench" not in name:
        sys.exit(f"refusing to empty the registry of {name!r}: the name must contain 'bench'")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    env = environment(url)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    with psycopg.connect(url) as db:
        regions = db.execute("SELECT count(*) FROM households_region").fetchone()[0]
    if regions == 0:
        subprocess.run([*manage, "load_regions"], env=env, check=True, cwd=ROOT)


def empty_registry(url: str):
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f"TRUNCATE {', '.join(REGISTRY_TABLES)} RESTART IDENTITY CASCADE")


def bench_file(rows: int, kind: str) -> Path:
    path = Path(f"/tmp/terpadu_bench_{rows}.{kind}")
    if not path.exists():
        started = time.monotonic()
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_registry_file.py"), str(path),
             "--rows", str(rows)],
            check=True, cwd=ROOT,
        )  # fmt: skip
        print(f"generated {path} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return path


# --- phases (each in its own process) --------------------------------------------------------


def phase_raw(path: Path) -> dict:
    import csv

    import psycopg

    started = time.monotonic()
    with psycopg.connect(os.environ["DATABASE_URL"]) as db, db.cursor() as cursor:
        if path.suffix == ".xlsx":
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = sheet.iter_rows()
        else:
            handle = open(path, newline="", encoding="utf-8")  # noqa: SIM115 - closed below
            rows = csv.reader(handle)
        header = next(rows)
        columns = ", ".join(f"c{i} text" for i in range(len(header)))
        cursor.execute(f"CREATE TEMP TABLE raw_rows ({columns})")
        count = 0
        with cursor.copy("COPY raw_rows FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        if path.suffix != ".xlsx":
            handle.close()
    return {"rows": count, "seconds": time.monotonic() - started}


def phase_engine(path: Path, name: str) -> dict:
    import django

    django.setup()
    from households.importer import process

    started = time.monotonic()
    report = process(path, dry_run=name.startswith("dry-run"))
    seconds = time.monotonic() - started
    counts = report.as_json()
    return {
        "rows": report.rows,
        "seconds": seconds,
        "timings": {key: round(value, 1) for key, value in report.timings.items()},
        "counts": {
            key: counts[key]
            for key in (
                "households_created",
                "households_updated",
                "members_created",
                "members_updated",
                "unchanged",
                "families_held_back",
                "errors_total",
            )
        },
    }


def run_phase(name: str, path: Path, url: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--file", str(path), "--database-url", url],
        env=environment(url), capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"phase {name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        os.environ["DATABASE_URL"] = args.database_url
        outcome = (
            phase_raw(args.file) if args.phase == "raw" else phase_engine(args.file, args.phase)
        )
        outcome["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(json.dumps(outcome))
        return

    path = bench_file(args.rows, args.format)
    prepare_database(args.database_url)
    empty_registry(args.database_url)
    print(f"file {path} ({path.stat().st_size / 1024 / 1024:.0f} MB), {os.cpu_count()} CPUs")
    raw = run_phase("raw", path, args.database_url)
    limit = raw["rows"] / raw["seconds"]
    line = "{:<14} {:>8} {:>9} {:>11} {:>9} {:>8}  {}"
    print(line.format("phase", "rows", "seconds", "rows/s", "× raw", "RSS MB", "details"))
    print(
        line.format(
            "raw", raw["rows"], f"{raw['seconds']:.1f}", f"{limit:,.0f}", "1.00",
            raw["peak_rss_mb"], "fastest reader + COPY into a bare table",
        )
    )  # fmt: skip
    for name in PHASES:
        load = os.getloadavg()[0]
        outcome = run_phase(name, path, args.database_url)
        speed = outcome["rows"] / outcome["seconds"]
        print(
            line.format(
                name, outcome["rows"], f"{outcome['seconds']:.1f}", f"{speed:,.0f}",
                f"{speed / limit:.2f}", outcome["peak_rss_mb"],
                f"{outcome['timings']} {outcome['counts']} load {load:.1f}",
            )
        )  # fmt: skip


if __name__ == "__main__":
    main()
