"""Information speed at district scale: the home dashboard (every panel) as the district admin
and a kecamatan operator, and the district's reports built the way the worker builds them, with
the building process's peak memory.

Usage (from the project root)::

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_information.py [--households 300000]
        [--referrals 300000] [--database terpadu_bench_information] [--repeat 5]

It works in its own database (default ``terpadu_bench_information``), created when missing:
the registry, programs, enrolments, disbursements and targets of ``scripts/bench_programs.py``
(same SQL), the Puskesos, intakes and referrals of ``scripts/bench_referrals.py``, then a
verification date on 70% of the households (a third of them over a year ago) and a NIK note on
1% of the members. A rerun reuses the data.

Targets (issue #9): the dashboard under 1 s server time with the panel figures the beat job
``information.warm_dashboard`` keeps ready (cache 300); the live figures (cache 0) are printed
too, as the cost of one warm-up; the district registry recap under 30 s. Each
report is built in a child process (``--build`` below) so that its peak RSS is its own.
Exit status 1 when a target is missed.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_programs import (  # noqa: E402
    DESA_A,
    KABUPATEN,
    KECAMATAN_A,
    database_url,
    ensure_database,
)
from scripts.bench_programs import seed as seed_programs  # noqa: E402
from scripts.bench_referrals import SEED_REFERRALS  # noqa: E402

DASHBOARD_TARGET_MS = 1000
RECAP_TARGET_S = 30
REPORTS = ["registry_recap", "program_recipients", "data_quality", "referral_log"]

SEED_QUALITY = [
    "SELECT setseed(0.2030)",
    """UPDATE households_household SET last_verified = current_date - (random() * 540)::int
       WHERE random() < 0.7""",
    "UPDATE households_member SET nik_flags = '{birth_date}' WHERE random() < 0.01",
]


def seed(households: int, referrals: int):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from programs.models import Agency
    from referrals.models import Referral
    from referrals.services import ensure_service_levels

    seed_programs(households)
    ensure_service_levels()
    if Referral.objects.exists():
        return
    admin = get_user_model().objects.get(username="admin")
    dinsos, _ = Agency.objects.get_or_create(
        code="bench-dinsos",
        defaults={"name": "Dinas Sosial Kabupaten Malang", "kind": "opd", "region_id": KABUPATEN},
    )
    params = {
        "kabupaten": KABUPATEN,
        "kecamatan_a": KECAMATAN_A,
        "desa_a": DESA_A,
        "intakes": referrals * 2 // 3,
        "referrals": referrals,
        "user": admin.pk,
        "dinsos": dinsos.pk,
    }
    started = time.monotonic()
    print(f"Membangun rujukan ({referrals:,}) dan catatan kualitas data …")
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in SEED_REFERRALS + SEED_QUALITY:
            cursor.execute(statement, params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  selesai dalam {time.monotonic() - started:.0f} s")


def build_in_child(report_id: int, database: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of building one report in a fresh process."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, __file__, "--build", str(report_id), "--database", database],
        check=True,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    return seconds, int(done.stdout.split()[-1]) / 1024


def setup(database: str):
    url = database_url(database)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--referrals", type=int, default=300_000)
    parser.add_argument("--database", default="terpadu_bench_information")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup(args.database)

    from information import services

    if args.build:
        # The child: build one report like the worker does (the file goes to TERPADU_DATA_DIR).
        services.build(args.build)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from core.reports import warm_figures
    from households.models import Household, Member
    from information.models import Report
    from programs.models import Enrolment
    from referrals.models import Referral

    seed(args.households, args.referrals)
    setup_test_environment()
    print()
    print(
        f"Data: {Household.objects.count():,} keluarga, {Member.objects.count():,} anggota, "
        f"{Enrolment.objects.count():,} kepesertaan, {Referral.objects.count():,} rujukan"
    )
    failed = False
    users = get_user_model().objects.in_bulk(["admin", "operator.a"], field_name="username")
    print()
    print(f"{'beranda (dasbor)':<28} {'cache':<6} {'median ms':>10} {'di SQL':>8} {'query':>6}")
    for label, user in (("kabupaten", users["admin"]), ("kecamatan", users["operator.a"])):
        client = Client()
        client.force_login(user)
        for cache_seconds in (0, 300):
            settings.DASHBOARD_CACHE_SECONDS = cache_seconds
            if cache_seconds:
                warm_figures([user.profile.area_code])
            assert client.get("/").status_code == 200
            times, sql = [], []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    client.get("/")
                    times.append((time.perf_counter() - started) * 1000)
                sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            median = statistics.median(times)
            verdict = "OK" if median < DASHBOARD_TARGET_MS else "LAMBAT"
            failed |= cache_seconds > 0 and verdict != "OK"
            print(
                f"{label:<28} {cache_seconds:<6} {median:10.1f} {statistics.median(sql):8.1f}"
                f" {len(queries):6}  {verdict}"
            )
    settings.DASHBOARD_CACHE_SECONDS = 300
    started = time.monotonic()
    warmed = services.warm_dashboard()
    print(
        f"warm_dashboard (kabupaten + kecamatan): {warmed} panel-wilayah"
        f" dalam {time.monotonic() - started:.1f} s"
    )
    print()
    print(f"{'laporan kabupaten':<28} {'detik':>8} {'baris':>10} {'RSS puncak MB':>14}")
    now = timezone.now()
    for kind in REPORTS:
        report = Report.objects.create(
            kind=kind,
            area_id=KABUPATEN,
            year=now.year,
            created_at=now,
            expires_at=now + timezone.timedelta(days=1),
        )
        seconds, peak = build_in_child(report.pk, args.database)
        report.refresh_from_db()
        verdict = report.status
        if kind == "registry_recap" and seconds > RECAP_TARGET_S:
            failed, verdict = True, "LAMBAT"
        print(f"{kind:<28} {seconds:8.1f} {report.rows_written:10,} {peak:14.0f}  {verdict}")
        services.prune(now=now + timezone.timedelta(days=2))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
