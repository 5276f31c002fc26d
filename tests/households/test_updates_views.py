"""Data-update pages: proposing with evidence, queues per role, detail, decisions, scope."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from households.choices import Relationship
from households.models import DataUpdate, Household
from households.models.updates import UpdateKind, UpdateStatus
from households.nik import forget_region_codes
from households.services import updates as service
from households.views.updates import register_panels
from tests.conftest import DESA_A1, DESA_A2, DESA_B1, KEC_A, client_for
from tests.households.update_factories import (
    PDF_BYTES,
    PNG_BYTES,
    evidence,
    make_household,
    propose,
    verified,
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forget_region_codes()


@pytest.fixture
def household(db):
    return make_household()


def correct_url(household, member=None):
    url = reverse("households:propose_update", args=[household.pk, "perbaikan"])
    return f"{url}?anggota={member.pk}" if member else url


def household_form_data(household, **changes):
    data = {
        "no_kk": household.no_kk,
        "alamat": household.alamat,
        "rt": household.rt,
        "rw": household.rw,
        "dusun": household.dusun,
        "status_rumah": "",
        "luas_lantai": "",
        "jenis_lantai": "",
        "jenis_dinding": "",
        "jenis_atap": "",
        "sumber_air_minum": "",
        "sumber_penerangan": "",
        "daya_listrik": "",
        "bahan_bakar_memasak": "",
        "fasilitas_bab": "",
        "jenis_kloset": "",
        "pembuangan_akhir_tinja": "",
        "pbi_nas": "unknown",
        "pbi_pemda": "unknown",
        "reason": "Alamat salah ketik saat pendataan",
    }
    return {**data, **changes}


def correct_address(user, household, new="Jl. Kenanga 10"):
    return propose(
        user,
        household,
        UpdateKind.CORRECT,
        {"target": "household", "changes": {"alamat": [household.alamat, new]}},
    )


# Proposing -------------------------------------------------------------------------------------


def test_propose_a_correction_with_evidence(household, puskesos_a):
    client = client_for(puskesos_a)
    page = client.get(correct_url(household))
    assert page.status_code == 200
    assert "Jl. Melati 3" in page.content.decode()
    response = client.post(
        correct_url(household),
        household_form_data(household, alamat="Jl. Kenanga 10", evidence=evidence()),
    )
    update = DataUpdate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:update_detail", args=[update.pk])
    assert update.kind == UpdateKind.CORRECT
    assert update.payload["changes"] == {"alamat": ["Jl. Melati 3", "Jl. Kenanga 10"]}
    assert update.evidence.name.endswith(".pdf")
    household.refresh_from_db()
    assert household.alamat == "Jl. Melati 3"


def test_evidence_of_the_wrong_type_is_refused_by_its_content(household, puskesos_a):
    fake_pdf = evidence("berita-acara.pdf", b"MZ\x90\x00 this is a program, not a PDF")
    response = client_for(puskesos_a).post(
        correct_url(household), household_form_data(household, alamat="Jl. X", evidence=fake_pdf)
    )
    assert response.status_code == 200
    assert "harus berupa PDF, JPG atau PNG" in response.content.decode()
    assert not DataUpdate.objects.exists()


def test_evidence_over_the_limit_is_refused(household, puskesos_a, settings):
    assert settings.EVIDENCE_MAX_UPLOAD_MB == 10
    big = evidence("scan.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    response = client_for(puskesos_a).post(
        correct_url(household), household_form_data(household, alamat="Jl. X", evidence=big)
    )
    assert response.status_code == 200
    assert "terlalu besar" in response.content.decode()
    assert not DataUpdate.objects.exists()


def test_a_png_named_pdf_is_stored_as_png(household, puskesos_a):
    client_for(puskesos_a).post(
        correct_url(household),
        household_form_data(household, alamat="Jl. X", evidence=evidence("foto.pdf", PNG_BYTES)),
    )
    assert DataUpdate.objects.get().evidence.name.endswith("foto.png")


def test_unchanged_correction_is_refused(household, puskesos_a):
    response = client_for(puskesos_a).post(
        correct_url(household), household_form_data(household, evidence=evidence())
    )
    assert "Tidak ada data yang diubah" in response.content.decode()
    assert not DataUpdate.objects.exists()


def test_add_member_with_a_broken_nik_shows_an_indonesian_error(household, puskesos_a):
    url = reverse("households:propose_update", args=[household.pk, "tambah-anggota"])
    response = client_for(puskesos_a).post(
        url,
        {
            "nik": "3.50701E+15",
            "nama": "Dewi",
            "jenis_kelamin": "2",
            "tanggal_lahir": "2001-04-09",
            "hubungan_keluarga": str(Relationship.CHILD),
            "reason": "Lahir",
            "evidence": evidence(),
        },
    )
    assert response.status_code == 200
    assert "rusak oleh Excel" in response.content.decode()
    assert not DataUpdate.objects.exists()


def test_add_member_with_a_taken_nik_is_refused(household, puskesos_a):
    taken = household.members.first()
    url = reverse("households:propose_update", args=[household.pk, "tambah-anggota"])
    response = client_for(puskesos_a).post(
        url,
        {
            "nik": taken.nik,
            "nama": taken.nama,
            "jenis_kelamin": str(taken.jenis_kelamin),
            "tanggal_lahir": taken.tanggal_lahir.isoformat(),
            "hubungan_keluarga": str(Relationship.OTHER),
            "reason": "Ikut keluarga",
            "evidence": evidence(),
        },
    )
    assert "sudah terdaftar" in response.content.decode()
    assert not DataUpdate.objects.exists()


def test_death_of_the_head_without_a_new_head_is_refused(household, puskesos_a):
    head = household.members.get(hubungan_keluarga=Relationship.HEAD)
    url = reverse("households:propose_update", args=[household.pk, "kematian"])
    response = client_for(puskesos_a).post(
        url,
        {
            "member": head.pk,
            "tanggal_meninggal": "2026-01-05",
            "reason": "Meninggal",
            "evidence": evidence(),
        },
    )
    assert "Pilih kepala keluarga baru" in response.content.decode()
    assert not DataUpdate.objects.exists()


@pytest.mark.parametrize(
    "slug",
    [
        "tambah-anggota",
        "keluarkan-anggota",
        "ganti-kepala",
        "pindah",
        "pecah-kk",
        "perbaikan",
        "kematian",
        "tinjau-desil",
    ],
)
def test_every_proposal_form_renders(household, puskesos_a, slug):
    response = client_for(puskesos_a).get(
        reverse("households:propose_update", args=[household.pk, slug])
    )
    assert response.status_code == 200
    assert 'name="evidence"' in response.content.decode()


def test_member_correction_form_starts_from_current_values(household, puskesos_a):
    son = household.members.get(hubungan_keluarga=Relationship.CHILD)
    response = client_for(puskesos_a).get(correct_url(household, son))
    assert response.status_code == 200
    assert f'value="{son.nik}"' in response.content.decode()


def test_new_household_form_and_proposal(puskesos_a):
    client = client_for(puskesos_a)
    url = reverse("households:propose_new_household")
    assert client.get(url).status_code == 200
    rows = {
        "anggota-TOTAL_FORMS": "2",
        "anggota-INITIAL_FORMS": "0",
        "anggota-MIN_NUM_FORMS": "1",
        "anggota-MAX_NUM_FORMS": "20",
        "anggota-0-nik": "",
        "anggota-0-nama": "Agus Salim",
        "anggota-0-jenis_kelamin": "1",
        "anggota-0-tanggal_lahir": "1990-01-02",
        "anggota-0-hubungan_keluarga": str(Relationship.HEAD),
        "anggota-1-nama": "",
    }
    response = client.post(
        url,
        {
            "desa": "35.07.01.2001",
            "no_kk": "3507010000999991",
            "alamat": "Dusun Krajan",
            "reason": "Keluarga belum terdaftar",
            "evidence": evidence(),
            **rows,
        },
    )
    update = DataUpdate.objects.get()
    assert response.status_code == 302
    assert update.kind == UpdateKind.NEW_HOUSEHOLD and update.household is None
    assert [m["nama"] for m in update.payload["members"]] == ["Agus Salim"]
    assert not Household.objects.filter(no_kk="3507010000999991").exists()


def test_no_proposal_for_a_household_outside_the_area(puskesos_a):
    other = make_household(DESA_B1)
    response = client_for(puskesos_a).get(correct_url(other))
    assert response.status_code == 404


def test_users_without_the_permission_cannot_propose(household, head_of_office):
    assert client_for(head_of_office).get(correct_url(household)).status_code == 403


# Detail, evidence, decisions -------------------------------------------------------------------


def test_detail_shows_current_and_proposed(household, puskesos_a, operator_a):
    update = correct_address(puskesos_a, household)
    response = client_for(operator_a).get(reverse("households:update_detail", args=[update.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Jl. Melati 3" in body and "Jl. Kenanga 10" in body
    assert "Verifikasi dan teruskan" in body


def test_detail_and_evidence_are_404_outside_the_area(
    household, puskesos_a, operator_b, outsider_admin
):
    update = correct_address(puskesos_a, household)
    for user in (operator_b, outsider_admin):
        client = client_for(user)
        assert client.get(reverse("households:update_detail", args=[update.pk])).status_code == 404
        assert (
            client.get(reverse("households:update_evidence", args=[update.pk])).status_code == 404
        )
        response = client.post(reverse("households:update_verify", args=[update.pk]))
        assert response.status_code == 404
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.PROPOSED


def test_evidence_download_for_the_area(household, puskesos_a, operator_a):
    update = correct_address(puskesos_a, household)
    response = client_for(operator_a).get(reverse("households:update_evidence", args=[update.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]


def test_verify_and_approve_through_the_pages(household, puskesos_a, operator_a, district_admin):
    update = correct_address(puskesos_a, household)
    client_for(operator_a).post(reverse("households:update_verify", args=[update.pk]))
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.VERIFIED
    client_for(district_admin).post(reverse("households:update_approve", args=[update.pk]))
    household.refresh_from_db()
    assert household.alamat == "Jl. Kenanga 10"


def test_verifying_your_own_proposal_through_the_page_is_refused(household, operator_a):
    update = correct_address(operator_a, household)
    response = client_for(operator_a).post(
        reverse("households:update_verify", args=[update.pk]), follow=True
    )
    assert "tidak boleh memverifikasi usulan Anda sendiri" in response.content.decode()
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.PROPOSED


def test_approving_needs_the_permission(household, puskesos_a, operator_a):
    update = verified(correct_address(puskesos_a, household), operator_a)
    response = client_for(operator_a).post(reverse("households:update_approve", args=[update.pk]))
    assert response.status_code == 403
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.VERIFIED


def test_the_proposer_sees_who_rejected_and_why(household, puskesos_a, operator_a):
    update = correct_address(puskesos_a, household)
    client_for(operator_a).post(
        reverse("households:update_reject", args=[update.pk]),
        {"note": "Berita acara tidak ditandatangani kepala desa"},
    )
    client = client_for(puskesos_a)
    detail = client.get(reverse("households:update_detail", args=[update.pk])).content.decode()
    assert "Ditolak oleh Operator A" in detail
    assert "Berita acara tidak ditandatangani kepala desa" in detail
    mine = client.get(reverse("households:my_updates")).content.decode()
    assert "Berita acara tidak ditandatangani kepala desa" in mine
    assert "Ditolak" in mine


def test_rejecting_without_a_reason_is_refused(household, puskesos_a, operator_a):
    update = correct_address(puskesos_a, household)
    response = client_for(operator_a).post(
        reverse("households:update_reject", args=[update.pk]), {"note": ""}, follow=True
    )
    assert "Tuliskan alasan penolakan" in response.content.decode()
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.PROPOSED


# Queues ----------------------------------------------------------------------------------------


def test_verification_queue_is_scoped(household, puskesos_a, operator_a, operator_b):
    update = correct_address(puskesos_a, household)
    url = reverse("households:update_verify_queue")
    assert f"#{update.pk}" in client_for(operator_a).get(url).content.decode()
    assert f"#{update.pk}" not in client_for(operator_b).get(url).content.decode()


def test_approval_queue_holds_verified_proposals(
    household, puskesos_a, operator_a, district_admin, outsider_admin
):
    update = verified(correct_address(puskesos_a, household), operator_a)
    url = reverse("households:update_approve_queue")
    assert f"#{update.pk}" in client_for(district_admin).get(url).content.decode()
    assert f"#{update.pk}" not in client_for(outsider_admin).get(url).content.decode()
    assert client_for(operator_a).get(url).status_code == 403


def test_queue_pages_do_not_grow_queries_with_rows(
    household, puskesos_a, operator_a, django_assert_max_num_queries
):
    for index in range(12):
        correct_address(puskesos_a, household, new=f"Jl. Nomor {index}")
    client = client_for(operator_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("households:update_verify_queue"))
    assert response.content.decode().count("Perbaikan data") >= 12


def test_anonymous_is_sent_to_login(household, puskesos_a):
    update = correct_address(puskesos_a, household)
    client = client_for(puskesos_a)
    client.logout()
    for url in (
        reverse("households:update_detail", args=[update.pk]),
        reverse("households:my_updates"),
        reverse("households:update_evidence", args=[update.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_dashboard_panel_links_the_queue_with_its_count(household, puskesos_a, operator_a):
    register_panels()
    correct_address(puskesos_a, household)
    assert service.queue_counts(operator_a)["to_verify"] == 1
    body = client_for(operator_a).get(reverse("home")).content.decode()
    assert "Usulan perubahan data" in body
    assert reverse("households:update_verify_queue") in body


@pytest.mark.parametrize("name", ["update_verify", "update_approve", "update_reject"])
def test_decisions_only_accept_post(household, puskesos_a, operator_a, name):
    update = correct_address(puskesos_a, household)
    response = client_for(operator_a).get(reverse(f"households:{name}", args=[update.pk]))
    assert response.status_code == 405
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.PROPOSED


@pytest.fixture
def proposals_in_three_desa(district_admin, operator_a, operator_b):
    """Per queue, one proposal in each of DESA_A1, DESA_A2 (kecamatan A) and DESA_B1: waiting
    for verification, and verified (waiting for approval). All proposed by the district admin."""
    waiting, to_approve = {}, {}
    for desa, verifier in ((DESA_A1, operator_a), (DESA_A2, operator_a), (DESA_B1, operator_b)):
        payload = {"desil_before": None, "desil": 3}
        household = make_household(desa)
        waiting[desa] = propose(district_admin, household, UpdateKind.DECILE_REVIEW, payload)
        to_approve[desa] = verified(
            propose(district_admin, household, UpdateKind.DECILE_REVIEW, payload), verifier
        )
    return waiting, to_approve


@pytest.mark.parametrize("queue", ["my_updates", "update_verify_queue", "update_approve_queue"])
def test_queues_filter_by_kecamatan_and_desa_code(queue, proposals_in_three_desa, district_admin):
    waiting, to_approve = proposals_in_three_desa
    # The superuser neither proposed nor verified anything, so both queues hold all three.
    viewer = get_user_model().objects.create_superuser("root", password="rahasia-uji-123")
    shown = {
        "my_updates": (district_admin, [waiting, to_approve]),
        "update_verify_queue": (viewer, [waiting]),
        "update_approve_queue": (viewer, [to_approve]),
    }
    user, groups = shown[queue]
    client = client_for(user)
    url = reverse(f"households:{queue}")

    def listed(wilayah):
        response = client.get(url, {"wilayah": wilayah})
        assert response.status_code == 200
        return {update.pk for update in response.context["table"].data}

    def expected(*desa):
        return {group[d].pk for group in groups for d in desa}

    assert listed(KEC_A) == expected(DESA_A1, DESA_A2)
    assert listed(DESA_A1) == expected(DESA_A1)
    assert listed(DESA_B1) == expected(DESA_B1)
    # Typed without dots, as on a printed list.
    assert listed(KEC_A.replace(".", "")) == expected(DESA_A1, DESA_A2)
