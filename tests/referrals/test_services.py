"""Intakes and referrals: consent, due dates in working days, the status machine and who may
move it, unregistered residents, double submits, the overdue job."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied

from core.models import Holiday, Notification
from households.models import DataUpdate
from households.models.updates import UpdateKind
from referrals import services
from referrals.choices import ConsentBasis, Need, ReferralStatus
from referrals.models import Intake, Referral, ServiceLevel
from tests.conftest import DESA_A1, DESA_B1, KAB
from tests.referrals import factories as f


@pytest.fixture
def point(db):
    return f.service_point()


@pytest.fixture
def agency(provider):
    return f.puskesmas(provider)


def test_service_levels_are_seeded_per_sector(db):
    assert ServiceLevel.objects.count() == len(Need.choices)
    assert services.service_days(Need.HEALTH) == 3


def test_an_intake_records_needs_once_each(puskesos_a, point):
    intake = f.intake(puskesos_a, point, needs=(Need.HEALTH, Need.EDUCATION, Need.HEALTH))
    assert sorted(intake.needs.values_list("need", flat=True)) == ["kesehatan", "pendidikan"]
    assert intake.household_id == intake.member.household_id
    assert intake.desa_id == DESA_A1


def test_an_intake_without_any_need_is_refused(puskesos_a, point):
    with pytest.raises(services.ReferralError, match="paling sedikit satu kebutuhan"):
        f.intake(puskesos_a, point, needs=())
    assert not Intake.objects.exists()


def test_the_same_form_submitted_twice_is_one_intake(puskesos_a, point):
    token = uuid.uuid4()
    member = f.resident()
    first = f.intake(puskesos_a, point, member=member, submission=token)
    again, created = services.record_intake(
        user=puskesos_a,
        service_point=point,
        channel="datang",
        story="lagi",
        needs=[(Need.FOOD, "")],
        consent=ConsentBasis.RESIDENT,
        member=member,
        submission=token,
    )
    assert again.pk == first.pk and not created
    assert Intake.objects.count() == 1


def test_a_resident_outside_the_area_cannot_be_recorded(puskesos_a, point):
    stranger = f.resident(desa=DESA_B1)
    with pytest.raises(services.ReferralError, match="di luar wilayah"):
        f.intake(puskesos_a, point, member=stranger)


def test_an_unregistered_person_becomes_a_new_household_proposal(puskesos_a, point):
    person = services.UnregisteredPerson(
        household={
            "no_kk": "3507010101260001",
            "alamat": "Dusun Krajan",
            "rt": "1",
            "rw": "2",
            "dusun": "",
        },
        member={
            "nik": None,
            "nama": "Paijo",
            "jenis_kelamin": 1,
            "tempat_lahir": "Malang",
            "tanggal_lahir": "1970-01-01",
            "hubungan_keluarga": 1,
        },
        nik_warnings=[],
    )
    intake, _ = services.record_intake(
        user=puskesos_a,
        service_point=point,
        channel="kunjungan",
        story="Belum punya KTP.",
        needs=[(Need.CIVIL_REGISTRATION, "")],
        consent=ConsentBasis.RESIDENT,
        person=person,
        desa_code=DESA_A1,
    )
    update = DataUpdate.objects.get()
    assert intake.data_update == update and intake.member is None
    assert intake.resident_name == "Paijo"
    assert update.kind == UpdateKind.NEW_HOUSEHOLD and update.desa_id == DESA_A1
    assert update.payload["members"][0]["nama"] == "Paijo"
    assert f"#{intake.pk}" in update.reason


def test_due_date_counts_working_days_from_the_sector_level(puskesos_a, point, agency, monkeypatch):
    friday = datetime.date(2026, 12, 4)
    monkeypatch.setattr("referrals.services.timezone.localdate", lambda: friday)
    Holiday.objects.create(date=datetime.date(2026, 12, 8), name="Cuti bersama", region_id=KAB)
    referral = f.referral(puskesos_a, point, agency)
    # Health: 3 working days from Fri 4/12 → Mon 7, (Tue 8 off), Wed 9, Thu 10.
    assert referral.sent_on == friday
    assert referral.due_date == datetime.date(2026, 12, 10)
    assert referral.reference == f"RJK/{DESA_A1}/2026/{referral.pk:06d}"


def test_referral_needs_consent_or_a_written_override(puskesos_a, point, agency):
    intake = f.intake(puskesos_a, point, consent=ConsentBasis.NONE)
    need = intake.needs.get()
    with pytest.raises(services.ReferralError, match="persetujuan"):
        services.refer(user=puskesos_a, need=need, agency=agency, reason="x")
    with pytest.raises(services.ReferralError, match="alasan"):
        services.refer(
            user=puskesos_a, need=need, agency=agency, reason="x", consent=ConsentBasis.EMERGENCY
        )
    referral = services.refer(
        user=puskesos_a,
        need=need,
        agency=agency,
        reason="x",
        consent=ConsentBasis.EMERGENCY,
        consent_note="Pasien tidak sadar, keluarga belum datang",
    )
    assert referral.consent == ConsentBasis.EMERGENCY


def test_an_inactive_agency_is_refused_with_a_clear_message(puskesos_a, point, agency):
    agency.active = False
    agency.save()
    intake = f.intake(puskesos_a, point)
    with pytest.raises(services.ReferralError, match="tidak aktif"):
        services.refer(user=puskesos_a, need=intake.needs.get(), agency=agency, reason="x")
    assert not Referral.objects.exists()


def test_one_open_referral_per_need(puskesos_a, point, agency):
    referral = f.referral(puskesos_a, point, agency)
    with pytest.raises(services.ReferralError, match="masih berjalan"):
        services.refer(user=puskesos_a, need=referral.need, agency=agency, reason="lagi")
    services.change_status(puskesos_a, referral, "revoke", "Salah lembaga")
    again = services.refer(user=puskesos_a, need=referral.need, agency=agency, reason="lagi")
    assert again.pk != referral.pk


def test_the_provider_accepts_serves_and_completes(puskesos_a, provider, point, agency):
    referral = f.referral(puskesos_a, point, agency)
    assert [s.name for s in services.steps_for(provider, referral)] == ["accept", "reject"]
    assert [s.name for s in services.steps_for(puskesos_a, referral)] == ["revoke"]
    services.change_status(provider, referral, "accept")
    services.change_status(provider, referral, "start")
    services.change_status(provider, referral, "complete", "Diperiksa dokter, diberi obat")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome == "Diperiksa dokter, diberi obat"
    assert list(referral.events.values_list("to_status", "user__username")) == [
        ("sent", "puskesos_a"),
        ("accepted", "provider"),
        ("in_service", "provider"),
        ("completed", "provider"),
    ]
    # The sender hears of each answer.
    assert Notification.objects.filter(user=puskesos_a).count() == 3


def test_only_allowed_transitions(puskesos_a, provider, point, agency):
    referral = f.referral(puskesos_a, point, agency)
    with pytest.raises(services.ReferralError, match="tidak bisa"):
        services.change_status(provider, referral, "complete", "x")
    services.change_status(provider, referral, "reject", "Bukan wilayah kerja kami")
    with pytest.raises(services.ReferralError, match="Ditolak"):
        services.change_status(provider, referral, "complete", "x")
    with pytest.raises(services.ReferralError, match="Ditolak"):
        services.change_status(puskesos_a, referral, "revoke", "x")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED
    assert referral.closing_reason == "Bukan wilayah kerja kami"


def test_steps_need_their_note(puskesos_a, provider, point, agency):
    referral = f.referral(puskesos_a, point, agency)
    with pytest.raises(services.ReferralError, match="alasan penolakan"):
        services.change_status(provider, referral, "reject", "  ")
    services.change_status(provider, referral, "accept")
    with pytest.raises(services.ReferralError, match="layanan yang diberikan"):
        services.change_status(provider, referral, "complete", "")


def test_only_the_right_role_moves_a_referral(puskesos_a, operator_a, provider, point, agency):
    referral = f.referral(puskesos_a, point, agency)
    with pytest.raises(PermissionDenied):
        services.change_status(puskesos_a, referral, "accept")
    with pytest.raises(PermissionDenied):
        services.change_status(provider, referral, "revoke", "x")
    other_partner = f.make_provider("mitra_lain")
    f.puskesmas(other_partner, name="Puskesmas Lain")
    with pytest.raises(services.ReferralError, match="di luar"):
        services.change_status(other_partner, referral, "accept")
    services.change_status(operator_a, referral, "revoke", "Warga membatalkan")


def test_overdue_job_marks_late_referrals_and_tells_once_a_day(
    puskesos_a, provider, point, agency, monkeypatch
):
    late = f.referral(puskesos_a, point, agency)
    on_time = f.referral(puskesos_a, point, agency)
    Referral.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 1, 5))
    done = f.referral(puskesos_a, point, agency)
    Referral.objects.filter(pk=done.pk).update(
        due_date=datetime.date(2026, 1, 5), status=ReferralStatus.COMPLETED
    )
    result = services.mark_overdue()
    assert result["marked"] == 1 and result["overdue"] == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.overdue_since is not None and on_time.overdue_since is None
    assert (
        Notification.objects.filter(user=puskesos_a, key__startswith="referrals-overdue").count()
        == 1
    )
    assert (
        Notification.objects.filter(user=provider, key__startswith="referrals-overdue").count() == 1
    )
    again = services.mark_overdue()
    assert again["marked"] == 0 and again["notified"] == 0
