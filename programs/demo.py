"""Demo programs for the demo district (``seed_demo``, through ``households.demo``'s seeder seam).

Loads the national catalogue, adds the district's own agencies and one district program,
enrols a realistic share of the demo households (PKH ~30% of desil 1–4, Sembako ~40%, PBI-JK
for half of desil 1–5, BLT-DD for some desil 1, Rutilahu and PENA for a few), flags a few
national-list enrolments above the ceiling, records the disbursements of past periods and
forms a handful of KUBE groups with members and progress. Each household draws from a generator
seeded by its id: a second run adds nothing, a grown demo registry gets its new households
enrolled.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.demo import DEMO_KABUPATEN, DEMO_KECAMATAN_A, DEMO_KECAMATAN_B
from households.choices import MemberStatus, Relationship
from households.demo import DEMO_SOURCE, register_demo_seeder
from households.models import Household, Member
from programs.choices import (
    DisbursementChannel,
    DisbursementStatus,
    EligibilityIssue,
    EnrolmentSource,
    EnrolmentStatus,
)
from programs.models import (
    Agency,
    AgencyStaff,
    Disbursement,
    EmpowermentGroup,
    Enrolment,
    EnrolmentStatusChange,
    GroupMembership,
    GroupProgress,
    Program,
)
from programs.services.catalogue import load_catalogue

SEED = 20250
BATCH = 5_000

# (program code, highest desil, share of those households, amount per period)
SHARES = [
    ("PKH", 4, 0.30, 750_000),
    ("SEMBAKO", 4, 0.40, 600_000),
    ("PBI-JK", 5, 0.50, 42_000),
    ("BLT-DD", 1, 0.25, 300_000),
    ("RUTILAHU", 3, 0.02, 20_000_000),
    ("PENA", 4, 0.01, 5_000_000),
]
# National lists carry some families above the ceiling: flagged, with a justification.
ABOVE_CEILING_SHARE = 0.03
BUSINESSES = ["Ternak kambing", "Warung kelontong", "Keripik singkong", "Jahit", "Tambak lele"]


def register():
    register_demo_seeder("programs", seed_programs_demo, order=10)


def seed_programs_demo(admin=None) -> str:
    result = load_catalogue()
    with transaction.atomic():
        district = _district_agencies()
        _link_demo_partner(district["puskesmas"])
        _district_program(district["dinsos"])
        enrolments, disbursements = _enrol(admin)
        groups = 0 if EmpowermentGroup.objects.exists() else _groups(admin)
    if not (enrolments or groups):
        return f"Program demo sudah ada (katalog: {result.line()})."
    return (
        f"Program demo: {enrolments:,} kepesertaan, {disbursements:,} penyaluran, "
        f"{groups} kelompok usaha (katalog: {result.line()})."
    )


def _district_agencies() -> dict[str, Agency]:
    made = {}
    for key, code, name, kind, cluster, region in [
        (
            "dinsos",
            "dinsos-3507",
            "Dinas Sosial Kabupaten Malang",
            "opd",
            "bantuan_sosial",
            DEMO_KABUPATEN,
        ),
        (
            "puskesmas",
            "puskesmas-donomulyo",
            "Puskesmas Donomulyo",
            "kesehatan",
            "",
            DEMO_KECAMATAN_A,
        ),
    ]:
        made[key], _ = Agency.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "cluster": cluster, "region_id": region},
        )
    return made


def _link_demo_partner(agency: Agency):
    partner = get_user_model().objects.filter(username="mitra").first()
    if partner is not None:
        AgencyStaff.objects.get_or_create(user=partner, defaults={"agency": agency})


def _district_program(agency: Agency):
    Program.objects.get_or_create(
        code="LANSIA-KAB",
        defaults={
            "name": "Bantuan Lansia Kabupaten Malang",
            "kind": "bansos",
            "cluster": "bantuan_sosial",
            "agency": agency,
            "funding_source": "apbd_kabupaten",
            "beneficiary_unit": "household",
            "max_desil": 3,
            "required_components": ["lanjut_usia"],
            "periods_per_year": 4,
        },
    )


def _past_periods(program: Program, today: datetime.date) -> list[tuple[int, int]]:
    """(year, period) of last year and of this year's periods already over."""
    per_year = program.periods_per_year
    months = 12 // per_year
    this_year = [(today.year, p) for p in range(1, per_year + 1) if p * months < today.month]
    return [(today.year - 1, p) for p in range(1, per_year + 1)] + this_year


def _status(rng) -> str:
    roll = rng.random()
    if roll < 0.86:
        return EnrolmentStatus.ACTIVE
    if roll < 0.93:
        return EnrolmentStatus.PROPOSED
    if roll < 0.95:
        return EnrolmentStatus.SUSPENDED
    return EnrolmentStatus.GRADUATED


def _enrol(admin) -> tuple[int, int]:
    """Enrol the demo households that have no demo enrolment yet, in chunks. Each household
    draws from its own generator (seeded by its id), so a household left out once is left out
    again and a second run adds nothing; a grown registry gets its new households enrolled."""
    today = timezone.localdate()
    programs = {p.code: p for p in Program.objects.filter(code__in=[s[0] for s in SHARES])}
    demo = Household.objects.filter(
        desa__code__startswith=DEMO_KABUPATEN + ".", data_source=DEMO_SOURCE
    )
    already = Enrolment.objects.filter(source=EnrolmentSource.SYSTEM).values("household_id")
    pending = list(
        demo.exclude(pk__in=already)
        .filter(desil__isnull=False)
        .order_by("pk")
        .values_list("pk", "desil")
    )
    heads = dict(
        Member.objects.filter(
            household__in=demo, hubungan_keluarga=Relationship.HEAD, status=MemberStatus.ALIVE
        ).values_list("household_id", "pk")
    )
    made = paid = 0
    for start in range(0, len(pending), BATCH):
        enrolments, disbursements = [], []
        for household_id, desil in pending[start : start + BATCH]:
            rng = random.Random(SEED * 1_000_003 + household_id)
            for code, ceiling, share, amount in SHARES:
                enrolment = _maybe_enrol(
                    rng, programs[code], household_id, desil, ceiling, share, heads, admin, today
                )
                if enrolment is None:
                    continue
                enrolments.append(enrolment)
                disbursements += _payments(rng, enrolment, amount, today)
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        EnrolmentStatusChange.objects.bulk_create(
            (
                EnrolmentStatusChange(
                    enrolment=e, from_status="", to_status=e.status, reason="Data demo", by=admin
                )
                for e in enrolments
            ),
            batch_size=BATCH,
        )
        Disbursement.objects.bulk_create(disbursements, batch_size=BATCH)
        made += len(enrolments)
        paid += len(disbursements)
    return made, paid


def _maybe_enrol(rng, program, household_id, desil, ceiling, share, heads, admin, today):
    flagged = desil in (ceiling + 1, ceiling + 2) and rng.random() < ABOVE_CEILING_SHARE
    if not flagged and (desil > ceiling or rng.random() >= share):
        return None
    member_id = None
    if program.beneficiary_unit == "member":
        member_id = heads.get(household_id)
        if member_id is None:
            return None
    status = _status(rng)
    start = datetime.date(today.year - rng.choice((1, 2, 3)), rng.randint(1, 12), 1)
    now = timezone.now()
    return Enrolment(
        program=program,
        household_id=household_id,
        member_id=member_id,
        status=status,
        source=EnrolmentSource.SYSTEM,
        start_date=start if status != EnrolmentStatus.PROPOSED else None,
        end_date=today if status == EnrolmentStatus.GRADUATED else None,
        flags=[EligibilityIssue.ABOVE_CEILING] if flagged else [],
        justification="Tercantum di daftar penerima Kementerian Sosial." if flagged else "",
        created_by=admin,
        created_at=now,
        updated_at=now,
    )


def _payments(rng, enrolment, amount, today) -> list[Disbursement]:
    program = enrolment.program
    # PBI-JK pays the health insurance premium: a service, not a payment to the family.
    if program.kind == "layanan_dasar" or enrolment.status not in (
        EnrolmentStatus.ACTIVE,
        EnrolmentStatus.GRADUATED,
    ):
        return []
    periods = _past_periods(program, today)
    if program.periods_per_year == 1:
        periods = periods[:1]
    now = timezone.now()
    rows = []
    for year, period in periods:
        failed = rng.random() < 0.02
        rows.append(
            Disbursement(
                enrolment=enrolment,
                year=year,
                period=period,
                amount=amount,
                kind="in_kind" if program.code == "SEMBAKO" else "cash",
                channel=DisbursementChannel.POST
                if rng.random() < 0.1
                else DisbursementChannel.BANK,
                status=DisbursementStatus.FAILED if failed else DisbursementStatus.DISBURSED,
                disbursed_on=None
                if failed
                else datetime.date(year, period * 12 // program.periods_per_year, 15),
                created_at=now,
                updated_at=now,
            )
        )
    return rows


def _groups(admin) -> int:
    rng = random.Random(SEED + 1)
    today = timezone.localdate()
    kube = Program.objects.get(code="KUBE")
    made = 0
    for kecamatan in (DEMO_KECAMATAN_A, DEMO_KECAMATAN_B):
        desa_codes = list(
            Household.objects.filter(
                desa__code__startswith=kecamatan + ".", data_source=DEMO_SOURCE, desil__lte=4
            )
            .values("desa_id")
            .annotate(n=Count("id"))
            .order_by("-n", "desa_id")
            .values_list("desa_id", flat=True)[:3]
        )
        for index, desa in enumerate(desa_codes):
            people = list(
                Member.objects.filter(
                    household__desa_id=desa,
                    household__desil__lte=4,
                    status=MemberStatus.ALIVE,
                    hubungan_keluarga__in=(Relationship.HEAD, Relationship.SPOUSE),
                ).order_by("pk")[:40]
            )
            if len(people) < 5:
                continue
            formed = today - datetime.timedelta(days=rng.randint(200, 700))
            business = BUSINESSES[(made + index) % len(BUSINESSES)]
            group = EmpowermentGroup.objects.create(
                name=f"KUBE {business.split()[-1].title()} {made + 1}",
                program=kube,
                desa_id=desa,
                business_type=business,
                capital_aid=rng.choice((15_000_000, 20_000_000, 25_000_000)),
                formed_on=formed,
            )
            GroupMembership.objects.bulk_create(
                GroupMembership(group=group, member=person, joined_on=formed)
                for person in rng.sample(people, min(len(people), rng.randint(5, 10)))
            )
            productive = made % 3 != 2
            for step in range(3):
                running = productive or step < 2
                GroupProgress.objects.create(
                    group=group,
                    recorded_on=formed + datetime.timedelta(days=60 * (step + 1)),
                    is_active=running,
                    monthly_turnover=rng.randint(8, 40) * 100_000 if running else 0,
                    members_income=rng.randint(3, 12) * 100_000 if running else 0,
                    recorded_by=admin,
                )
            made += 1
    return made
