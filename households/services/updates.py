"""Data updates (pemutakhiran): propose → verify (kecamatan) → approve (kabupaten) → apply.

Maker–checker rules live here, not in the views: nobody verifies, rejects or approves their own
proposal, the approver is not the verifier, and only ``approve`` touches the registry. Each step
claims the proposal with ``core.claims.claim`` (UPDATE … WHERE status = <expected>) so that two
clicks (or two people) can never verify or apply it twice; the apply (the kind's function in
``households.services.update_apply``) runs in the same transaction as the claim, so a refused
apply leaves the proposal waiting as it was.

Payloads hold plain JSON values (see ``households.history.plain``); their shape per kind:

- ``new_household``: ``{"household": {field: value}, "members": [{field: value}, ...]}``
- ``add_member``: ``{"member": {field: value}}``
- ``remove_member``: ``{"removal_reason": moved|deceased|other, "date": iso|None,
  "new_head": member id|None}`` (``DataUpdate.member`` is the member)
- ``death``: ``{"tanggal_meninggal": iso, "new_head": member id|None}``
- ``change_head``: ``{"new_head": id, "old_head_relationship": int, "no_kk": str}``
- ``move``: ``{"desa": code, "alamat", "rt", "rw", "dusun", "no_kk": str}``
- ``split``: ``{"members": {id: relationship}, "new_head": id, "no_kk", "alamat", "rt", "rw",
  "dusun"}``
- ``correct``: ``{"target": household|member, "changes": {field: [old, new]}}``
- ``decile_review``: ``{"desil_before": int|None, "desil": int}``
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.claims import claim
from core.scope import area_of, code_in_area
from households.models import DataUpdate, Household, Member
from households.models.updates import UpdateStatus
from households.services.update_apply import UpdateError
from households.update_kinds import spec_for

# Proposing -------------------------------------------------------------------------------------


def propose(
    *,
    user,
    kind: str,
    desa_code: str,
    payload: dict,
    reason: str,
    evidence,
    household: Household | None = None,
    member: Member | None = None,
) -> DataUpdate:
    if not user.has_perm("households.add_dataupdate"):
        raise UpdateError(_("Anda tidak berhak mengusulkan perubahan data."))
    area = area_of(user)
    if household is not None:
        if not Household.objects.for_user(user).filter(pk=household.pk).exists():
            raise UpdateError(_("Keluarga ini di luar wilayah kerja Anda."))
        desa_code = household.desa_id
    elif not code_in_area(desa_code, area):
        raise UpdateError(_("Desa/kelurahan ini di luar wilayah kerja Anda."))
    if member is not None and (household is None or member.household_id != household.pk):
        raise UpdateError(_("Anggota ini bukan anggota keluarga tersebut."))
    return DataUpdate.objects.create(
        kind=kind,
        household=household,
        member=member,
        desa_id=desa_code,
        payload=payload,
        reason=reason,
        evidence=evidence,
        proposed_by=user,
    )


# Checking --------------------------------------------------------------------------------------


def _scoped_update(user, update_id) -> DataUpdate:
    update = DataUpdate.objects.for_user(user).filter(pk=update_id).first()
    if update is None:
        raise UpdateError(_("Usulan ini tidak ada di wilayah kerja Anda."))
    return update


def verify(update: DataUpdate, user) -> DataUpdate:
    """The kecamatan operator confirms the proposal is sound; the registry is not touched."""
    if not user.has_perm("households.verify_dataupdate"):
        raise UpdateError(_("Anda tidak berhak memverifikasi usulan."))
    update = _scoped_update(user, update.pk)
    if update.proposed_by_id == user.pk:
        raise UpdateError(_("Anda tidak boleh memverifikasi usulan Anda sendiri."))
    if not claim(
        DataUpdate.objects,
        update.pk,
        UpdateStatus.PROPOSED,
        status=UpdateStatus.VERIFIED,
        verified_by=user,
        verified_at=timezone.now(),
    ):
        raise UpdateError(_("Usulan ini sudah diproses dan tidak menunggu verifikasi lagi."))
    update.refresh_from_db()
    return update


def reject(update: DataUpdate, user, note: str) -> DataUpdate:
    """Refuse a proposal at either step; the proposer sees who refused it and why."""
    note = (note or "").strip()
    if not note:
        raise UpdateError(_("Tuliskan alasan penolakan."))
    update = _scoped_update(user, update.pk)
    needed = {
        UpdateStatus.PROPOSED: "households.verify_dataupdate",
        UpdateStatus.VERIFIED: "households.approve_dataupdate",
    }.get(update.status)
    if needed is None:
        raise UpdateError(_("Usulan ini sudah diputuskan."))
    if not user.has_perm(needed):
        raise UpdateError(_("Anda tidak berhak menolak usulan pada tahap ini."))
    if update.proposed_by_id == user.pk:
        raise UpdateError(_("Anda tidak boleh menolak usulan Anda sendiri."))
    if not claim(
        DataUpdate.objects,
        update.pk,
        update.status,
        status=UpdateStatus.REJECTED,
        decided_by=user,
        decided_at=timezone.now(),
        decision_note=note,
    ):
        raise UpdateError(_("Usulan ini baru saja diproses orang lain."))
    update.refresh_from_db()
    return update


def approve(update: DataUpdate, user) -> DataUpdate:
    """The district admin approves: the change is applied to the registry in one transaction."""
    if not user.has_perm("households.approve_dataupdate"):
        raise UpdateError(_("Anda tidak berhak menyetujui usulan."))
    update = _scoped_update(user, update.pk)
    if update.proposed_by_id == user.pk:
        raise UpdateError(_("Anda tidak boleh menyetujui usulan Anda sendiri."))
    if update.verified_by_id == user.pk:
        raise UpdateError(_("Usulan yang Anda verifikasi harus disetujui orang lain."))
    with transaction.atomic():
        if not claim(
            DataUpdate.objects,
            update.pk,
            UpdateStatus.VERIFIED,
            status=UpdateStatus.APPROVED,
            decided_by=user,
            decided_at=timezone.now(),
        ):
            raise UpdateError(
                _(
                    "Usulan ini tidak menunggu persetujuan (belum diverifikasi atau sudah "
                    "diputuskan)."
                )
            )
        update.refresh_from_db()
        try:
            spec_for(update.kind).apply(update, user)
        except IntegrityError as error:
            # A NIK or No KK taken between the checks below and the write.
            raise UpdateError(
                _("Perubahan bentrok dengan data lain (NIK atau No. KK sudah dipakai).")
            ) from error
    return update


# Queues ----------------------------------------------------------------------------------------


def waiting_verification(user):
    """Proposals in the user's area that wait on a kecamatan operator, except their own."""
    return (
        DataUpdate.objects.for_user(user)
        .filter(status=UpdateStatus.PROPOSED)
        .exclude(proposed_by=user)
    )


def waiting_approval(user):
    return (
        DataUpdate.objects.for_user(user)
        .filter(status=UpdateStatus.VERIFIED)
        .exclude(Q(proposed_by=user) | Q(verified_by=user))
    )


def proposed_by(user):
    return DataUpdate.objects.for_user(user).filter(proposed_by=user)


def queue_counts(user) -> dict:
    """Numbers for the dashboard panel and the sub-navigation, in one query."""
    mine = Q(proposed_by=user)
    recent = timezone.now() - datetime.timedelta(days=30)
    return DataUpdate.objects.for_user(user).aggregate(
        to_verify=Count("pk", filter=Q(status=UpdateStatus.PROPOSED) & ~mine),
        to_approve=Count(
            "pk", filter=Q(status=UpdateStatus.VERIFIED) & ~mine & ~Q(verified_by=user)
        ),
        mine_open=Count(
            "pk", filter=mine & Q(status__in=[UpdateStatus.PROPOSED, UpdateStatus.VERIFIED])
        ),
        mine_rejected=Count(
            "pk", filter=mine & Q(status=UpdateStatus.REJECTED, decided_at__gte=recent)
        ),
    )
