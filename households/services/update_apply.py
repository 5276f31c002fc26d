"""Applying an approved data update to the registry, one function per kind of change.

Called by ``households.services.updates.approve`` inside the transaction that claimed the
proposal (through the kind's spec in ``households.update_kinds``); every check is made again
against the registry as it is now, and every change lands in the household's history. The
payload shapes are described in ``households.services.updates``."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Region
from core.scope import area_of, code_in_area
from households.choices import (
    ChangeAction,
    ChangeSource,
    HouseholdStatus,
    MemberStatus,
    Relationship,
)
from households.field_groups import (
    ADDRESS_FIELDS,
    BENEFIT_FIELDS,
    HOUSING_FIELDS,
    MEMBER_DATA_FIELDS,
)
from households.history import diff, log_change, snapshot
from households.models import DataUpdate, Household, KKHistory, Member
from households.nik import check_nik, check_no_kk

# Fields a proposal may set on a new member or correct on an existing one.
MEMBER_FIELDS = MEMBER_DATA_FIELDS
HOUSEHOLD_ADDRESS_FIELDS = ADDRESS_FIELDS
# Housing and welfare fields a correction may change; desa (move), desil (decile review) and
# status have their own kinds of proposal.
HOUSEHOLD_FIELDS = ["no_kk", *ADDRESS_FIELDS, *HOUSING_FIELDS, *BENEFIT_FIELDS]
# Copied from the old family card to the new one when a family splits (same house, same data).
SPLIT_COPIED_FIELDS = [
    name for name in HOUSEHOLD_FIELDS if name not in ("no_kk", *HOUSEHOLD_ADDRESS_FIELDS)
] + ["desil"]


class RemovalReason:
    MOVED = "moved"
    DECEASED = "deceased"
    OTHER = "other"

    STATUS = {
        MOVED: MemberStatus.MOVED,
        DECEASED: MemberStatus.DECEASED,
        OTHER: MemberStatus.REMOVED,
    }


class UpdateError(Exception):
    """A rule refused the step; the message is shown to the user as it is."""


def nik_taken(nik: str | None, exclude_member_id=None, user=None) -> bool:
    """True when another member already carries this NIK: across the whole registry, or with
    ``user`` only inside their area — a proposer must not learn whether a person is registered
    in another area (the approval checks the whole registry and refuses without naming it)."""
    if not nik:
        return False
    members = Member.objects.all() if user is None else Member.objects.for_user(user)
    return members.filter(nik=nik).exclude(pk=exclude_member_id).exists()


# Per kind --------------------------------------------------------------------------------------


def _field_value(model, name, raw):
    return model._meta.get_field(name).to_python(raw)


def _log(update, user, household, action, changes, member=None, label=""):
    return log_change(
        household=household,
        member=member,
        action=action,
        changes=changes,
        user=user,
        source=ChangeSource.DATA_UPDATE,
        data_update=update,
        label=label,
    )


def _save(instance, values: dict) -> dict:
    """Set ``values`` on a household or member, bump its version; returns {field: [old, new]}."""
    before = snapshot(instance, values.keys())
    for name, value in values.items():
        setattr(instance, name, value)
    changes = diff(before, snapshot(instance, values.keys()))
    if changes:
        instance.version += 1
        instance.updated_at = timezone.now()
        instance.save(update_fields=[*values.keys(), "version", "updated_at"])
    return changes


def _household_for_apply(update, user) -> Household:
    household = (
        Household.objects.for_user(user)
        .select_for_update(of=("self",))
        .filter(pk=update.household_id)
        .first()
    )
    if household is None:
        raise UpdateError(_("Keluarga usulan ini di luar wilayah kerja Anda."))
    if household.status != HouseholdStatus.ACTIVE:
        raise UpdateError(
            _("Keluarga ini berstatus %(status)s; usulan tidak bisa diterapkan.")
            % {"status": household.get_status_display()}
        )
    return household


def _member_of(household, member_id, alive=True) -> Member:
    members = Member.objects.select_for_update().filter(pk=member_id, household=household)
    if alive:
        members = members.filter(status=MemberStatus.ALIVE)
    member = members.first()
    if member is None:
        raise UpdateError(
            _("Anggota #%(id)s tidak (lagi) tercatat hidup di keluarga ini.") % {"id": member_id}
        )
    return member


def _checked_no_kk(raw, household_id=None) -> str:
    result = check_no_kk(raw)
    if not result.ok:
        raise UpdateError(result.errors[0])
    taken = Household.objects.filter(no_kk=result.value, status=HouseholdStatus.ACTIVE).exclude(
        pk=household_id
    )
    if taken.exists():
        raise UpdateError(
            _("No. KK %(kk)s sudah dipakai keluarga aktif lain.") % {"kk": result.value}
        )
    return result.value


def _change_no_kk(household, new_kk, update) -> None:
    now = timezone.now()
    KKHistory.objects.filter(household=household, valid_to__isnull=True).update(valid_to=now)
    KKHistory.objects.create(
        household=household,
        no_kk=new_kk,
        valid_from=now,
        reason=_("Usulan perubahan #%(id)s disetujui") % {"id": update.pk},
    )


def _member_values(raw: dict, exclude_member_id=None) -> dict:
    """Payload values → model values, with the NIK checked again and its flags computed."""
    values = {name: _field_value(Member, name, raw[name]) for name in MEMBER_FIELDS if name in raw}
    check = check_nik(values.get("nik"), values.get("tanggal_lahir"), values.get("jenis_kelamin"))
    if not check.ok:
        raise UpdateError(check.errors[0])
    if nik_taken(check.value, exclude_member_id):
        raise UpdateError(
            _("NIK %(nik)s sudah terdaftar pada anggota keluarga lain.") % {"nik": check.value}
        )
    values["nik"] = check.value
    values["nik_flags"] = check.flags
    return values


def _create_member(update, user, household, raw: dict) -> Member:
    member = Member(household=household, **_member_values(raw))
    member.save()
    _log(
        update,
        user,
        household,
        ChangeAction.CREATE,
        {name: [None, value] for name, value in snapshot(member, raw.keys()).items()},
        member=member,
    )
    return member


def _ensure_area(user, desa_code):
    if not code_in_area(desa_code, area_of(user)):
        raise UpdateError(_("Desa/kelurahan tujuan di luar wilayah kerja Anda."))


def apply_new_household(update, user):
    _ensure_area(user, update.desa_id)
    data = update.payload["household"]
    values = {
        name: _field_value(Household, name, data[name])
        for name in [*HOUSEHOLD_FIELDS, "desil"]
        if name in data
    }
    values["no_kk"] = _checked_no_kk(data.get("no_kk"))
    household = Household.objects.create(
        desa_id=update.desa_id,
        data_source=_("Usulan perubahan #%(id)s") % {"id": update.pk},
        last_verified=timezone.localdate(),
        **values,
    )
    KKHistory.objects.create(
        household=household,
        no_kk=household.no_kk,
        reason=_("Usulan perubahan #%(id)s disetujui") % {"id": update.pk},
    )
    _log(
        update,
        user,
        household,
        ChangeAction.CREATE,
        {name: [None, value] for name, value in snapshot(household, ["desa", *values]).items()},
    )
    for raw in update.payload["members"]:
        _create_member(update, user, household, raw)
    DataUpdate.objects.filter(pk=update.pk).update(household=household)
    update.household = household


def apply_add_member(update, user):
    household = _household_for_apply(update, user)
    member = _create_member(update, user, household, update.payload["member"])
    DataUpdate.objects.filter(pk=update.pk).update(member=member)


def _take_off(update, user, household, member, status, date, new_head_id):
    values = {"status": status}
    if status == MemberStatus.DECEASED:
        values["tanggal_meninggal"] = _field_value(Member, "tanggal_meninggal", date)
    was_head = member.hubungan_keluarga == Relationship.HEAD
    _log(update, user, household, ChangeAction.UPDATE, _save(member, values), member=member)
    if was_head and new_head_id:
        head = _member_of(household, new_head_id)
        _log(
            update,
            user,
            household,
            ChangeAction.UPDATE,
            _save(head, {"hubungan_keluarga": Relationship.HEAD}),
            member=head,
        )
    if not household.members.filter(status=MemberStatus.ALIVE).exists():
        left = HouseholdStatus.MOVED if status == MemberStatus.MOVED else HouseholdStatus.INACTIVE
        _log(update, user, household, ChangeAction.UPDATE, _save(household, {"status": left}))


def apply_remove_member(update, user):
    household = _household_for_apply(update, user)
    member = _member_of(household, update.member_id)
    reason = update.payload["removal_reason"]
    _take_off(
        update,
        user,
        household,
        member,
        RemovalReason.STATUS[reason],
        update.payload.get("date"),
        update.payload.get("new_head"),
    )


def apply_death(update, user):
    household = _household_for_apply(update, user)
    member = _member_of(household, update.member_id)
    _take_off(
        update,
        user,
        household,
        member,
        MemberStatus.DECEASED,
        update.payload["tanggal_meninggal"],
        update.payload.get("new_head"),
    )


def apply_change_head(update, user):
    household = _household_for_apply(update, user)
    new_head = _member_of(household, update.payload["new_head"])
    old_heads = household.members.select_for_update().filter(
        status=MemberStatus.ALIVE, hubungan_keluarga=Relationship.HEAD
    )
    for old_head in old_heads.exclude(pk=new_head.pk):
        changes = _save(old_head, {"hubungan_keluarga": update.payload["old_head_relationship"]})
        _log(update, user, household, ChangeAction.UPDATE, changes, member=old_head)
    changes = _save(new_head, {"hubungan_keluarga": Relationship.HEAD})
    _log(update, user, household, ChangeAction.UPDATE, changes, member=new_head)
    if update.payload.get("no_kk"):
        _set_no_kk(update, user, household, update.payload["no_kk"])


def _set_no_kk(update, user, household, raw):
    new_kk = _checked_no_kk(raw, household.pk)
    if new_kk != household.no_kk:
        _log(update, user, household, ChangeAction.UPDATE, _save(household, {"no_kk": new_kk}))
        _change_no_kk(household, new_kk, update)


def apply_move(update, user):
    household = _household_for_apply(update, user)
    data = update.payload
    desa = Region.objects.filter(code=data["desa"], level=4).first()
    if desa is None:
        raise UpdateError(_("Desa/kelurahan tujuan tidak ada di daftar wilayah."))
    _ensure_area(user, desa.code)
    values = {"desa": desa, **{name: data[name] for name in HOUSEHOLD_ADDRESS_FIELDS}}
    _log(update, user, household, ChangeAction.UPDATE, _save(household, values))
    if data.get("no_kk"):
        _set_no_kk(update, user, household, data["no_kk"])


def apply_split(update, user):
    household = _household_for_apply(update, user)
    data = update.payload
    moving = {int(member_id): int(rel) for member_id, rel in data["members"].items()}
    members = [_member_of(household, member_id) for member_id in moving]
    if any(m.hubungan_keluarga == Relationship.HEAD for m in members):
        raise UpdateError(_("Kepala keluarga lama tidak bisa ikut pecah KK."))
    if not household.members.filter(status=MemberStatus.ALIVE).exclude(pk__in=moving).exists():
        raise UpdateError(_("Semua anggota ikut pindah; itu bukan pecah KK."))
    new_kk = _checked_no_kk(data["no_kk"])
    new_household = Household.objects.create(
        desa_id=household.desa_id,
        no_kk=new_kk,
        data_source=_("Pecah KK dari %(id)s (usulan #%(update)s)")
        % {"id": household.registry_id, "update": update.pk},
        last_verified=timezone.localdate(),
        **{name: getattr(household, name) for name in SPLIT_COPIED_FIELDS},
        **{name: data[name] for name in HOUSEHOLD_ADDRESS_FIELDS},
    )
    KKHistory.objects.create(household=new_household, no_kk=new_kk, reason=_("Pecah KK"))
    _log(
        update,
        user,
        new_household,
        ChangeAction.CREATE,
        {
            "pecah_dari": [None, household.registry_id],
            **{
                name: [None, value]
                for name, value in snapshot(
                    new_household, ["no_kk", "desa", *HOUSEHOLD_ADDRESS_FIELDS]
                ).items()
            },
        },
    )
    for member in members:
        relationship = Relationship.HEAD if member.pk == data["new_head"] else moving[member.pk]
        changes = _save(member, {"household": new_household, "hubungan_keluarga": relationship})
        for target in (household, new_household):
            _log(update, user, target, ChangeAction.UPDATE, changes, member=member)


def apply_correct(update, user):
    household = _household_for_apply(update, user)
    changes = update.payload["changes"]
    if update.payload["target"] == "member":
        target = _member_of(household, update.member_id, alive=False)
        model = Member
    else:
        target, model = household, Household
    current = snapshot(target, changes.keys())
    stale = [name for name, (old, _new) in changes.items() if current[name] != old]
    if stale:
        raise UpdateError(
            _(
                "Data sudah berubah sejak diusulkan (%(fields)s). Tolak usulan ini dan buat "
                "usulan baru dari data terkini."
            )
            % {"fields": ", ".join(str(model._meta.get_field(n).verbose_name) for n in stale)}
        )
    proposed = {name: new for name, (_old, new) in changes.items()}
    if model is Member:
        values = _member_values(
            {**snapshot(target, ["nik", "tanggal_lahir", "jenis_kelamin"]), **proposed},
            exclude_member_id=target.pk,
        )
        values = {name: values[name] for name in [*proposed, "nik_flags"]}
        _log(update, user, household, ChangeAction.UPDATE, _save(target, values), member=target)
        return
    values = {name: _field_value(Household, name, value) for name, value in proposed.items()}
    new_kk = values.pop("no_kk", None)
    _log(update, user, household, ChangeAction.UPDATE, _save(household, values))
    if new_kk:
        _set_no_kk(update, user, household, new_kk)


def apply_decile_review(update, user):
    household = _household_for_apply(update, user)
    changes = _save(household, {"desil": int(update.payload["desil"])})
    _log(update, user, household, ChangeAction.UPDATE, changes)
