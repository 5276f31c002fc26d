"""Service points, intakes and referrals for the referral tests."""

import uuid

from programs.models import AgencyStaff
from referrals import services
from referrals.choices import ConsentBasis, Need
from referrals.models import ServicePoint
from tests.conftest import DESA_A1
from tests.households import registry_factory as make
from tests.programs import factories as program_factories


def service_point(region=DESA_A1, **fields) -> ServicePoint:
    fields.setdefault("name", f"Puskesos {region}")
    return ServicePoint.objects.create(region_id=region, **fields)


def puskesmas(provider=None, region="35.07.01", **fields):
    fields.setdefault("name", "Puskesmas Donomulyo")
    fields.setdefault("kind", "kesehatan")
    agency = program_factories.agency(region=region, **fields)
    if provider is not None:
        AgencyStaff.objects.create(agency=agency, user=provider)
    return agency


def resident(desa=DESA_A1, name="Sri Wahyuni"):
    household = make.household(desa=desa, desil=2)
    return make.member(household, name, make.years_old(52))


def intake(user, point, member=None, needs=(Need.HEALTH,), consent=ConsentBasis.RESIDENT, **kw):
    made, _created = services.record_intake(
        user=user,
        service_point=point,
        channel="datang",
        story="Sakit menahun, belum punya BPJS.",
        needs=[(need, "") for need in needs],
        consent=consent,
        member=member or resident(),
        submission=kw.pop("submission", uuid.uuid4()),
        **kw,
    )
    return made


def referral(user, point, agency, member=None, need=Need.HEALTH):
    made = intake(user, point, member=member, needs=(need,))
    return services.refer(
        user=user, need=made.needs.get(), agency=agency, reason="Mohon dilayani berobat."
    )


def make_provider(username, area="35.07"):
    from accounts.roles import Role
    from tests.conftest import make_persona

    return make_persona(username, Role.MITRA_LAYANAN, area)
