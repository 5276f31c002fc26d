"""Demo referrals (``seed_demo``, through ``households.demo``'s seeder seam): a Puskesos in desa A
and one per demo kecamatan, and some weeks of intakes with referrals in every state — some
late — so that every page has something to show. Safe to repeat: a service point that has
intakes already is left as it is."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_DESA_A, DEMO_KECAMATAN_A, DEMO_KECAMATAN_B
from core.models import Region
from core.workdays import WorkCalendar
from households.demo import register_demo_seeder
from households.models import Member
from programs.models import Agency
from referrals.choices import Channel, ConsentBasis, Need, ReferralStatus
from referrals.models import Intake, IntakeNeed, Referral, ReferralEvent, ServicePoint
from referrals.services import ensure_service_levels, reference_for, service_days

SEED = 2026
INTAKES_PER_POINT = 40
# Most demo needs are health needs, for the demo partner (a puskesmas) to have an inbox.
AGENCY_FOR_NEED = {
    Need.HEALTH: "puskesmas-donomulyo",
    Need.SOCIAL_ECONOMIC: "dinsos-3507",
    Need.HOUSING: "dinsos-3507",
}
NEEDS = [Need.HEALTH, Need.HEALTH, Need.HEALTH, Need.SOCIAL_ECONOMIC, Need.HOUSING]
STORIES = [
    "Kepala keluarga sakit menahun, belum punya BPJS PBI.",
    "Anak putus sekolah karena biaya seragam dan transport.",
    "KTP dan KK hilang saat banjir.",
    "Rumah bocor, dinding bambu lapuk.",
    "Tidak ada penghasilan tetap sejak pabrik tutup.",
]


def register():
    register_demo_seeder("referrals", seed_referrals_demo, order=20)


def seed_referrals_demo(admin=None) -> str:
    ensure_service_levels()
    points = [
        _point("Puskesos Desa Contoh", DEMO_DESA_A),
        _point("Puskesos Kecamatan A", DEMO_KECAMATAN_A),
        _point("Puskesos Kecamatan B", DEMO_KECAMATAN_B),
    ]
    officer = get_user_model().objects.filter(username="puskesos").first() or admin
    if officer is None:
        return ""
    made = 0
    for point in points:
        if point.intakes.exists():
            continue
        made += _intakes(point, officer)
    return f"Rujukan demo: {len(points)} Puskesos, {made} rujukan baru."


def _point(name, code) -> ServicePoint:
    region = Region.objects.get(code=code)
    point, _created = ServicePoint.objects.get_or_create(
        name=name,
        region=region,
        defaults={
            "address": f"Kantor {region.name}",
            "letterhead_title": "PEMERINTAH KABUPATEN MALANG · DINAS SOSIAL",
            "signer_name": "Drs. Contoh Pejabat",
            "signer_title": "Koordinator Puskesos",
            "signer_nip": "197001011990031001",
        },
    )
    return point


def _agency(need, agencies):
    return agencies.get(AGENCY_FOR_NEED[need]) or next(iter(agencies.values()))


@transaction.atomic
def _intakes(point: ServicePoint, officer) -> int:
    rng = random.Random(f"{SEED}-{point.pk}")
    agencies = {agency.code: agency for agency in Agency.objects.filter(active=True)}
    if not agencies:
        return 0
    members = list(
        Member.objects.filter(
            household__desa__code__startswith=point.region_id, status="alive"
        ).select_related("household")[:400]
    )
    if not members:
        return 0
    calendar = WorkCalendar(point.region_id)
    today = timezone.localdate()
    made = 0
    for index in range(INTAKES_PER_POINT):
        member = rng.choice(members)
        day = today - datetime.timedelta(days=rng.randint(0, 45))
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + index % 8)))
        intake = Intake.objects.create(
            service_point=point,
            desa_id=member.household.desa_id,
            household=member.household,
            member=member,
            channel=rng.choice(Channel.values),
            story=rng.choice(STORIES),
            consent=ConsentBasis.RESIDENT,
            created_by=officer,
            created_at=at,
        )
        need = IntakeNeed.objects.create(intake=intake, need=rng.choice(NEEDS))
        status = rng.choice(
            [
                ReferralStatus.SENT,
                ReferralStatus.ACCEPTED,
                ReferralStatus.IN_SERVICE,
                ReferralStatus.COMPLETED,
                ReferralStatus.COMPLETED,
                ReferralStatus.REJECTED,
            ]
        )
        referral = Referral.objects.create(
            reference=f"demo-{point.pk}-{index}",
            intake=intake,
            need=need,
            desa_id=intake.desa_id,
            household=member.household,
            agency=_agency(need.need, agencies),
            service_point=point,
            reason=intake.story,
            consent=ConsentBasis.RESIDENT,
            status=status,
            sent_on=day,
            due_date=calendar.add_working_days(day, service_days(need.need)),
            outcome="Sudah dilayani." if status == ReferralStatus.COMPLETED else "",
            closing_reason="Bukan wilayah layanan." if status == ReferralStatus.REJECTED else "",
            created_by=officer,
            created_at=at,
        )
        Referral.objects.filter(pk=referral.pk).update(reference=reference_for(referral))
        ReferralEvent.objects.create(
            referral=referral, to_status=ReferralStatus.SENT, user=officer, at=at
        )
        if status != ReferralStatus.SENT:
            ReferralEvent.objects.create(
                referral=referral,
                from_status=ReferralStatus.SENT,
                to_status=status,
                at=at + datetime.timedelta(days=1),
            )
        made += 1
    return made
