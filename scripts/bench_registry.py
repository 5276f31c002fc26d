"""Registry speed at district scale: list with each filter, NIK/No KK and name search, household
page, and the query count per page size.

Usage (from the project root)::

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_registry.py [--households 300000]
        [--database terpadu_bench] [--repeat 20]

It works in its own database (default ``terpadu_bench`` on the server of ``DATABASE_URL``),
building it when missing: migrate, the region list, and ``seed_demo --households N`` (about
3.45 members per household; 300,000 households take about 1.5 minutes). Times are server time
measured around Django's test ``Client`` (middleware, session, queries and template rendering;
no network), median of ``--repeat`` requests, as the district admin (whole kabupaten) and as a
kecamatan operator. Searches use a different NIK / misspelled name / household per request so
that one cached row does not flatter the figure.

Targets: list and searches < 300 ms, household page < 150 ms, same query count for 25 and 100
rows per page. The exit status is 1 when a target is missed.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIST_TARGET_MS = 300
PAGE_TARGET_MS = 150


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/terpadu")
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def ensure_database(url: str):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"Membuat database {name} …")
            connection.execute(f'CREATE DATABASE "{name}"')


def build(households: int):
    from django.core.management import call_command

    from core.models import Region
    from households.demo import demo_household_count

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="35.07").exists():
        call_command("load_regions")
    if demo_household_count() < households:
        started = time.monotonic()
        print(f"Membangun {households:,} keluarga demo …")
        call_command("seed_demo", households=households, quiet=True)
        print(f"  selesai dalam {time.monotonic() - started:.0f} s")
    else:
        call_command("seed_demo", households=0, quiet=True)


def timed(client, url: str):
    """(server ms, of which in SQL ms, response)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} → {response.status_code}")
    in_sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    return elapsed, in_sql, response


def misspell(name: str, rng: random.Random) -> str:
    """One typing slip in a longer word of the name, like the registry's spelling variants."""
    words = name.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    position = rng.randint(1, len(word) - 2)
    words[index] = word[:position] + word[position] + word[position:]
    return " ".join(words)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--database", default="terpadu_bench")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    url = database_url(args.database)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from households.models import Household, Member

    build(args.households)
    setup_test_environment()
    rng = random.Random(2026)
    users = get_user_model().objects.in_bulk(["admin", "operator.a"], field_name="username")
    clients = {}
    for label, username in (("kabupaten", "admin"), ("kecamatan", "operator.a")):
        client = Client()
        client.force_login(users[username])
        clients[label] = client

    area_members = {
        "kabupaten": Member.objects.filter(household__desa__code__startswith="35.07."),
        "kecamatan": Member.objects.filter(household__desa__code__startswith="35.07.01."),
    }
    samples = {}
    for label, members in area_members.items():
        picked = list(
            members.exclude(nik=None)
            .filter(pk__in=[rng.randint(1, 1_000_000) for _ in range(400)])
            .values_list("nik", "nama", "household_id", "household__no_kk")[: args.repeat]
        )
        samples[label] = picked

    def urls_for(label, case):
        picked = samples[label]
        if case == "cari NIK":
            return [f"/data/?q={nik}" for nik, *_rest in picked]
        if case == "cari No. KK":
            return [f"/data/?q={no_kk}" for *_rest, no_kk in picked]
        if case == "cari nama (salah eja)":
            return ["/data/?" + urlencode({"q": misspell(nama, rng)}) for _n, nama, *_r in picked]
        if case == "halaman keluarga":
            return [f"/data/keluarga/{household}/" for _n, _m, household, _k in picked]
        return ["/data/" + ("?" + case if case else "")] * args.repeat

    list_cases = [
        "",
        "kecamatan=35.07.09",
        "kecamatan=35.07.01&desa=35.07.01.2001",
        "desil=1",
        "status=moved",
        "disabilitas=on",
        "lansia=on",
        "balita=on",
        "hamil=on",
        "nik=any",
        "nik=sex_mismatch",
        "cari NIK",
        "cari No. KK",
        "cari nama (salah eja)",
    ]
    informational = ["sort=head_name", "sort=-member_count", "sort=-last_verified", "page=200"]
    rows = []
    failed = False
    for label, client in clients.items():
        for case in list_cases + ["halaman keluarga"] + informational:
            urls = urls_for(label, case)
            if label == "kecamatan" and case.startswith("kecamatan=35.07.09"):
                continue
            client.get(urls[0])  # warm the code paths, not the measurement
            times, sql_times = [], []
            shown = None
            for target in urls:
                elapsed, in_sql, response = timed(client, target)
                times.append(elapsed)
                sql_times.append(in_sql)
                table = response.context.get("table") if response.context else None
                if table is not None and shown is None:
                    shown = table.paginator.count
            median = statistics.median(times)
            target_ms = PAGE_TARGET_MS if case == "halaman keluarga" else LIST_TARGET_MS
            verdict = "info" if case in informational else "OK" if median < target_ms else "LAMBAT"
            failed |= verdict == "LAMBAT"
            sql_median = statistics.median(sql_times)
            rows.append(
                (label, case or "(tanpa filter)", median, sql_median, max(times), shown, verdict)
            )

    print()
    print(
        f"Registri: {Household.objects.count():,} keluarga, {Member.objects.count():,} anggota; "
        f"median dari {args.repeat} permintaan (ms)"
    )
    print(
        f"{'wilayah':<10} {'kasus':<38} {'median':>7} {'di SQL':>7} {'maks':>7} {'baris':>7}  hasil"
    )
    for label, case, median, sql_median, worst, shown, verdict in rows:
        count = "" if shown is None else f"{shown:,}"
        print(
            f"{label:<10} {case:<38} {median:7.1f} {sql_median:7.1f} {worst:7.1f} {count:>7}"
            f"  {verdict}"
        )

    print()
    print("Jumlah query per halaman (harus sama untuk 25 dan 100 baris):")
    print(f"{'wilayah':<10} {'kasus':<38} {'25':>5} {'100':>5}  hasil")
    for label, client in clients.items():
        for case in ["", "desil=2&balita=on", "cari nama (salah eja)", "sort=head_name"]:
            base = urls_for(label, case)[0]
            counts = []
            for per_page in (25, 100):
                joiner = "&" if "?" in base else "?"
                with CaptureQueriesContext(connection) as queries:
                    client.get(f"{base}{joiner}per_page={per_page}")
                counts.append(len(queries))
            verdict = "OK" if counts[0] == counts[1] else "TUMBUH"
            failed |= verdict != "OK"
            shown = case or "(tanpa filter)"
            print(f"{label:<10} {shown:<38} {counts[0]:>5} {counts[1]:>5}  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
