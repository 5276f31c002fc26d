"""Graduation speed at district scale: the natural-graduation candidate job for the whole
district, a facilitator's caseload page and the district progress page.

Usage (from the project root)::

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_graduation.py [--households 300000]
        [--pkh 120000] [--facilitators 1500] [--database terpadu_bench_graduation] [--repeat 5]

It works in its own database (default ``terpadu_bench_graduation`` on the server of
``DATABASE_URL``), created when missing. The registry, the catalogue and the enrolments come
from ``scripts/bench_programs.py``'s seeding (same SQL, same seed); on top of it, set-based:

- PKH enrolments topped up to ``--pkh`` open ones (active, households not yet in PKH);
- ``--facilitators`` pendamping PKH accounts, each on a kecamatan (in proportion to the
  kecamatan's PKH households), and every open PKH household assigned to one facilitator of its
  kecamatan (round robin);
- per facilitator ~8 graduations this year (half approved, the rest verified, proposed or
  rejected) and a target row for half of them.

Times: the candidate job (``refresh_candidates``: find + store, whole district) once and the
number found; the caseload page of the facilitator with the largest caseload and the district
progress page through Django's test ``Client`` (median of ``--repeat``, with query counts).
Targets: the job under 60 s, each page under 300 ms; the exit status is 1 when one misses.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JOB_TARGET_S = 60
PAGE_TARGET_MS = 300
MARK = "bench.grad."


def bench_programs():
    spec = importlib.util.spec_from_file_location(
        "bench_programs", ROOT / "scripts/bench_programs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The facilitators hold the Pendamping PKH role's permissions (run every time: idempotent).
JOIN_ROLE_GROUP = """
    INSERT INTO auth_user_groups (user_id, group_id)
    SELECT u.id, g.id FROM auth_user u JOIN auth_group g ON g.name = 'pendamping'
    WHERE u.username LIKE %(mark)s || '%%'
    ON CONFLICT DO NOTHING
"""

SEED_GRADUATION = [
    "SELECT setseed(0.2030)",
    # Top up PKH to the wanted number of open enrolments.
    """
    INSERT INTO programs_enrolment (
        program_id, household_id, status, source, start_date, reason, flags, justification,
        last_period, created_at, updated_at)
    SELECT (SELECT id FROM programs_program WHERE code = 'PKH'), h.id, 'active', 'system',
        date '2023-01-01', '', '{}', '', '', now(), now()
    FROM households_household h
    WHERE h.status = 'active' AND NOT EXISTS (
        SELECT 1 FROM programs_enrolment e JOIN programs_program p ON p.id = e.program_id
        WHERE e.household_id = h.id AND p.code = 'PKH')
    ORDER BY random()
    LIMIT greatest(0, %(pkh)s - (
        SELECT count(*) FROM programs_enrolment e JOIN programs_program p ON p.id = e.program_id
        WHERE p.code = 'PKH' AND e.status IN ('proposed', 'active', 'suspended')))
    """,
    """
    CREATE TEMP TABLE bench_pkh AS
    SELECT e.household_id, left(h.desa_code, 8) AS kecamatan,
           row_number() OVER (PARTITION BY left(h.desa_code, 8) ORDER BY e.household_id) AS rank
    FROM programs_enrolment e
    JOIN programs_program p ON p.id = e.program_id AND p.code = 'PKH'
    JOIN households_household h ON h.id = e.household_id
    WHERE e.status IN ('active', 'suspended')
    """,
    # Facilitators per kecamatan in proportion to its PKH households (at least one).
    """
    CREATE TEMP TABLE bench_slots AS
    SELECT kecamatan, greatest(1, round(%(facilitators)s * count(*)::numeric
                                        / (SELECT count(*) FROM bench_pkh)))::int AS slots
    FROM bench_pkh GROUP BY kecamatan
    """,
    """
    INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                           is_staff, is_active, date_joined)
    SELECT '!', false, %(mark)s || s.kecamatan || '.' || g,
        'Pendamping ' || s.kecamatan || '-' || g, '', '', false, true, now()
    FROM bench_slots s, generate_series(1, s.slots) g
    """,
    """
    INSERT INTO accounts_staffprofile (role, area_code, phone, user_id)
    SELECT 'pendamping', split_part(substr(username, length(%(mark)s) + 1), '.', 1) || '.'
        || split_part(substr(username, length(%(mark)s) + 1), '.', 2) || '.'
        || split_part(substr(username, length(%(mark)s) + 1), '.', 3), '', id
    FROM auth_user WHERE username LIKE %(mark)s || '%%'
    """,
    """
    INSERT INTO graduation_facilitator (user_id, kind, area_id, active, created_at)
    SELECT u.id, 'pkh', p.area_code, true, now()
    FROM auth_user u JOIN accounts_staffprofile p ON p.user_id = u.id
    WHERE u.username LIKE %(mark)s || '%%'
    """,
    """
    INSERT INTO graduation_assignment (facilitator_id, household_id, active, start_date, created_at)
    SELECT f.id, b.household_id, true, date '2024-01-01', now()
    FROM bench_pkh b
    JOIN bench_slots s ON s.kecamatan = b.kecamatan
    JOIN (SELECT f.id, f.area_id,
                 row_number() OVER (PARTITION BY f.area_id ORDER BY f.id) - 1 AS slot
          FROM graduation_facilitator f) f
      ON f.area_id = b.kecamatan AND f.slot = b.rank %% s.slots
    """,
    """
    INSERT INTO graduation_graduationtarget (facilitator_id, year, target)
    SELECT id, extract(year FROM current_date)::int, 8 + id %% 5 FROM graduation_facilitator
    WHERE id %% 2 = 0
    """,
    # ~8 graduations per facilitator this year, from households of their caseload.
    """
    INSERT INTO graduation_graduation (
        household_id, program_id, enrolment_id, facilitator_id, kind, graduation_date, reasons,
        ready_economy, ready_social, ready_education, ready_health, ready_housing,
        ready_water_sanitation, readiness_notes, statement, status, approved_on,
        rejection_reason, created_at, updated_at)
    SELECT a.household_id, (SELECT id FROM programs_program WHERE code = 'PKH'), NULL,
        a.facilitator_id, CASE WHEN a.rank %% 3 = 0 THEN 'alamiah' ELSE 'sejahtera_mandiri' END,
        date_trunc('year', current_date)::date + ((a.rank * 17) %% 180)::int, 'Bench', true, true,
        true, true, true, true, '', '',
        CASE WHEN a.rank <= 4 THEN 'approved' WHEN a.rank <= 6 THEN 'verified'
             WHEN a.rank = 7 THEN 'proposed' ELSE 'rejected' END,
        CASE WHEN a.rank <= 4 THEN date_trunc('year', current_date)::date + 200 END,
        '', now(), now()
    FROM (SELECT facilitator_id, household_id,
                 row_number() OVER (PARTITION BY facilitator_id ORDER BY household_id) AS rank
          FROM graduation_assignment) a
    WHERE a.rank <= 8
    """,
    "ANALYZE",
]


def seed(args):
    from django.db import connection, transaction

    from graduation.models import Facilitator

    bench_programs().seed(args.households)
    # The role groups exist once migrate has run (post_migrate): the seed adds users to one.
    from accounts.services import ensure_role_groups

    ensure_role_groups()
    if Facilitator.objects.filter(user__username__startswith=MARK).exists():
        with connection.cursor() as cursor:
            cursor.execute(JOIN_ROLE_GROUP, {"mark": MARK})
        return
    started = time.monotonic()
    print(f"Membangun {args.facilitators:,} pendamping, penugasan dan graduasi …")
    params = {"pkh": args.pkh, "facilitators": args.facilitators, "mark": MARK}
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in SEED_GRADUATION:
            cursor.execute(statement, params)
        cursor.execute(JOIN_ROLE_GROUP, params)
    print(f"  selesai dalam {time.monotonic() - started:.0f} s")


def page_median(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} → {response.status_code}")
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--pkh", type=int, default=120_000)
    parser.add_argument("--facilitators", type=int, default=1_500)
    parser.add_argument("--database", default="terpadu_bench_graduation")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    programs_bench = bench_programs()
    url = programs_bench.database_url(args.database)
    programs_bench.ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import setup_test_environment

    from graduation.models import Assignment, Candidate, Facilitator, Graduation
    from graduation.services.candidates import refresh_candidates
    from households.models import Household
    from programs.models import Enrolment

    seed(args)
    setup_test_environment()
    open_pkh = Enrolment.objects.filter(
        program__code="PKH", status__in=["proposed", "active", "suspended"]
    ).count()
    print()
    print(
        f"Data: {Household.objects.count():,} keluarga, {open_pkh:,} kepesertaan PKH terbuka, "
        f"{Facilitator.objects.count():,} pendamping, "
        f"{Assignment.objects.filter(active=True).count():,} penugasan, "
        f"{Graduation.objects.count():,} graduasi"
    )
    failed = False

    started = time.perf_counter()
    rows = refresh_candidates()
    job_s = time.perf_counter() - started
    verdict = "OK" if job_s < JOB_TARGET_S else "LAMBAT"
    failed |= verdict != "OK"
    print()
    print(
        f"Kandidat graduasi alamiah (seluruh kabupaten, 6 bulan): {job_s:.1f} s, "
        f"{len(rows):,} kandidat ({Candidate.objects.count():,} tersimpan)  {verdict}"
    )

    busiest = (
        Facilitator.objects.annotate(n=Count("assignments", filter=Q(assignments__active=True)))
        .order_by("-n")
        .select_related("user")
        .first()
    )
    admin = get_user_model().objects.get(username="admin")
    print()
    print(f"{'halaman':<50} {'median ms':>10} {'query':>6}  hasil")
    for label, user, target in (
        (f"KPM dampingan ({busiest.n} KPM)", busiest.user, "/graduasi/kpm/"),
        ("KPM dampingan, kandidat saja", busiest.user, "/graduasi/kpm/?candidate=true"),
        ("Capaian target (kabupaten)", admin, "/graduasi/capaian/"),
        ("Daftar graduasi (kabupaten)", admin, "/graduasi/daftar/"),
    ):
        client = Client()
        client.force_login(user)
        median, queries = page_median(client, target, args.repeat)
        verdict = "OK" if median < PAGE_TARGET_MS else "LAMBAT"
        failed |= verdict != "OK"
        print(f"{label:<50} {median:10.1f} {queries:6}  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
