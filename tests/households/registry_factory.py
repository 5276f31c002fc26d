"""Builders for the registry tests: households with members whose NIKs match their birth date,
sex and kecamatan."""

import datetime
import itertools

from django.utils import timezone

from households.choices import Relationship, Sex
from households.models import Household, KKHistory, Member
from households.nik import make_nik
from tests.conftest import DESA_A1

_serial = itertools.count(1)


def years_old(years: int, days: int = 30) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def household(desa=DESA_A1, desil=3, **fields) -> Household:
    fields.setdefault("no_kk", f"{desa.replace('.', '')[:6]}{next(_serial):010d}")
    created = Household.objects.create(desa_id=desa, desil=desil, **fields)
    KKHistory.objects.create(household=created, no_kk=created.no_kk)
    return created


def member(
    family: Household,
    nama: str,
    born: datetime.date | None = None,
    sex: int = Sex.MALE,
    relationship: int = Relationship.HEAD,
    with_nik: bool = True,
    **fields,
) -> Member:
    born = born or years_old(40)
    nik = make_nik(family.desa_id[:8], born, sex, next(_serial)) if with_nik else None
    return Member.objects.create(
        household=family,
        nik=nik,
        nama=nama,
        jenis_kelamin=sex,
        tanggal_lahir=born,
        hubungan_keluarga=relationship,
        **fields,
    )


def family(desa=DESA_A1, head="Budi Santoso", desil=3, **fields) -> Household:
    """A household with a head, a wife and a child."""
    created = household(desa=desa, desil=desil, **fields)
    member(created, head, years_old(45), Sex.MALE, Relationship.HEAD)
    member(created, "Sri Wahyuni", years_old(40), Sex.FEMALE, Relationship.SPOUSE)
    member(created, "Rizky Pratama", years_old(15), Sex.MALE, Relationship.CHILD)
    return created
