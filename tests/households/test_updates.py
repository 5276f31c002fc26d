"""Data updates (pemutakhiran): maker–checker rules and what an approval applies."""

import datetime

import pytest
from django.db.models import Q

from accounts.roles import Role
from households.choices import (
    ChangeSource,
    HouseholdStatus,
    MemberStatus,
    NikFlag,
    Relationship,
    Sex,
)
from households.models import ChangeLog, DataUpdate, Household, KKHistory, Member
from households.models.updates import UpdateKind, UpdateStatus
from households.nik import forget_region_codes, make_nik
from households.services import updates as service
from households.services.updates import UpdateError
from tests.conftest import DESA_A1, DESA_A2, DESA_B1, make_persona
from tests.households.update_factories import (
    evidence,
    make_household,
    new_no_kk,
    propose,
    verified,
)

FAMILY_HEAD = ("Slamet Riyadi", Sex.MALE, datetime.date(1950, 8, 17), Relationship.HEAD)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forget_region_codes()


@pytest.fixture
def second_admin(db):
    return make_persona("second_admin", Role.ADMIN_DINAS, "35.07")


@pytest.fixture
def household(db):
    return make_household(DESA_A1)


def correct_address(user, household, new="Jl. Kenanga 10"):
    return propose(
        user,
        household,
        UpdateKind.CORRECT,
        {"target": "household", "changes": {"alamat": [household.alamat, new]}},
    )


def approved(update, operator, admin):
    return service.approve(verified(update, operator), admin)


# Maker–checker ---------------------------------------------------------------------------------


def test_only_approval_changes_the_registry_and_history_says_who_when_what(
    household, puskesos_a, operator_a, district_admin
):
    update = correct_address(puskesos_a, household)
    household.refresh_from_db()
    assert household.alamat == "Jl. Melati 3"
    verified(update, operator_a)
    household.refresh_from_db()
    assert household.alamat == "Jl. Melati 3"
    assert not ChangeLog.objects.filter(household=household).exists()

    update = service.approve(update, district_admin)

    household.refresh_from_db()
    assert household.alamat == "Jl. Kenanga 10"
    assert household.version == 2
    assert update.status == UpdateStatus.APPROVED
    assert update.decided_by == district_admin and update.decided_at is not None
    log = ChangeLog.objects.get(household=household)
    assert log.source == ChangeSource.DATA_UPDATE
    assert log.data_update == update
    assert log.user == district_admin
    assert log.changes == {"alamat": ["Jl. Melati 3", "Jl. Kenanga 10"]}


def test_nobody_verifies_their_own_proposal(household, operator_a):
    update = correct_address(operator_a, household)
    with pytest.raises(UpdateError, match="sendiri"):
        service.verify(update, operator_a)
    update.refresh_from_db()
    assert update.status == UpdateStatus.PROPOSED and update.verified_by is None


def test_nobody_approves_their_own_proposal(household, district_admin, operator_a, second_admin):
    update = verified(correct_address(district_admin, household), operator_a)
    with pytest.raises(UpdateError, match="sendiri"):
        service.approve(update, district_admin)
    household.refresh_from_db()
    assert household.alamat == "Jl. Melati 3"
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.VERIFIED

    service.approve(update, second_admin)
    household.refresh_from_db()
    assert household.alamat == "Jl. Kenanga 10"


def test_the_verifier_cannot_also_approve(household, puskesos_a, operator_a):
    operator_a.is_superuser = True  # holds every permission, still only one pair of eyes
    operator_a.save()
    update = verified(correct_address(puskesos_a, household), operator_a)
    with pytest.raises(UpdateError, match="orang lain"):
        service.approve(update, operator_a)
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.VERIFIED


def test_nobody_rejects_their_own_proposal(household, operator_a):
    update = correct_address(operator_a, household)
    with pytest.raises(UpdateError):
        service.reject(update, operator_a, "salah ketik")
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.PROPOSED


def test_an_unverified_proposal_cannot_be_approved(household, puskesos_a, district_admin):
    update = correct_address(puskesos_a, household)
    with pytest.raises(UpdateError, match="belum diverifikasi"):
        service.approve(update, district_admin)
    household.refresh_from_db()
    assert household.alamat == "Jl. Melati 3"


def test_an_approval_applies_only_once(household, puskesos_a, operator_a, district_admin):
    update = approved(correct_address(puskesos_a, household), operator_a, district_admin)
    with pytest.raises(UpdateError):
        service.approve(update, district_admin)
    assert ChangeLog.objects.filter(data_update=update).count() == 1
    household.refresh_from_db()
    assert household.version == 2


def test_a_rejection_records_who_and_why_and_leaves_the_registry(
    household, puskesos_a, operator_a, district_admin
):
    update = service.reject(
        correct_address(puskesos_a, household), operator_a, "Berita acara belum ditandatangani"
    )
    assert update.status == UpdateStatus.REJECTED
    assert update.decided_by == operator_a
    assert update.decision_note == "Berita acara belum ditandatangani"
    with pytest.raises(UpdateError):
        service.verify(update, district_admin)
    with pytest.raises(UpdateError):
        service.approve(update, district_admin)
    household.refresh_from_db()
    assert household.alamat == "Jl. Melati 3"


def test_rejection_needs_a_reason(household, puskesos_a, operator_a):
    update = correct_address(puskesos_a, household)
    with pytest.raises(UpdateError, match="alasan"):
        service.reject(update, operator_a, "   ")


def test_the_district_admin_rejects_at_the_approval_step(
    household, puskesos_a, operator_a, district_admin
):
    update = verified(correct_address(puskesos_a, household), operator_a)
    with pytest.raises(UpdateError, match="tidak berhak"):
        service.reject(update, operator_a, "berubah pikiran")
    update = service.reject(update, district_admin, "Data Dukcapil berbeda")
    assert update.status == UpdateStatus.REJECTED and update.decided_by == district_admin


# Scope -----------------------------------------------------------------------------------------


def test_an_operator_of_another_kecamatan_cannot_verify(household, puskesos_a, operator_b):
    update = correct_address(puskesos_a, household)
    with pytest.raises(UpdateError, match="wilayah"):
        service.verify(update, operator_b)
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.PROPOSED


def test_nobody_proposes_for_a_household_outside_their_area(puskesos_a):
    other = make_household(DESA_B1)
    with pytest.raises(UpdateError, match="wilayah"):
        correct_address(puskesos_a, other)
    assert not DataUpdate.objects.exists()


def test_area_is_checked_again_when_applying(household, puskesos_a, operator_a, district_admin):
    update = verified(correct_address(puskesos_a, household), operator_a)
    # The admin's area was narrowed to kecamatan B after the proposal reached the queue.
    district_admin.profile.area_code = "35.07.02"
    district_admin.profile.save()
    with pytest.raises(UpdateError, match="wilayah"):
        service.approve(update, district_admin)


def test_queues_hold_what_waits_on_each_role(
    household, puskesos_a, facilitator_a, operator_a, operator_b, district_admin
):
    waiting = correct_address(puskesos_a, household)
    other = correct_address(facilitator_a, make_household(DESA_A2), new="Jl. Mawar")
    verified(other, operator_a)
    assert list(service.waiting_verification(operator_a)) == [waiting]
    assert list(service.waiting_verification(operator_b)) == []
    assert list(service.waiting_approval(district_admin)) == [other]
    assert list(service.proposed_by(puskesos_a)) == [waiting]
    counts = service.queue_counts(district_admin)
    assert counts["to_approve"] == 1 and counts["to_verify"] == 1


# NIK checks ------------------------------------------------------------------------------------


def member_payload(nik, name="Dewi Lestari", born=datetime.date(2001, 4, 9), sex=Sex.FEMALE):
    return {
        "nik": nik,
        "nama": name,
        "jenis_kelamin": sex,
        "tempat_lahir": "Malang",
        "tanggal_lahir": born.isoformat(),
        "hubungan_keluarga": Relationship.CHILD,
        "status_kawin": "belum_kawin",
    }


def test_nik_uniqueness_is_checked_again_at_approval(
    household, puskesos_a, facilitator_a, operator_a, district_admin
):
    nik = make_nik("35.07.01", datetime.date(2001, 4, 9), Sex.FEMALE, 77)
    first = verified(
        propose(puskesos_a, household, UpdateKind.ADD_MEMBER, {"member": member_payload(nik)}),
        operator_a,
    )
    other_household = make_household(DESA_A2)
    second = verified(
        propose(
            facilitator_a, other_household, UpdateKind.ADD_MEMBER, {"member": member_payload(nik)}
        ),
        operator_a,
    )
    service.approve(first, district_admin)
    with pytest.raises(UpdateError, match="sudah terdaftar"):
        service.approve(second, district_admin)
    assert DataUpdate.objects.get(pk=second.pk).status == UpdateStatus.VERIFIED
    assert Member.objects.filter(nik=nik).count() == 1


def test_nik_warnings_become_flags_when_applied(household, puskesos_a, operator_a, district_admin):
    # The NIK encodes 09/04/2001 but the member is said to be born a day later.
    nik = make_nik("35.07.01", datetime.date(2001, 4, 9), Sex.FEMALE, 78)
    payload = {"member": member_payload(nik, born=datetime.date(2001, 4, 10))}
    update = approved(
        propose(puskesos_a, household, UpdateKind.ADD_MEMBER, payload), operator_a, district_admin
    )
    member = Member.objects.get(nik=nik)
    assert member.nik_flags == [NikFlag.BIRTHDATE_MISMATCH]
    assert DataUpdate.objects.get(pk=update.pk).member == member
    log = ChangeLog.objects.get(member=member)
    assert log.source == ChangeSource.DATA_UPDATE and log.changes["nama"] == [None, "Dewi Lestari"]


# Each kind of change ---------------------------------------------------------------------------


def test_new_household_with_members(puskesos_a, operator_a, district_admin):
    head_nik = make_nik("35.07.01", datetime.date(1990, 1, 2), Sex.MALE, 501)
    no_kk = new_no_kk(DESA_A1)
    update = service.propose(
        user=puskesos_a,
        kind=UpdateKind.NEW_HOUSEHOLD,
        desa_code=DESA_A1,
        payload={
            "household": {
                "no_kk": no_kk,
                "alamat": "Dusun Krajan",
                "rt": "",
                "rw": "",
                "dusun": "",
            },
            "members": [
                {
                    **member_payload(head_nik, "Agus Salim", datetime.date(1990, 1, 2), Sex.MALE),
                    "hubungan_keluarga": Relationship.HEAD,
                },
                member_payload(None, "Putri Salim", datetime.date(2015, 6, 1)),
            ],
        },
        reason="Keluarga belum terdaftar",
        evidence=evidence(),
    )
    assert not Household.objects.filter(no_kk=no_kk).exists()
    approved(update, operator_a, district_admin)
    household = Household.objects.get(no_kk=no_kk)
    assert household.desa_id == DESA_A1
    assert DataUpdate.objects.get(pk=update.pk).household == household
    assert [m.nama for m in household.members.order_by("hubungan_keluarga")] == [
        "Agus Salim",
        "Putri Salim",
    ]
    assert household.members.get(nama="Putri Salim").nik_flags == [NikFlag.MISSING]
    assert KKHistory.objects.filter(household=household, no_kk=no_kk).exists()
    assert (
        ChangeLog.objects.filter(household=household, source=ChangeSource.DATA_UPDATE).count() == 3
    )


def test_proposing_a_new_household_outside_the_area_is_refused(puskesos_a):
    with pytest.raises(UpdateError, match="wilayah"):
        service.propose(
            user=puskesos_a,
            kind=UpdateKind.NEW_HOUSEHOLD,
            desa_code=DESA_B1,
            payload={"household": {}, "members": []},
            reason="x",
            evidence=evidence(),
        )


def test_death_of_the_head_names_a_new_head(household, puskesos_a, operator_a, district_admin):
    head = household.members.get(hubungan_keluarga=Relationship.HEAD)
    spouse = household.members.get(hubungan_keluarga=Relationship.SPOUSE)
    update = propose(
        puskesos_a,
        household,
        UpdateKind.DEATH,
        {"tanggal_meninggal": "2026-01-05", "new_head": spouse.pk},
        member=head,
    )
    approved(update, operator_a, district_admin)
    head.refresh_from_db()
    spouse.refresh_from_db()
    assert head.status == MemberStatus.DECEASED
    assert head.tanggal_meninggal == datetime.date(2026, 1, 5)
    assert spouse.hubungan_keluarga == Relationship.HEAD
    assert ChangeLog.objects.get(member=head).changes["status"] == ["alive", "deceased"]


def test_removing_the_last_member_closes_the_household(puskesos_a, operator_a, district_admin):
    household = make_household(DESA_A1, people=[FAMILY_HEAD])
    member = household.members.get()
    update = propose(
        puskesos_a,
        household,
        UpdateKind.REMOVE_MEMBER,
        {"removal_reason": "moved", "date": "2026-02-01", "new_head": None},
        member=member,
    )
    approved(update, operator_a, district_admin)
    member.refresh_from_db()
    household.refresh_from_db()
    assert member.status == MemberStatus.MOVED
    assert household.status == HouseholdStatus.MOVED


def test_change_head_with_a_new_family_card(household, puskesos_a, operator_a, district_admin):
    son = household.members.get(hubungan_keluarga=Relationship.CHILD)
    old_kk = household.no_kk
    new_kk = new_no_kk(DESA_A1)
    update = propose(
        puskesos_a,
        household,
        UpdateKind.CHANGE_HEAD,
        {"new_head": son.pk, "old_head_relationship": Relationship.PARENT, "no_kk": new_kk},
        member=son,
    )
    approved(update, operator_a, district_admin)
    household.refresh_from_db()
    assert household.no_kk == new_kk
    assert household.members.get(hubungan_keluarga=Relationship.HEAD) == son
    assert household.members.get(nama="Budi Santoso").hubungan_keluarga == Relationship.PARENT
    history = list(KKHistory.objects.filter(household=household).order_by("valid_from"))
    assert [h.no_kk for h in history] == [old_kk, new_kk]
    assert history[0].valid_to is not None


def test_move_to_another_desa(household, puskesos_a, operator_a, district_admin):
    update = propose(
        puskesos_a,
        household,
        UpdateKind.MOVE,
        {
            "desa": DESA_B1,
            "alamat": "Jl. Baru 1",
            "rt": "003",
            "rw": "001",
            "dusun": "",
            "no_kk": "",
        },
    )
    approved(update, operator_a, district_admin)
    household.refresh_from_db()
    assert household.desa_id == DESA_B1 and household.alamat == "Jl. Baru 1"
    log = ChangeLog.objects.get(household=household)
    assert log.changes["desa"] == [DESA_A1, DESA_B1]


def test_split_moves_members_to_a_new_family_card(
    household, puskesos_a, operator_a, district_admin
):
    son = household.members.get(hubungan_keluarga=Relationship.CHILD)
    daughter_in_law = household.members.create(
        nama="Ayu Wulandari",
        jenis_kelamin=Sex.FEMALE,
        tanggal_lahir=datetime.date(2007, 2, 2),
        hubungan_keluarga=Relationship.CHILD_IN_LAW,
    )
    new_kk = new_no_kk(DESA_A1)
    update = propose(
        puskesos_a,
        household,
        UpdateKind.SPLIT,
        {
            "members": {
                str(son.pk): Relationship.CHILD,
                str(daughter_in_law.pk): Relationship.SPOUSE,
            },
            "new_head": son.pk,
            "no_kk": new_kk,
            "alamat": "Jl. Melati 3A",
            "rt": "001",
            "rw": "002",
            "dusun": "",
        },
    )
    approved(update, operator_a, district_admin)
    new_household = Household.objects.get(no_kk=new_kk)
    son.refresh_from_db()
    daughter_in_law.refresh_from_db()
    assert son.household == new_household and son.hubungan_keluarga == Relationship.HEAD
    assert daughter_in_law.hubungan_keluarga == Relationship.SPOUSE
    assert household.members.count() == 2
    assert ChangeLog.objects.filter(household=household, member=son).exists()
    assert ChangeLog.objects.filter(household=new_household, member=son).exists()


def test_member_correction_recomputes_nik_flags(household, puskesos_a, operator_a, district_admin):
    son = household.members.get(hubungan_keluarga=Relationship.CHILD)
    wrong_birth = datetime.date(2006, 11, 21).isoformat()
    update = propose(
        puskesos_a,
        household,
        UpdateKind.CORRECT,
        {
            "target": "member",
            "changes": {"tanggal_lahir": [son.tanggal_lahir.isoformat(), wrong_birth]},
        },
        member=son,
    )
    approved(update, operator_a, district_admin)
    son.refresh_from_db()
    assert son.tanggal_lahir.isoformat() == wrong_birth
    assert son.nik_flags == [NikFlag.BIRTHDATE_MISMATCH]


def test_a_correction_of_data_changed_meanwhile_is_refused(
    household, puskesos_a, operator_a, district_admin
):
    update = verified(correct_address(puskesos_a, household), operator_a)
    Household.objects.filter(pk=household.pk).update(alamat="Jl. Lain")
    with pytest.raises(UpdateError, match="sudah berubah"):
        service.approve(update, district_admin)
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.VERIFIED
    household.refresh_from_db()
    assert household.alamat == "Jl. Lain"


def test_decile_review(household, puskesos_a, operator_a, district_admin):
    update = propose(
        puskesos_a, household, UpdateKind.DECILE_REVIEW, {"desil_before": None, "desil": 2}
    )
    approved(update, operator_a, district_admin)
    household.refresh_from_db()
    assert household.desil == 2
    assert ChangeLog.objects.filter(
        Q(household=household) & Q(source=ChangeSource.DATA_UPDATE)
    ).get().changes == {"desil": [None, 2]}
