"""Complaints speed at district scale: the officer lists, the pattern figures, the public status
page and the public form's sustained rate.

Usage (from the project root)::

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_complaints.py [--households 300000]
        [--complaints 100000] [--database terpadu_bench_complaints] [--repeat 5]
        [--submissions 200]

It works in its own database (default ``terpadu_bench_complaints`` on the server of
``DATABASE_URL``), created when missing: migrate, the region list, the demo users, then in SQL
(``generate_series``, ``random()`` with a fixed seed) households of Kabupaten Malang (35.07,
kecamatan A weighted four times, no members: complaints only link households) and complaints
received over the last two years — older ones mostly closed (5% rejected), recent ones spread
over every status; 30% linked to a household, 15% to a program; each with its timeline
(submitted, triaged, resolved, closed as far as it got). One more complaint goes through the
public form's service, so the status page is timed with a real ticket and code.

Seeding runs only into an empty database or one this script seeded (households marked
``data_source = 'bench-complaints'``); a rerun with the same sizes reuses the data.

Times through Django's test ``Client`` (middleware, session, queries, template; no network),
median of ``--repeat`` requests, with the query count: officer lists and pattern figures
(target 300 ms) as the district admin, a kecamatan operator and the district complaint
officer; the public status page (target 100 ms) as a visitor. Then ``--submissions`` public
complaints one after another, each from its own address (the per-address limit is not what is
measured), as complaints per second (target 20/s), and one address past its limit (429).
The exit status is 1 when a target is missed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_programs import (  # noqa: E402
    SEED_HOUSEHOLDS,
    TimedOut,
    database_url,
    ensure_database,
    guarded,
)

LIST_TARGET_MS = 300
STATUS_TARGET_MS = 100
SUBMIT_TARGET_PER_S = 20
STATEMENT_TIMEOUT_S = 30
SOURCE = "bench-complaints"
KABUPATEN = "35.07"
KECAMATAN_A = "35.07.01"
DESA_A = "35.07.01.2001"

# The households of bench_programs without their members (statements 0–2), and the sequence.
HOUSEHOLD_STATEMENTS = [
    *SEED_HOUSEHOLDS[:3],
    """SELECT setval(pg_get_serial_sequence('households_household', 'id'),
                     (SELECT max(id) FROM households_household))""",
]

SEED_COMPLAINTS = [
    "SELECT setseed(0.2030)",
    """
    CREATE TEMP TABLE bench_refs AS SELECT
        (SELECT array_agg(id ORDER BY id) FROM complaints_category) AS categories,
        (SELECT array_agg(service_days ORDER BY id) FROM complaints_category) AS days,
        (SELECT array_agg(id ORDER BY id) FROM programs_program) AS programs,
        (SELECT array_agg(id ORDER BY id) FROM auth_user
         WHERE username IN ('admin', 'pengaduan', 'operator.a', 'operator.b')) AS officers,
        (SELECT max(id) FROM households_household) AS households
    """,
    """
    CREATE TEMP TABLE bench_complaints AS
    SELECT i, c AS category_index, d.codes[1 + floor(random() * array_length(d.codes, 1))::int]
               AS desa,
        now() - (random() * 730 || ' days')::interval AS received,
        random() AS state, random() AS speed, random() AS link, random() AS pick
    FROM generate_series(1, %(n)s) i,
         LATERAL (SELECT 1 + floor(random() * 8)::int + i * 0 AS c) cat,
         bench_desa d
    """,
    """
    INSERT INTO complaints_complaint (
        tracking_hash, channel, category_id, priority, description, nik, no_kk, desa_id,
        anonymous, complainant_name, complainant_contact, attachment, household_id, program_id,
        assignee_id, status, status_reason, service_days, due_date, escalation_level,
        decision, public_reply, received_at, resolved_at, closed_at, updated_at)
    SELECT md5('bench' || b.i), (ARRAY['web', 'web', 'web', 'walk_in', 'phone', 'whatsapp',
                                       'letter', 'lapor'])[1 + b.i %% 8],
        r.categories[b.category_index], 'normal',
        'Pengaduan bench nomor ' || b.i || ': bantuan belum diterima sejak tahap lalu.', '', '',
        b.desa, b.pick < 0.2, 'Pelapor ' || b.i, '0812' || lpad(b.i::text, 8, '0'), '',
        CASE WHEN b.link < 0.3 THEN 1 + floor(b.link * 1000003)::bigint %% r.households END,
        CASE WHEN b.link > 0.85 THEN r.programs[1 + b.i %% array_length(r.programs, 1)] END,
        CASE WHEN s.status <> 'received' THEN r.officers[1 + b.i %% 4] END,
        s.status, CASE WHEN s.status = 'rejected' THEN 'Bukan wewenang dinas.' ELSE '' END,
        r.days[b.category_index],
        (b.received::date + r.days[b.category_index] * 7 / 5 + 1),
        CASE WHEN s.status IN ('received', 'triaged', 'in_progress')
              AND b.received::date + r.days[b.category_index] * 7 / 5 + 1 < current_date
             THEN 1 ELSE 0 END,
        CASE WHEN s.status IN ('resolved', 'closed') THEN
             (ARRAY['upheld', 'partly_upheld', 'not_upheld', 'withdrawn', 'data_update'])
             [1 + b.i %% 5] ELSE '' END,
        CASE WHEN s.status IN ('resolved', 'closed') THEN 'Sudah ditindaklanjuti.' ELSE '' END,
        b.received,
        CASE WHEN s.status IN ('resolved', 'closed') THEN
             b.received + (b.speed * r.days[b.category_index] * 2 || ' days')::interval END,
        CASE WHEN s.status IN ('closed', 'rejected') THEN
             b.received + (r.days[b.category_index] * 2 + 1 || ' days')::interval END,
        b.received
    FROM bench_complaints b, bench_refs r,
         LATERAL (SELECT CASE
             WHEN b.received < now() - interval '60 days' THEN
                  CASE WHEN b.state < 0.85 THEN 'closed' WHEN b.state < 0.90 THEN 'rejected'
                       WHEN b.state < 0.97 THEN 'resolved' ELSE 'in_progress' END
             ELSE CASE WHEN b.state < 0.2 THEN 'received' WHEN b.state < 0.35 THEN 'triaged'
                       WHEN b.state < 0.6 THEN 'in_progress' WHEN b.state < 0.8 THEN 'resolved'
                       WHEN b.state < 0.95 THEN 'closed' ELSE 'rejected' END
             END AS status) s
    ORDER BY b.received
    """,
    """
    INSERT INTO complaints_complaintevent (complaint_id, kind, from_status, to_status, text,
                                          public, by_id, at)
    SELECT id, 'submitted', '', 'received', '', true, NULL, received_at
    FROM complaints_complaint
    UNION ALL
    SELECT id, 'triaged', 'received', 'triaged', '', true, assignee_id,
           received_at + interval '1 day'
    FROM complaints_complaint WHERE status <> 'received'
    UNION ALL
    SELECT id, 'resolved', 'in_progress', 'resolved', public_reply, true, assignee_id, resolved_at
    FROM complaints_complaint WHERE resolved_at IS NOT NULL
    UNION ALL
    SELECT id, CASE status WHEN 'rejected' THEN 'rejected' ELSE 'closed' END, '', status,
           status_reason, true, assignee_id, closed_at
    FROM complaints_complaint WHERE closed_at IS NOT NULL
    """,
]


def seed(households: int, complaints: int):
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.demo import seed_demo_staff
    from complaints.models import Complaint
    from core.models import Region
    from households.models import Household
    from programs.services.catalogue import load_catalogue

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=KABUPATEN).exists():
        call_command("load_regions")
    seed_demo_staff()
    load_catalogue()
    ours = Household.objects.filter(data_source=SOURCE).count()
    if ours == households and Complaint.objects.count() == complaints + 1:
        return
    if Household.objects.exclude(data_source=SOURCE).exists():
        raise SystemExit("Database ini berisi data lain: pakai database bench tersendiri.")
    params = {
        "n": households,
        "source": SOURCE,
        "kabupaten": KABUPATEN,
        "kecamatan_a": KECAMATAN_A,
        "desa_a": DESA_A,
    }
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE complaints_complaintevent, complaints_complaint,"
            " core_notification, households_household CASCADE"
            if _has_table("core_notification")
            else "TRUNCATE complaints_complaintevent, complaints_complaint,"
            " households_household CASCADE"
        )
        print(f"Membangun {households:,} keluarga dan {complaints:,} pengaduan bench …")
        for statement in HOUSEHOLD_STATEMENTS:
            cursor.execute(statement, params)
        for statement in SEED_COMPLAINTS:
            cursor.execute(statement, {**params, "n": complaints})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  selesai dalam {time.monotonic() - started:.0f} s")


def _has_table(name: str) -> bool:
    from django.db import connection

    return name in connection.introspection.table_names()


def timed(client, method, url, data, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, method)
    response = guarded(lambda: call(url, data) if data else call(url))
    if response.status_code != 200:
        raise RuntimeError(f"{url} → {response.status_code}")
    times, sql = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call(url, data) if data else call(url)
            times.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return statistics.median(times), statistics.median(sql), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--database", default="terpadu_bench_complaints")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=200)
    args = parser.parse_args()

    url = database_url(args.database)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from complaints.models import Category, Complaint, ComplaintEvent
    from complaints.services import intake
    from households.models import Household

    seed(args.households, args.complaints)
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT_S}s'")
    category = Category.objects.get(code="bantuan-belum-diterima")
    probe = Complaint.objects.filter(description__startswith="Probe bench").first()
    if probe is None:
        submitted = intake.submit_public(
            category=category,
            desa_code=DESA_A,
            description="Probe bench: status page timing.",
            anonymous=True,
        )
        probe, code = submitted.complaint, submitted.tracking_code
    else:
        code = probe.set_tracking_code()
        Complaint.objects.filter(pk=probe.pk).update(tracking_hash=probe.tracking_hash)

    users = get_user_model().objects.in_bulk(
        ["admin", "operator.a", "pengaduan"], field_name="username"
    )
    people = (
        ("kabupaten", users["admin"]),
        ("kecamatan", users["operator.a"]),
        ("petugas", users["pengaduan"]),
    )
    pages = [
        ("daftar pengaduan", "/pengaduan/"),
        ("daftar: lewat batas waktu", "/pengaduan/?sla=overdue"),
        ("daftar: mendekati batas", "/pengaduan/?sla=at_risk"),
        ("daftar: status + kategori", f"/pengaduan/?status=in_progress&category={category.pk}"),
        ("daftar: petugas saya", "/pengaduan/?petugas=saya"),
        ("daftar: cari kata", "/pengaduan/?q=nomor+4242"),
        ("daftar: halaman 40", "/pengaduan/?page=40"),
        ("pola pengaduan", "/pengaduan/pola/"),
        ("pola: kecamatan A", f"/pengaduan/pola/?kecamatan={KECAMATAN_A}"),
        ("pola: unduh xlsx", "/pengaduan/pola/unduh/xlsx/"),
        ("satu pengaduan", f"/pengaduan/{probe.pk}/"),
    ]
    failed = False
    print()
    print(
        f"Data: {Household.objects.count():,} keluarga, {Complaint.objects.count():,} pengaduan,"
        f" {ComplaintEvent.objects.count():,} langkah riwayat; median dari {args.repeat} (ms)"
    )
    print()
    print(f"{'wilayah':<10} {'halaman':<30} {'median':>8} {'di SQL':>8} {'query':>6}  hasil")
    for label, user in people:
        client = Client()
        client.force_login(user)
        for name, target in pages:
            try:
                median, sql, count = timed(client, "get", target, None, args.repeat)
            except TimedOut:
                failed = True
                print(f"{label:<10} {name:<30} {'>30 s':>8}  LAMBAT")
                continue
            verdict = "OK" if median < LIST_TARGET_MS else "LAMBAT"
            failed |= verdict != "OK"
            print(f"{label:<10} {name:<30} {median:8.1f} {sql:8.1f} {count:6}  {verdict}")

    settings.COMPLAINTS_STATUS_RATE = "1000000/h"
    settings.COMPLAINTS_SUBMIT_RATE = "1000000/h"
    visitor = Client()
    median, sql, count = timed(
        visitor, "post", "/pengaduan/cek/", {"ticket": probe.ticket, "code": code}, args.repeat
    )
    page = visitor.post("/pengaduan/cek/", {"ticket": probe.ticket, "code": code})
    assert b"status-result" in page.content, "the status page did not find the probe"
    verdict = "OK" if median < STATUS_TARGET_MS else "LAMBAT"
    failed |= verdict != "OK"
    print(
        f"{'publik':<10} {'halaman status (kode benar)':<30} {median:8.1f} {sql:8.1f}"
        f" {count:6}  {verdict}"
    )
    median, sql, count = timed(
        visitor,
        "post",
        "/pengaduan/cek/",
        {"ticket": probe.ticket, "code": "X" * 10},
        args.repeat,
    )
    print(f"{'publik':<10} {'halaman status (kode salah)':<30} {median:8.1f} {sql:8.1f} {count:6}")

    form = {
        "category": category.pk,
        "desa": DESA_A,
        "description": "Bantuan sembako bulan ini belum diterima (bench).",
        "anonymous": "on",
        "website": "",
    }
    before = Complaint.objects.count()
    started = time.perf_counter()
    errors = 0
    for number in range(args.submissions):
        response = visitor.post(
            "/pengaduan/lapor/",
            form,
            REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
        )
        errors += response.status_code != 302
    elapsed = time.perf_counter() - started
    rate = args.submissions / elapsed
    stored = Complaint.objects.count() - before
    verdict = "OK" if rate >= SUBMIT_TARGET_PER_S and not errors else "LAMBAT"
    failed |= verdict != "OK"
    print(
        f"{'publik':<10} {'kirim pengaduan':<30} {rate:8.1f}/s ({args.submissions} dikirim,"
        f" {stored} tersimpan, {errors} galat)  {verdict}"
    )
    settings.COMPLAINTS_SUBMIT_RATE = "5/h"
    answers = [
        visitor.post("/pengaduan/lapor/", form, REMOTE_ADDR="192.0.2.77").status_code
        for _ in range(7)
    ]
    print(f"{'publik':<10} {'satu alamat, 7 kiriman':<30} {answers}")
    Complaint.objects.filter(pk__gt=before + 0, description__contains="(bench)").delete()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
