"""Programs speed at district scale: every function of ``programs.services.synergy`` and every
synergy page, as the district admin (whole kabupaten) and as a kecamatan operator.

Usage (from the project root)::

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_programs.py [--households 300000]
        [--database terpadu_bench_programs] [--repeat 5]

It works in its own database (default ``terpadu_bench_programs`` on the server of
``DATABASE_URL``), created when missing: migrate, the region list, the national catalogue, the
demo users, then everything else set-based in SQL (``generate_series`` and ``random()`` with a
fixed seed), in Kabupaten Malang (35.07), kecamatan A weighted four times like the demo:

- households (desil weighted like the demo, ~4% moved or inactive) and ~3.45 members each;
- ~1.7 enrolments per household: PKH, Sembako, BLT-DD by desil; PBI-JK and PIP per member;
  Rutilahu and PENA for a few; 3% of the national lists above the ceiling (flagged, with a
  justification); 86% active, 7% proposed, 2% suspended, 5% graduated (social assistance) or
  exited; 40% of the graduated households followed by a UEP enrolment after the graduation;
- the disbursements of last year and this year's past periods of every active or graduated
  payment (PBI-JK is a service: no disbursement);
- targets per program and year for the district and 90% of the kecamatan (one planned 0);
- ~1,000 facilitators (role pendamping) on a desa or a kecamatan;
- KUBE groups in 60% of the desa, 5–10 members each, three progress records (two thirds
  productive).

Seeding runs only into an empty database or one this script seeded (households marked
``data_source = 'bench-programs'``); it never touches another database. 300,000 households take
a few minutes on the 2-core machine; a rerun with the same ``--households`` reuses the data.

Times: each service function is called the way its page calls it (a queryset is counted and
its first page of 25 fetched), median of ``--repeat`` runs; each page through Django's test
``Client`` (middleware, session, queries, template; no network), median of ``--repeat``
requests, with the query count. Target: under 1 s each; the exit status is 1 when one misses.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 1000
# A query planned badly can run for many minutes at this scale: cut it and report it.
STATEMENT_TIMEOUT_S = 30
SOURCE = "bench-programs"
KABUPATEN = "35.07"
KECAMATAN_A = "35.07.01"
DESA_A = "35.07.01.2001"


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


# Each statement is one set-based step; %(n)s is the number of households.
SEED_HOUSEHOLDS = [
    "SELECT setseed(0.2026)",
    """
    CREATE TEMP TABLE bench_desa AS
    SELECT array_agg(code ORDER BY code) AS codes FROM (
        SELECT code FROM households_region, generate_series(1, CASE
            WHEN code = %(desa_a)s THEN 12 WHEN code LIKE %(kecamatan_a)s || '.%%' THEN 4
            ELSE 1 END)
        WHERE level = 4 AND code LIKE %(kabupaten)s || '.%%'
    ) weighted
    """,
    """
    INSERT INTO households_household (
        id, no_kk, alamat, rt, rw, dusun, desil, status_rumah, jenis_lantai, jenis_dinding,
        jenis_atap, sumber_air_minum, sumber_penerangan, bahan_bakar_memasak, fasilitas_bab,
        jenis_kloset, pembuangan_akhir_tinja, assets, livestock, status, data_source, version,
        created_at, updated_at, desa_code)
    SELECT i, '3507' || lpad(i::text, 12, '0'), 'Jl. Bench ' || i, lpad((i %% 9 + 1)::text, 3, '0'),
        lpad((i %% 5 + 1)::text, 3, '0'), 'Krajan',
        CASE WHEN r < 0.03 THEN NULL WHEN r < 0.27 THEN 1 WHEN r < 0.48 THEN 2 WHEN r < 0.65 THEN 3
             WHEN r < 0.79 THEN 4 WHEN r < 0.89 THEN 5 WHEN r < 0.94 THEN 6 WHEN r < 0.97 THEN 7
             WHEN r < 0.985 THEN 8 WHEN r < 0.995 THEN 9 ELSE 10 END,
        'milik_sendiri', '', '', '', '', '', '', '', '', '', '{}', '{}',
        CASE WHEN s < 0.02 THEN 'moved' WHEN s < 0.04 THEN 'inactive' ELSE 'active' END,
        %(source)s, 1, now(), now(),
        d.codes[1 + floor(random() * array_length(d.codes, 1))::int]
    FROM (SELECT i, random() AS r, random() AS s FROM generate_series(1, %(n)s) i) h, bench_desa d
    """,
    """
    INSERT INTO households_member (
        id, nik, nama, jenis_kelamin, tempat_lahir, tanggal_lahir, hubungan_keluarga,
        status_kawin, nama_ibu_kandung, partisipasi_sekolah, pendidikan, pekerjaan,
        status_bekerja, disabilitas, functional_difficulties, penyakit_kronis, hamil,
        kondisi_gizi, status, nik_flags, version, created_at, updated_at, household_id)
    SELECT row_number() OVER (ORDER BY h.id, k), NULL, 'Warga ' || h.id || '-' || k,
        CASE WHEN k = 2 THEN 2 ELSE 1 + (k %% 2) END, 'Malang',
        CASE WHEN k = 1 THEN current_date - (25 + floor(random() * 50))::int * 365
             WHEN k = 2 THEN current_date - (22 + floor(random() * 45))::int * 365
             ELSE current_date - floor(random() * 25 * 365)::int END,
        CASE WHEN k = 1 THEN 1 WHEN k = 2 THEN 2 ELSE 3 END,
        '', '', '', '', '', '', '', '{}', '', false, '', 'alive', '{}', 1, now(), now(), h.id
    FROM (SELECT id, CASE WHEN r < 0.10 THEN 1 WHEN r < 0.28 THEN 2 WHEN r < 0.53 THEN 3
                         WHEN r < 0.77 THEN 4 WHEN r < 0.90 THEN 5 WHEN r < 0.97 THEN 6
                         ELSE 7 END AS size
          FROM (SELECT id, random() AS r FROM households_household
                WHERE data_source = %(source)s) s) h,
         generate_series(1, h.size) k
    """,
    "UPDATE households_member SET nik = '35070' || lpad(id::text, 11, '0')",
    """SELECT setval(pg_get_serial_sequence('households_household', 'id'),
                     (SELECT max(id) FROM households_household))""",
    """SELECT setval(pg_get_serial_sequence('households_member', 'id'),
                     (SELECT max(id) FROM households_member))""",
]

# (program code, share of the eligible households, one member per household?)
ENROLMENT_SHARES = [
    ("PKH", 0.45, False),
    ("SEMBAKO", 0.60, False),
    ("PBI-JK", 0.70, True),
    ("BLT-DD", 0.30, False),
    ("PIP", 0.30, True),
    ("RUTILAHU", 0.03, False),
    ("PENA", 0.02, False),
]

ENROL = """
INSERT INTO programs_enrolment (
    program_id, household_id, member_id, status, source, start_date, end_date, reason, flags,
    justification, last_period, created_at, updated_at)
SELECT p.id, h.id, m.id, st.status, 'system',
    CASE WHEN st.status = 'proposed' THEN NULL ELSE h.started END,
    CASE WHEN st.status IN ('graduated', 'exited') THEN h.started + 300 + (h.r * 300)::int END,
    '', CASE WHEN h.desil > p.max_desil THEN '{above_ceiling}'::varchar[] ELSE '{}' END,
    CASE WHEN h.desil > p.max_desil THEN 'Tercantum di daftar penerima Kementerian Sosial.'
         ELSE '' END,
    '', h.started::timestamptz, h.started::timestamptz
FROM programs_program p
JOIN (SELECT id, desil, random() AS r, random() AS pick, random() AS flag,
             date '2022-01-01' + floor(random() * 1000)::int AS started
      FROM households_household WHERE data_source = %(source)s) h
  ON h.desil IS NOT NULL
 AND (h.desil <= p.max_desil AND h.pick < %(share)s
      OR h.desil BETWEEN p.max_desil + 1 AND p.max_desil + 2 AND h.flag < 0.03 * %(share)s)
LEFT JOIN LATERAL (
    SELECT id FROM households_member
    WHERE household_id = h.id AND %(per_member)s
      AND (NOT %(school_age)s OR tanggal_lahir BETWEEN current_date - 21 * 365
                                                   AND current_date - 6 * 365)
    ORDER BY hubungan_keluarga, id LIMIT 1) m ON true
CROSS JOIN LATERAL (SELECT CASE WHEN h.r < 0.86 THEN 'active' WHEN h.r < 0.93 THEN 'proposed'
                                WHEN h.r < 0.95 THEN 'suspended'
                                WHEN p.kind = 'bansos' THEN 'graduated' ELSE 'exited' END
                    AS status) st
WHERE p.code = %(code)s AND (NOT %(per_member)s OR m.id IS NOT NULL)
"""

SEED_PROGRAMS = [
    "SELECT setseed(0.2027)",
    # Graduated households: 40% followed by a UEP enrolment made a month after the graduation.
    """
    INSERT INTO programs_enrolment (
        program_id, household_id, status, source, start_date, reason, flags, justification,
        last_period, created_at, updated_at)
    SELECT (SELECT id FROM programs_program WHERE code = 'UEP'), g.household_id, 'active',
        'system', g.end_date + 30, '', '{}', '', '', (g.end_date + 30)::timestamptz,
        (g.end_date + 30)::timestamptz
    FROM (SELECT DISTINCT ON (household_id) household_id, end_date FROM programs_enrolment
          WHERE status = 'graduated' ORDER BY household_id, end_date) g
    WHERE random() < 0.4
    """,
    # Last year's periods and this year's periods already over.
    """
    INSERT INTO programs_disbursement (
        enrolment_id, year, period, amount, kind, channel, status, disbursed_on, reference,
        created_at, updated_at)
    SELECT e.id, y.year, pr.period,
        CASE p.code WHEN 'PKH' THEN 750000 WHEN 'SEMBAKO' THEN 600000 WHEN 'BLT-DD' THEN 300000
             WHEN 'PIP' THEN 450000 WHEN 'RUTILAHU' THEN 20000000 ELSE 5000000 END,
        CASE WHEN p.code = 'SEMBAKO' THEN 'in_kind' ELSE 'cash' END,
        CASE WHEN random() < 0.1 THEN 'pos' ELSE 'bank_kks' END,
        CASE WHEN random() < 0.02 THEN 'failed' ELSE 'disbursed' END,
        make_date(y.year, pr.period * 12 / p.periods_per_year, 15), '', now(), now()
    FROM programs_enrolment e
    JOIN programs_program p ON p.id = e.program_id AND p.kind <> 'layanan_dasar'
    CROSS JOIN (VALUES (extract(year FROM current_date)::int - 1),
                       (extract(year FROM current_date)::int)) y(year)
    CROSS JOIN LATERAL generate_series(1, p.periods_per_year) pr(period)
    WHERE e.status IN ('active', 'graduated')
      AND make_date(y.year, pr.period * 12 / p.periods_per_year, 28) < current_date
    """,
    # Targets: the district and 90% of the kecamatan, about 10% above what is realised; one
    # kecamatan planned 0.
    """
    INSERT INTO programs_programtarget (program_id, year, region_code, planned)
    SELECT p.id, y.year, k.code,
        CASE WHEN k.code = %(kabupaten)s || '.03' THEN 0
             ELSE greatest(1, round(1.1 * coalesce(r.n, 0) * (0.8 + 0.4 * random())))::int END
    FROM programs_program p
    CROSS JOIN (VALUES (extract(year FROM current_date)::int - 1),
                       (extract(year FROM current_date)::int)) y(year)
    JOIN households_region k
      ON (k.code = %(kabupaten)s OR k.level = 3 AND k.parent_id = %(kabupaten)s)
    LEFT JOIN (SELECT e.program_id, left(h.desa_code, 8) AS kecamatan,
                      count(DISTINCT e.household_id) AS n
               FROM programs_enrolment e JOIN households_household h ON h.id = e.household_id
               WHERE e.status = 'active' GROUP BY 1, 2) r
      ON r.program_id = p.id AND (r.kecamatan = k.code)
    WHERE p.kind = 'bansos' AND (k.level = 2 OR random() < 0.9)
    """,
    """
    UPDATE programs_programtarget t SET planned = greatest(1, (
        SELECT round(1.1 * count(DISTINCT e.household_id)) FROM programs_enrolment e
        WHERE e.program_id = t.program_id AND e.status = 'active'))
    WHERE t.region_code = %(kabupaten)s
    """,
    # Facilitators: one per ~300 households, 70% on a desa, 30% on a kecamatan.
    """
    INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                           is_staff, is_active, date_joined)
    SELECT '!', false, 'bench.pendamping.' || i, 'Pendamping ' || i, '', '', false, true, now()
    FROM generate_series(1, greatest(1, %(n)s / 300)) i
    """,
    """
    INSERT INTO accounts_staffprofile (role, area_code, phone, user_id)
    SELECT 'pendamping',
        CASE WHEN random() < 0.7 THEN d.code ELSE left(d.code, 8) END, '', u.id
    FROM auth_user u
    CROSS JOIN LATERAL (
        SELECT code FROM households_region
        WHERE level = 4 AND code LIKE %(kabupaten)s || '.%%' AND u.id > 0
        ORDER BY random() LIMIT 1) d
    WHERE u.username LIKE 'bench.pendamping.%%'
    """,
    # KUBE groups: 1–4 in 60% of the desa.
    """
    INSERT INTO programs_empowermentgroup (
        name, program_id, desa_code, business_type, capital_aid, formed_on, active, created_at)
    SELECT 'KUBE ' || d.code || '-' || g, (SELECT id FROM programs_program WHERE code = 'KUBE'),
        d.code, 'Ternak kambing', 20000000, current_date - 400, true, now()
    FROM (SELECT code, 1 + floor(random() * 4)::int AS groups FROM households_region
          WHERE level = 4 AND code LIKE %(kabupaten)s || '.%%') d,
         generate_series(1, d.groups) g
    WHERE random() < 0.6
    """,
    """
    INSERT INTO programs_groupmembership (group_id, member_id, joined_on)
    SELECT g.id, m.id, current_date - 400
    FROM (SELECT id, desa_code,
                 row_number() OVER (PARTITION BY desa_code ORDER BY id) - 1 AS slot,
                 5 + floor(random() * 6)::int AS size
          FROM programs_empowermentgroup) g
    JOIN (SELECT m.id, h.desa_code,
                 row_number() OVER (PARTITION BY h.desa_code ORDER BY random()) AS rank
          FROM households_member m JOIN households_household h ON h.id = m.household_id
          WHERE m.hubungan_keluarga IN (1, 2) AND h.desil <= 4 AND h.status = 'active') m
      ON m.desa_code = g.desa_code AND m.rank > g.slot * 10 AND m.rank <= g.slot * 10 + g.size
    """,
    """
    INSERT INTO programs_groupprogress (
        group_id, recorded_on, is_active, monthly_turnover, members_income, notes)
    SELECT g.id, current_date - 400 + 60 * step, step < 3 OR g.id %% 3 <> 0,
        CASE WHEN step < 3 OR g.id %% 3 <> 0 THEN 1500000 ELSE 0 END,
        CASE WHEN step < 3 OR g.id %% 3 <> 0 THEN 500000 ELSE 0 END, ''
    FROM programs_empowermentgroup g, generate_series(1, 3) step
    """,
]


def seed(households: int):
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.demo import seed_demo_staff
    from core.models import Region
    from households.models import Household
    from programs.services.catalogue import load_catalogue

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=KABUPATEN).exists():
        call_command("load_regions")
    seed_demo_staff()
    load_catalogue()
    ours = Household.objects.filter(data_source=SOURCE).count()
    if ours == households:
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
        if ours:
            print(f"Menghapus {ours:,} keluarga bench lama …")
            cursor.execute(
                "TRUNCATE programs_groupprogress, programs_groupmembership,"
                " programs_empowermentgroup, programs_disbursement,"
                " programs_enrolmentstatuschange, programs_enrolment, programs_programtarget,"
                " households_member, households_household CASCADE"
            )
            cursor.execute(
                "DELETE FROM accounts_staffprofile WHERE user_id IN"
                " (SELECT id FROM auth_user WHERE username LIKE 'bench.pendamping.%%')"
            )
            cursor.execute("DELETE FROM auth_user WHERE username LIKE 'bench.pendamping.%%'")
        print(f"Membangun {households:,} keluarga bench …")
        for statement in SEED_HOUSEHOLDS:
            cursor.execute(statement, params)
        cursor.execute("SELECT setseed(0.2028)")
        for code, share, per_member in ENROLMENT_SHARES:
            cursor.execute(
                ENROL,
                {
                    **params,
                    "code": code,
                    "share": share,
                    "per_member": per_member,
                    "school_age": code == "PIP",
                },
            )
        for statement in SEED_PROGRAMS:
            cursor.execute(statement, params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  selesai dalam {time.monotonic() - started:.0f} s")


class TimedOut(Exception):
    pass


def guarded(call):
    """Run ``call``; a query cancelled by the statement timeout raises ``TimedOut``."""
    from django.db import OperationalError

    try:
        return call()
    except OperationalError as error:
        if "statement timeout" in str(error):
            raise TimedOut from error
        raise


def median_ms(call, repeat: int) -> float:
    guarded(call)  # warm the code paths, not the measurement
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def page_of(queryset):
    """What a list page does with a queryset: count it and fetch 25 rows."""
    return lambda: (queryset.count(), list(queryset[:25]))


def service_cases(user, region: str, pkh, year: int):
    from programs.services import synergy as service

    by_place = ("desa_id", "id")
    return [
        ("programs_per_household", lambda: service.programs_per_household(user, region)),
        (
            "households_with_program_count(0)",
            page_of(service.households_with_program_count(user, 0, region).order_by(*by_place)),
        ),
        (
            "households_with_program_count(3+)",
            page_of(service.households_with_program_count(user, 3, region).order_by(*by_place)),
        ),
        (
            "possible_exclusion(PKH)",
            page_of(
                service.possible_exclusion(user, pkh, region).order_by("desil", "desa_id", "id")
            ),
        ),
        (
            "possible_exclusion(bansos)",
            page_of(
                service.possible_exclusion(user, None, region).order_by("desil", "desa_id", "id")
            ),
        ),
        (
            "possible_inclusion(semua)",
            page_of(
                service.possible_inclusion(user, None, region).order_by(
                    "program__code", "household__desa_id", "id"
                )
            ),
        ),
        (
            "possible_inclusion(PKH)",
            page_of(
                service.possible_inclusion(user, pkh, region).order_by(
                    "program__code", "household__desa_id", "id"
                )
            ),
        ),
        ("coverage(PKH, tahun ini)", lambda: service.coverage(user, pkh, year, region)),
        (
            "coverage(PKH, desa kecamatan A)",
            lambda: service.coverage(user, pkh, year, KECAMATAN_A),
        ),
        ("concentration", lambda: service.concentration(user, region)),
        (
            "graduated_households(belum lanjut)",
            page_of(service.graduated_households(user, region, False).order_by("-end_date", "id")),
        ),
        ("graduation_summary", lambda: service.graduation_summary(user, region)),
        ("productive_per_desa", lambda: service.productive_per_desa(user, region)),
    ]


def page_cases(pkh, year: int):
    from django.urls import reverse

    def url(name, query=""):
        return reverse(f"programs:{name}") + (f"?{query}" if query else "")

    return [
        ("sinergi (ringkasan)", url("synergy")),
        ("jumlah program = 0", url("synergy_programs", "jumlah=0")),
        ("jumlah program = 3+", url("synergy_programs", "jumlah=3")),
        ("jumlah program, halaman 100", url("synergy_programs", "jumlah=1&page=100")),
        ("belum terjangkau (bansos)", url("synergy_exclusion")),
        ("belum terjangkau (PKH)", url("synergy_exclusion", f"program={pkh.pk}")),
        ("di atas batas (semua)", url("synergy_inclusion")),
        ("di atas batas (PKH)", url("synergy_inclusion", f"program={pkh.pk}")),
        ("cakupan PKH", url("synergy_coverage", f"program={pkh.pk}&year={year}")),
        (
            "cakupan PKH, desa kec. A",
            url("synergy_coverage", f"program={pkh.pk}&year={year}&kecamatan={KECAMATAN_A}"),
        ),
        ("sebaran desa", url("synergy_concentration")),
        ("sebaran desa, belum terjangkau", url("synergy_concentration", "belum=1")),
        ("graduasi (belum lanjut)", url("synergy_graduated", "lanjut=tidak")),
        ("kelompok produktif", url("synergy_productive")),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--database", default="terpadu_bench_programs")
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
    from django.utils import timezone

    from households.models import Household, Member
    from programs.models import Disbursement, EmpowermentGroup, Enrolment, Program

    seed(args.households)
    setup_test_environment()
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT_S}s'")
    year = timezone.localdate().year
    pkh = Program.objects.get(code="PKH")
    users = get_user_model().objects.in_bulk(["admin", "operator.a"], field_name="username")
    people = (("kabupaten", users["admin"]), ("kecamatan", users["operator.a"]))

    failed = False
    print()
    print(
        f"Data: {Household.objects.count():,} keluarga, {Member.objects.count():,} anggota, "
        f"{Enrolment.objects.count():,} kepesertaan, {Disbursement.objects.count():,} "
        f"penyaluran, {EmpowermentGroup.objects.count():,} kelompok; "
        f"median dari {args.repeat} (ms)"
    )
    print()
    print(f"{'wilayah':<10} {'fungsi layanan':<40} {'median':>8}  hasil")
    for label, user in people:
        for name, call in service_cases(user, "", pkh, year):
            try:
                median = median_ms(call, args.repeat)
            except TimedOut:
                failed = True
                print(f"{label:<10} {name:<40} {'>' + str(STATEMENT_TIMEOUT_S) + ' s':>8}  LAMBAT")
                continue
            verdict = "OK" if median < TARGET_MS else "LAMBAT"
            failed |= verdict != "OK"
            print(f"{label:<10} {name:<40} {median:8.1f}  {verdict}")

    print()
    print(f"{'wilayah':<10} {'halaman':<40} {'median':>8} {'di SQL':>8} {'query':>6}  hasil")
    for label, user in people:
        client = Client()
        client.force_login(user)
        for name, target in page_cases(pkh, year):
            try:
                response = guarded(lambda: client.get(target))  # noqa: B023 (called at once)
            except TimedOut:
                failed = True
                print(f"{label:<10} {name:<40} {'>' + str(STATEMENT_TIMEOUT_S) + ' s':>8}  LAMBAT")
                continue
            if response.status_code != 200:
                raise RuntimeError(f"{target} → {response.status_code}")
            times, sql_times = [], []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    client.get(target)
                    times.append((time.perf_counter() - started) * 1000)
                sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            median = statistics.median(times)
            verdict = "OK" if median < TARGET_MS else "LAMBAT"
            failed |= verdict != "OK"
            print(
                f"{label:<10} {name:<40} {median:8.1f} {statistics.median(sql_times):8.1f}"
                f" {len(queries):6}  {verdict}"
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
