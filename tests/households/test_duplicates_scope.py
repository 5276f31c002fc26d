"""A refused import row or a proposal of one district never reaches another district.

Kabupaten Malang (35.07, the personas) has a family; the admin of another kabupaten (35.08)
imports a file, and proposes a new member, carrying the NIK of a Malang member. Malang's admin
and operator must see nothing of the other district's person (name, No KK, desa) at the
duplicate queue, and the other district learns nothing about Malang's people."""

import pytest
from django.urls import reverse

from core.models import Region
from households.choices import Relationship
from households.importer import process
from households.models import DataUpdate, DuplicateCandidate, ImportJob, Member
from households.nik import forget_region_codes
from households.services.duplicates import OTHER_DISTRICT_KEY
from tests.conftest import DESA_A1, client_for
from tests.households.update_factories import evidence, make_household
from tests.imports.files import family, sheet, write_csv

OTHER_DESA = "35.08.01.2001"
OUTSIDER_NAME = "KANARI LUARDAERAH"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forget_region_codes()


@pytest.fixture
def malang_member(db, tmp_path):
    process(write_csv(tmp_path / "malang.csv", sheet(family(1, desa=DESA_A1))), dry_run=False)
    return Member.objects.get(hubungan_keluarga=Relationship.SPOUSE)


def outsider_file(tmp_path, nik):
    rows = family(7, desa=OTHER_DESA)
    rows[1].update(nik=nik, nama=OUTSIDER_NAME)
    return write_csv(tmp_path / "luar.csv", sheet(rows)), rows[1]


def secrets_of(row) -> list[str]:
    """What Malang must not see of the other district's row."""
    desa = Region.objects.get(code=OTHER_DESA)
    return [OUTSIDER_NAME, row["no_kk"], OTHER_DESA, desa.name]


def pages_of(user, candidates):
    client = client_for(user)
    urls = [
        reverse("households:duplicate_list"),
        reverse("households:duplicate_list") + "?status=",
        *(reverse("households:duplicate_detail", args=[c.pk]) for c in candidates),
    ]
    return {url: client.get(url) for url in urls}


def test_another_districts_refused_row_shows_nothing_of_its_person(
    malang_member, tmp_path, district_admin, operator_a, outsider_admin
):
    path, row = outsider_file(tmp_path, malang_member.nik)
    job = ImportJob.objects.create(user=outsider_admin, original_name="luar.csv")

    report = process(path, user=outsider_admin, dry_run=False, job=job)

    assert report.families_held_back == 1
    refused = [issue.message for issue in report.errors if issue.row == 3]
    assert refused and malang_member.nama not in refused[0]
    assert malang_member.household.no_kk not in refused[0]
    candidates = list(DuplicateCandidate.objects.all())
    for user in (district_admin, operator_a):
        for url, response in pages_of(user, candidates).items():
            assert response.status_code == 200, url
            page = response.content.decode()
            for secret in secrets_of(row):
                assert secret not in page, (user.username, url, secret)
    for candidate in candidates:
        assert OUTSIDER_NAME not in str(candidate.details)
        assert row["no_kk"] not in str(candidate.details)
    # The other district's own queue shows nothing of Malang's member either.
    for url, response in pages_of(outsider_admin, candidates).items():
        page = response.content.decode()
        assert malang_member.nama not in page and malang_member.nik not in page, url


def test_malang_gets_one_notice_however_often_the_other_district_imports(
    malang_member, tmp_path, district_admin, outsider_admin
):
    path, _row = outsider_file(tmp_path, malang_member.nik)
    for _time in range(3):
        process(path, user=outsider_admin, dry_run=False)

    notice = DuplicateCandidate.objects.get()
    assert notice.member_a == malang_member and notice.member_b is None
    assert notice.details == {"nik": malang_member.nik, OTHER_DISTRICT_KEY: True}
    page = client_for(district_admin).get(reverse("households:duplicate_detail", args=[notice.pk]))
    assert "kabupaten/kota lain" in page.content.decode()


def test_a_system_import_keeps_a_row_of_another_district_out_of_the_queue(malang_member, tmp_path):
    path, row = outsider_file(tmp_path, malang_member.nik)
    process(path, dry_run=False)  # the CLI without a user: no area limit
    notice = DuplicateCandidate.objects.get()
    assert OUTSIDER_NAME not in str(notice.details) and "rows" not in notice.details


def test_a_row_of_the_same_district_is_still_queued_with_its_data(malang_member, tmp_path):
    rows = family(8, desa=DESA_A1)
    rows[1].update(nik=malang_member.nik, nama="SITI KEDUA")
    process(write_csv(tmp_path / "lagi.csv", sheet(rows)), dry_run=False)
    candidate = DuplicateCandidate.objects.get()
    assert candidate.details["rows"][0]["row"]["nama"] == "SITI KEDUA"
    assert OTHER_DISTRICT_KEY not in candidate.details


def add_member_data(nik, **extra):
    return {
        "nik": nik,
        "nama": OUTSIDER_NAME,
        "jenis_kelamin": "2",
        "tanggal_lahir": "1983-02-14",
        "hubungan_keluarga": str(Relationship.OTHER),
        "reason": "Ikut keluarga",
        "evidence": evidence(),
        **extra,
    }


def test_a_proposal_does_not_tell_whether_a_nik_is_registered_in_another_district(
    malang_member, outsider_admin
):
    household = make_household(OTHER_DESA)
    url = reverse("households:propose_update", args=[household.pk, "tambah-anggota"])

    response = client_for(outsider_admin).post(url, add_member_data(malang_member.nik))

    assert response.status_code == 302
    page = client_for(outsider_admin).get(response.url, follow=True).content.decode()
    assert "sudah terdaftar" not in page and malang_member.nama not in page
    assert DataUpdate.objects.filter(household=household).count() == 1
    assert not DuplicateCandidate.objects.exists()


def test_a_new_household_proposal_does_not_tell_it_either(malang_member, outsider_admin):
    head = add_member_data(malang_member.nik, hubungan_keluarga=str(Relationship.HEAD))
    data = {
        "desa": OTHER_DESA,
        "no_kk": "3508010000000077",
        "alamat": "Jl. Luar",
        "rt": "001",
        "rw": "001",
        "reason": "Keluarga baru",
        "evidence": evidence(),
        "anggota-TOTAL_FORMS": "1",
        "anggota-INITIAL_FORMS": "0",
        "anggota-MIN_NUM_FORMS": "1",
        "anggota-MAX_NUM_FORMS": "20",
        **{f"anggota-0-{name}": value for name, value in head.items() if name != "evidence"},
    }
    response = client_for(outsider_admin).post(reverse("households:propose_new_household"), data)
    assert "sudah terdaftar" not in response.content.decode()
