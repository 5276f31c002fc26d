"""The referral pages per role and area: intake from the phone form, the lists, the provider's
inbox (only its agency's referrals, 404 elsewhere, the household page too), steps, the letter,
the daily log and its export."""

import uuid

import pytest
from django.urls import reverse

from households.models import ExportLog
from referrals.choices import Need
from referrals.models import Intake, Referral, ServicePoint
from referrals.services import service_days
from tests.conftest import DESA_A1, DESA_B1, client_for
from tests.referrals import factories as f


@pytest.fixture
def point(db):
    return f.service_point(name="Puskesos Desa Satu")


@pytest.fixture
def agency(provider):
    return f.puskesmas(provider)


def test_search_by_nik_is_a_post_and_finds_the_resident(puskesos_a, point):
    member = f.resident(name="Sri Wahyuni")
    client = client_for(puskesos_a)
    page = client.get(reverse("referrals:intake_add")).content.decode()
    assert 'method="post"' in page
    found = client.post(reverse("referrals:intake_add"), {"action": "search", "q": member.nik})
    assert "Sri Wahyuni" in found.content.decode()
    by_name = client.post(reverse("referrals:intake_add"), {"action": "search", "q": "Sri Wahyuni"})
    assert f"?warga={member.pk}" in by_name.content.decode()


def test_the_search_does_not_find_residents_outside_the_area(puskesos_a, point):
    stranger = f.resident(desa=DESA_B1, name="Orang Lain")
    found = client_for(puskesos_a).post(
        reverse("referrals:intake_add"), {"action": "search", "q": stranger.nik}
    )
    assert "Orang Lain" not in found.content.decode()
    picked = client_for(puskesos_a).get(reverse("referrals:intake_add"), {"warga": stranger.pk})
    assert picked.status_code == 404


def intake_post(member, **extra):
    return {
        "action": "save",
        "member": member.pk,
        "service_point": ServicePoint.objects.get().pk,
        "channel": "datang",
        "needs": ["kesehatan", "adminduk"],
        "need_note": "Berobat rutin",
        "story": "Batuk lama, belum punya BPJS.",
        "consent": "warga",
        "submission": str(uuid.uuid4()),
        **extra,
    }


def test_intake_form_records_and_a_double_submit_records_once(puskesos_a, point):
    member = f.resident()
    client = client_for(puskesos_a)
    data = intake_post(member)
    first = client.post(reverse("referrals:intake_add"), data)
    assert first.status_code == 302
    second = client.post(reverse("referrals:intake_add"), data, follow=True)
    assert "tidak dicatat dua kali" in second.content.decode()
    intake = Intake.objects.get()
    assert intake.service_point == point
    assert sorted(intake.needs.values_list("need", flat=True)) == ["adminduk", "kesehatan"]


def test_intake_without_a_need_gets_a_clear_message(puskesos_a, point):
    member = f.resident()
    response = client_for(puskesos_a).post(
        reverse("referrals:intake_add"), intake_post(member, needs=[])
    )
    assert response.status_code == 400
    assert "paling sedikit satu kebutuhan" in response.content.decode()
    assert not Intake.objects.exists()


def test_unregistered_resident_from_the_form(puskesos_a, point):
    data = {
        "action": "save",
        "baru": "1",
        "service_point": point.pk,
        "channel": "kunjungan",
        "needs": ["adminduk"],
        "story": "Belum punya KTP.",
        "consent": "warga",
        "submission": str(uuid.uuid4()),
        "warga-nik": "",
        "warga-nama": "Paijo",
        "warga-jenis_kelamin": "1",
        "warga-tempat_lahir": "Malang",
        "warga-tanggal_lahir": "01/01/1970",
        "alamat-desa": DESA_A1,
        "alamat-no_kk": "3507010101260001",
        "alamat-alamat": "Dusun Krajan",
    }
    response = client_for(puskesos_a).post(reverse("referrals:intake_add") + "?baru=1", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    intake = Intake.objects.get()
    assert intake.person_name == "Paijo" and intake.data_update is not None
    page = client_for(puskesos_a).get(reverse("referrals:intake_detail", args=[intake.pk]))
    assert "Usulan keluarga baru" in page.content.decode()


def test_refer_from_the_intake_page(puskesos_a, provider, point, agency):
    intake = f.intake(puskesos_a, point)
    need = intake.needs.get()
    client = client_for(puskesos_a)
    page = client.get(reverse("referrals:intake_detail", args=[intake.pk])).content.decode()
    assert "Kirim rujukan" in page
    response = client.post(
        reverse("referrals:refer", args=[intake.pk, need.pk]),
        {f"need{need.pk}-agency": agency.pk, f"need{need.pk}-reason": "Mohon diperiksa"},
    )
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    again = client.post(
        reverse("referrals:refer", args=[intake.pk, need.pk]),
        {f"need{need.pk}-agency": agency.pk, f"need{need.pk}-reason": "lagi"},
        follow=True,
    )
    assert "masih berjalan" in again.content.decode()
    assert Referral.objects.count() == 1


def test_the_provider_sees_only_its_agency_referrals(puskesos_a, provider, point, agency):
    mine = f.referral(puskesos_a, point, agency)
    other_agency = f.puskesmas(name="Puskesmas Lain")
    theirs = f.referral(puskesos_a, point, other_agency)
    client = client_for(provider)
    assert client.get(reverse("referrals:index"))["Location"] == reverse("referrals:inbox")
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert mine.reference in inbox and theirs.reference not in inbox
    assert client.get(reverse("referrals:referral_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("referrals:referral_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("referrals:referral_letter", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("referrals:intake_detail", args=[mine.intake_id])).status_code == 404
    household = reverse("households:household_detail", args=[mine.household_id])
    assert client.get(household).status_code in (403, 404)
    assert client.get(reverse("households:household_list")).status_code == 403
    assert client.get(reverse("referrals:intake_list")).status_code == 403


def test_the_provider_answers_from_the_referral_page(puskesos_a, provider, point, agency):
    referral = f.referral(puskesos_a, point, agency)
    client = client_for(provider)
    page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    assert "Terima" in page and "Tolak" in page
    assert "Desil" not in page  # only what the referral needs
    client.post(reverse("referrals:referral_step", args=[referral.pk, "accept"]))
    response = client.post(
        reverse("referrals:referral_step", args=[referral.pk, "complete"]),
        {"note": "Diberi obat dan rujukan BPJS PBI"},
        follow=True,
    )
    assert "Selesai dilayani" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "completed"
    # The closed loop on the household page.
    household = client_for(puskesos_a).get(
        reverse("households:household_detail", args=[referral.household_id])
    )
    body = household.content.decode()
    assert referral.reference in body and "Diberi obat dan rujukan BPJS PBI" in body


def test_completing_a_rejected_referral_is_a_message_not_an_error(
    puskesos_a, provider, point, agency
):
    referral = f.referral(puskesos_a, point, agency)
    client = client_for(provider)
    client.post(
        reverse("referrals:referral_step", args=[referral.pk, "reject"]), {"note": "Salah alamat"}
    )
    response = client.post(
        reverse("referrals:referral_step", args=[referral.pk, "complete"]),
        {"note": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "tidak bisa" in response.content.decode()


def test_an_operator_of_another_kecamatan_gets_404(puskesos_a, operator_b, point, agency):
    referral = f.referral(puskesos_a, point, agency)
    client = client_for(operator_b)
    for url in [
        reverse("referrals:referral_detail", args=[referral.pk]),
        reverse("referrals:intake_detail", args=[referral.intake_id]),
        reverse("referrals:referral_letter", args=[referral.pk]),
    ]:
        assert client.get(url).status_code == 404
    assert referral.reference not in client.get(reverse("referrals:referral_list")).content.decode()


def test_the_letter_has_the_reference_and_letterhead(puskesos_a, point, agency):
    point.letterhead_title = "PEMERINTAH KABUPATEN MALANG · DINAS SOSIAL"
    point.signer_name = "Drs. Budi"
    point.save()
    referral = f.referral(puskesos_a, point, agency)
    body = client_for(puskesos_a).get(reverse("referrals:referral_letter", args=[referral.pk]))
    text = body.content.decode()
    assert referral.reference in text
    assert "PEMERINTAH KABUPATEN MALANG" in text and "Drs. Budi" in text
    assert "Puskesmas Donomulyo" in text
    assert referral.due_date.strftime("%d/%m/%Y") in text


def test_lists_filter_by_overdue_and_status(puskesos_a, operator_a, point, agency):
    late = f.referral(puskesos_a, point, agency)
    Referral.objects.filter(pk=late.pk).update(due_date="2026-01-05")
    on_time = f.referral(puskesos_a, point, agency)
    client = client_for(operator_a)
    overdue = client.get(reverse("referrals:referral_list"), {"terlambat": "on"}).content.decode()
    assert late.reference in overdue and on_time.reference not in overdue
    index = client.get(reverse("referrals:index")).content.decode()
    assert "Puskesos Desa Satu" in index


def test_daily_log_and_its_logged_export(puskesos_a, point, agency):
    referral = f.referral(puskesos_a, point, agency)
    client = client_for(puskesos_a)
    page = client.get(reverse("referrals:service_log"), {"puskesos": point.pk}).content.decode()
    assert referral.reference in page
    export = client.get(reverse("referrals:service_log"), {"puskesos": point.pk, "export": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert referral.reference in body and "Sri Wahyuni" in body
    assert ExportLog.objects.filter(user=puskesos_a).exists()


def test_service_levels_are_edited_by_the_admin_only(district_admin, puskesos_a):
    client = client_for(district_admin)
    data = {f"{need}-working_days": 5 for need in Need.values}
    data["kesehatan-working_days"] = 2
    assert client.post(reverse("referrals:service_levels"), data).status_code == 302
    assert service_days("kesehatan") == 2
    data["kesehatan-working_days"] = 0
    assert client.post(reverse("referrals:service_levels"), data).status_code == 400
    assert client_for(puskesos_a).post(reverse("referrals:service_levels"), data).status_code == 302
    assert service_days("kesehatan") == 2


def test_service_points_in_the_area(operator_a, operator_b, point):
    client = client_for(operator_a)
    assert (
        "Puskesos Desa Satu" in client.get(reverse("referrals:service_point_list")).content.decode()
    )
    response = client.post(
        reverse("referrals:service_point_add"),
        {"name": "Puskesos Kecamatan", "region": "35.07.01", "active": "on"},
    )
    assert response.status_code == 302
    assert (
        client_for(operator_b)
        .get(reverse("referrals:service_point_edit", args=[point.pk]))
        .status_code
        == 404
    )
    outside = client.post(
        reverse("referrals:service_point_add"),
        {"name": "Luar", "region": "35.07.02", "active": "on"},
    )
    assert outside.status_code == 200  # the region is not a choice: the form says so


def test_the_list_finds_a_referral_by_name_or_number(puskesos_a, operator_a, point, agency):
    wanted = f.referral(puskesos_a, point, agency, member=f.resident(name="Sumarni Rahayu"))
    other = f.referral(puskesos_a, point, agency, member=f.resident(name="Bambang Hartono"))
    client = client_for(operator_a)
    by_name = client.get(reverse("referrals:referral_list"), {"q": "Sumarni"}).content.decode()
    assert wanted.reference in by_name and other.reference not in by_name
    number = wanted.reference.rsplit("/", 1)[1]
    by_number = client.get(reverse("referrals:referral_list"), {"q": number}).content.decode()
    assert wanted.reference in by_number and other.reference not in by_number


def test_malformed_ids_in_the_query_string_are_not_errors(puskesos_a, point):
    client = client_for(puskesos_a)
    assert client.get(reverse("referrals:intake_add"), {"warga": "abc"}).status_code == 404
    log = client.get(reverse("referrals:service_log"), {"puskesos": "abc", "tanggal": "x"})
    assert log.status_code == 200
