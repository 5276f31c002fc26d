"""Referral speed at district scale: the referral lists, the overdue list, a provider's inbox and
the overview as the district admin, a kecamatan operator and a puskesmas partner, and the daily
overdue job.

Usage (from the project root)::

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_referrals.py [--households 300000]
        [--intakes 200000] [--referrals 300000] [--database terpadu_bench_referrals] [--repeat 5]

It works in its own database (default ``terpadu_bench_referrals`` on the server of
``DATABASE_URL``), created when missing: the households and members of
``scripts/bench_programs.py`` (same SQL, Kabupaten Malang), the national catalogue's agencies plus
one puskesmas per kecamatan (the demo partner ``mitra`` works at kecamatan A's), a Puskesos per
desa, then set-based in SQL: ``--intakes`` intakes of registered members (one to three needs,
over the last 400 days) and ``--referrals`` referrals of those needs (health needs to the
kecamatan's puskesmas, the rest to the Dinas Sosial or another agency), in every status: about
a quarter still open, a tenth of those past their due date.

Targets (issue #10): each page under 300 ms (median of ``--repeat`` requests through Django's
test ``Client``, no network); the daily overdue job under 30 s. Exit status 1 when one misses.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_programs import (  # noqa: E402
    DESA_A,
    KABUPATEN,
    KECAMATAN_A,
    SEED_HOUSEHOLDS,
    database_url,
    ensure_database,
)

PAGE_TARGET_MS = 300
JOB_TARGET_S = 30
SOURCE = "bench-referrals"

SEED_REFERRALS = [
    "SELECT setseed(0.2029)",
    # One puskesmas per kecamatan of the district.
    """
    INSERT INTO programs_agency (code, name, kind, cluster, region_code, address, phone, email,
                                 active)
    SELECT 'bench-pkm-' || code, 'Puskesmas ' || name, 'kesehatan', '', code, '', '', '', true
    FROM households_region WHERE level = 3 AND code LIKE %(kabupaten)s || '.%%'
    ON CONFLICT (code) DO NOTHING
    """,
    """
    INSERT INTO referrals_servicepoint (name, region_id, address, phone, letterhead_title,
        signer_name, signer_title, signer_nip, active)
    SELECT 'Puskesos ' || name, code, '', '', '', '', '', '', true
    FROM households_region WHERE level = 4 AND code LIKE %(kabupaten)s || '.%%'
    """,
    """
    CREATE TEMP TABLE bench_heads AS
    SELECT m.id AS member_id, h.id AS household_id, h.desa_code,
           row_number() OVER (ORDER BY random()) AS n
    FROM households_member m JOIN households_household h ON h.id = m.household_id
    WHERE m.hubungan_keluarga = 1
    """,
    """
    INSERT INTO referrals_intake (service_point_id, desa_id, household_id, member_id,
        person_name, contact, channel, story, consent, consent_note, created_by_id, created_at)
    SELECT sp.id, b.desa_code, b.household_id, b.member_id, '', '',
        (ARRAY['datang', 'telepon', 'kunjungan'])[1 + (b.n %% 3)],
        'Cerita bench ' || b.n, 'warga', '', %(user)s,
        now() - (random() * 400 || ' days')::interval
    FROM bench_heads b
    JOIN referrals_servicepoint sp ON sp.region_id = b.desa_code
    WHERE b.n <= %(intakes)s
    """,
    """
    INSERT INTO referrals_intakeneed (intake_id, need, description)
    SELECT i.id, (ARRAY['kesehatan', 'pendidikan', 'sosial_ekonomi', 'adminduk', 'perumahan',
                        'pangan'])[1 + ((i.id + k) %% 6)], ''
    FROM referrals_intake i, generate_series(0, 2) k
    WHERE k = 0 OR (k = 1 AND i.id %% 2 = 0) OR (k = 2 AND i.id %% 5 = 0)
    """,
    """
    INSERT INTO referrals_referral (reference, intake_id, need_id, desa_id, household_id,
        agency_id, service_point_id, reason, document, consent, consent_note, status, sent_on,
        due_date, overdue_since, outcome, closing_reason, created_by_id, created_at, updated_at)
    SELECT 'RJK/' || i.desa_id || '/' || n.id, i.id, n.id, i.desa_id, i.household_id,
        CASE WHEN n.need = 'kesehatan'
             THEN (SELECT id FROM programs_agency WHERE code = 'bench-pkm-' || left(i.desa_id, 8))
             ELSE %(dinsos)s END,
        i.service_point_id, 'Rujukan bench', '', 'warga', '', st.status, i.created_at::date,
        i.created_at::date + 14, NULL,
        CASE WHEN st.status = 'completed' THEN 'Sudah dilayani' ELSE '' END,
        '', %(user)s, i.created_at, i.created_at
    FROM referrals_intakeneed n
    JOIN referrals_intake i ON i.id = n.intake_id
    CROSS JOIN LATERAL (SELECT CASE
        WHEN i.created_at > now() - interval '40 days' THEN
            (ARRAY['sent', 'accepted', 'in_service', 'completed'])[1 + (n.id %% 4)]
        ELSE (ARRAY['completed', 'completed', 'completed', 'rejected', 'unresolved', 'revoked',
                    'sent', 'accepted', 'in_service', 'completed'])[1 + (n.id %% 10)] END
        AS status) st
    ORDER BY n.id
    LIMIT %(referrals)s
    """,
    """
    INSERT INTO referrals_referralevent (referral_id, from_status, to_status, note, user_id, at)
    SELECT id, '', 'sent', '', created_by_id, created_at FROM referrals_referral
    """,
]


def seed(households: int, intakes: int, referrals: int):
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.demo import seed_demo_staff
    from core.models import Region
    from households.models import Household
    from programs.models import Agency, AgencyStaff
    from programs.services.catalogue import load_catalogue
    from referrals.models import Referral
    from referrals.services import ensure_service_levels

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=KABUPATEN).exists():
        call_command("load_regions")
    seed_demo_staff()
    load_catalogue()
    ensure_service_levels()
    if (
        Household.objects.filter(data_source=SOURCE).count() == households
        and Referral.objects.count() == referrals
    ):
        return
    if Household.objects.exclude(data_source=SOURCE).exists():
        raise SystemExit("Database ini berisi data lain: pakai database bench tersendiri.")
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    dinsos, _ = Agency.objects.get_or_create(
        code="bench-dinsos",
        defaults={"name": "Dinas Sosial Kabupaten Malang", "kind": "opd", "region_id": KABUPATEN},
    )
    params = {
        "n": households,
        "source": SOURCE,
        "kabupaten": KABUPATEN,
        "kecamatan_a": KECAMATAN_A,
        "desa_a": DESA_A,
        "intakes": intakes,
        "referrals": referrals,
        "user": admin.pk,
        "dinsos": dinsos.pk,
    }
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE referrals_referralevent, referrals_referral, referrals_intakeneed,"
            " referrals_intake, referrals_servicepoint, households_member,"
            " households_household CASCADE"
        )
        print(f"Membangun {households:,} keluarga, {intakes:,} layanan, {referrals:,} rujukan …")
        for statement in SEED_HOUSEHOLDS + SEED_REFERRALS:
            cursor.execute(statement, params)
    partner = get_user_model().objects.get(username="mitra")
    AgencyStaff.objects.update_or_create(
        user=partner, defaults={"agency": Agency.objects.get(code=f"bench-pkm-{KECAMATAN_A}")}
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  selesai dalam {time.monotonic() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--intakes", type=int, default=200_000)
    parser.add_argument("--referrals", type=int, default=300_000)
    parser.add_argument("--database", default="terpadu_bench_referrals")
    parser.add_argument("--repeat", type=int, default=5)
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
    from django.urls import reverse

    from referrals.models import Intake, Referral
    from referrals.services import mark_overdue

    seed(args.households, args.intakes, args.referrals)
    setup_test_environment()
    users = get_user_model().objects.in_bulk(
        ["admin", "operator.a", "mitra", "puskesos"], field_name="username"
    )
    print()
    print(
        f"Data: {Intake.objects.count():,} layanan, {Referral.objects.count():,} rujukan, "
        f"{Referral.objects.open().count():,} masih berjalan, "
        f"{Referral.objects.overdue().count():,} terlambat; median dari {args.repeat} (ms)"
    )
    failed = False
    Referral.objects.update(overdue_since=None)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE referrals_referral")
    started = time.monotonic()
    result = mark_overdue()
    job_s = time.monotonic() - started
    verdict = "OK" if job_s < JOB_TARGET_S else "LAMBAT"
    failed |= verdict != "OK"
    print(f"\nTugas harian rujukan terlambat: {job_s:.1f} s ({result})  {verdict}\n")

    lists = reverse("referrals:referral_list")
    cases = [
        ("admin", "ringkasan rujukan", reverse("referrals:index")),
        ("admin", "daftar rujukan", lists),
        ("admin", "daftar rujukan, terlambat", lists + "?terlambat=on"),
        ("admin", "daftar rujukan, masih berjalan", lists + "?status=open"),
        ("admin", "daftar rujukan, halaman 200", lists + "?page=200"),
        ("admin", "daftar rujukan, cari nomor", lists + "?q=123456"),
        ("admin", "layanan warga", reverse("referrals:intake_list")),
        ("operator.a", "daftar rujukan (kecamatan)", lists),
        ("operator.a", "terlambat (kecamatan)", lists + "?terlambat=on"),
        ("puskesos", "log harian", reverse("referrals:service_log")),
        ("mitra", "rujukan masuk (puskesmas)", reverse("referrals:inbox")),
        ("mitra", "rujukan masuk, masih berjalan", reverse("referrals:inbox") + "?status=open"),
    ]
    print(f"{'pengguna':<11} {'halaman':<34} {'median':>8} {'di SQL':>8} {'query':>6}  hasil")
    clients = {}
    for username, name, target in cases:
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(users[username])
        response = client.get(target)
        if response.status_code != 200:
            raise RuntimeError(f"{target} → {response.status_code}")
        times, sql_times = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                begun = time.perf_counter()
                client.get(target)
                times.append((time.perf_counter() - begun) * 1000)
            sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        median = statistics.median(times)
        verdict = "OK" if median < PAGE_TARGET_MS else "LAMBAT"
        failed |= verdict != "OK"
        print(
            f"{username:<11} {name:<34} {median:8.1f} {statistics.median(sql_times):8.1f}"
            f" {len(queries):6}  {verdict}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
