import datetime

import pytest

from households.choices import MemberStatus, Relationship, Sex
from households.models import Household, Member
from tests.conftest import DESA_A1, DESA_A2, DESA_B1


def make_family(no_kk, desa, members, **household_fields):
    household = Household.objects.create(no_kk=no_kk, desa_id=desa, **household_fields)
    for index, fields in enumerate(members):
        fields = {
            "jenis_kelamin": Sex.MALE,
            "tanggal_lahir": datetime.date(1980, 5, 17),
            "hubungan_keluarga": Relationship.HEAD if index == 0 else Relationship.CHILD,
            **fields,
        }
        Member.objects.create(household=household, **fields)
    return household


@pytest.fixture
def registry(db):
    """Three families: desil 1 in desa A1, desil 5 in desa A2 (kecamatan A), one in kecamatan B.

    The A1 family carries the names a spreadsheet would run as formulas."""
    return {
        "a1": make_family(
            "3507010101800001",
            DESA_A1,
            [
                {"nik": "3507011705800001", "nama": '=HYPERLINK("http://contoh.test","klik")'},
                {
                    "nik": "3507015507100002",
                    "nama": "Siti Aminah",
                    "jenis_kelamin": Sex.FEMALE,
                    "tanggal_lahir": datetime.date(2010, 7, 15),
                    "tempat_lahir": "+6281234567890",
                },
                {"nik": None, "nama": "@SUM(A1:A9)", "tanggal_lahir": datetime.date(2015, 1, 2)},
                {
                    "nik": "3507010101500003",
                    "nama": "Almarhum Kakek",
                    "hubungan_keluarga": Relationship.PARENT,
                    "status": MemberStatus.DECEASED,
                },
            ],
            desil=1,
            alamat="-1+2 Jl. Kenanga",
            rt="001",
            rw="002",
            luas_lantai="36.50",
            daya_listrik=900,
            status_rumah="milik_sendiri",
        ),
        "a2": make_family(
            "3507010202800002",
            DESA_A2,
            [{"nik": "3507012002800004", "nama": "Budi Santoso"}],
            desil=5,
        ),
        "b1": make_family(
            "3507020303800003",
            DESA_B1,
            [{"nik": "3507021003800005", "nama": "Warga Pagak"}],
            desil=1,
        ),
    }
