"""What a proposal's page shows per kind of change: rows of (label, now/before, proposed), the
new members it would add, and the fields that changed since it was proposed.

Each ``*_rows`` function is the ``describe`` of its kind in ``households.update_kinds``."""

from django.utils.translation import gettext as _

from core.display import EMPTY, label
from core.display import display_value as shown
from households.choices import MemberStatus, Relationship
from households.history import plain
from households.models import Household, Member
from households.models.updates import UpdateStatus
from households.services.update_apply import HOUSEHOLD_ADDRESS_FIELDS, RemovalReason


class Shown:
    """The rows being built for one proposal, and the members it names (looked up once)."""

    def __init__(self, update, members_by_id):
        self.update = update
        self.payload = update.payload
        self.household = update.household
        self.members_by_id = members_by_id
        self.rows: list[tuple] = []
        self.new_members: list[list[tuple]] = []
        self.stale: list[str] = []

    def member_name(self, member_id) -> str:
        member = self.members_by_id.get(int(member_id)) if member_id else None
        return member.nama if member else EMPTY

    def as_context(self) -> dict:
        return {"rows": self.rows, "new_members": self.new_members, "stale": self.stale}


def _person(values: dict) -> list[tuple[str, str]]:
    return [(label(Member, name), shown(Member, name, value)) for name, value in values.items()]


def new_household_rows(view: Shown):
    view.rows.append(
        (label(Household, "desa"), EMPTY, shown(Household, "desa", view.update.desa_id))
    )
    for name, value in view.payload["household"].items():
        view.rows.append((label(Household, name), EMPTY, shown(Household, name, value)))
    view.new_members = [_person(member) for member in view.payload["members"]]


def add_member_rows(view: Shown):
    view.new_members = [_person(view.payload["member"])]


def correct_rows(view: Shown):
    update, payload = view.update, view.payload
    model = Member if payload["target"] == "member" else Household
    target = update.member if model is Member else view.household
    still_open = update.status in (UpdateStatus.PROPOSED, UpdateStatus.VERIFIED)
    for name, (old, new) in payload["changes"].items():
        view.rows.append((label(model, name), shown(model, name, old), shown(model, name, new)))
        if still_open and target is not None and plain(getattr(target, name)) != old:
            view.stale.append(label(model, name))


def take_off_rows(view: Shown):
    """Removing a member and reporting a death."""
    reasons = {
        RemovalReason.MOVED: _("Pindah"),
        RemovalReason.DECEASED: _("Meninggal"),
        RemovalReason.OTHER: _("Lainnya"),
    }
    payload = view.payload
    reason = payload.get("removal_reason", RemovalReason.DECEASED)
    date = payload.get("date") or payload.get("tanggal_meninggal")
    view.rows.append((_("Anggota"), view.member_name(view.update.member_id), EMPTY))
    view.rows.append((_("Alasan keluar"), EMPTY, reasons[reason]))
    view.rows.append((_("Tanggal"), EMPTY, shown(Member, "tanggal_meninggal", date)))
    if payload.get("new_head"):
        view.rows.append((_("Kepala keluarga baru"), EMPTY, view.member_name(payload["new_head"])))


def change_head_rows(view: Shown):
    payload, household = view.payload, view.household
    head = None
    if household is not None:
        head = household.members.filter(
            hubungan_keluarga=Relationship.HEAD, status=MemberStatus.ALIVE
        ).first()
    view.rows.append(
        (_("Kepala keluarga"), head.nama if head else EMPTY, view.member_name(payload["new_head"]))
    )
    view.rows.append(
        (
            _("Hubungan kepala keluarga lama"),
            shown(Member, "hubungan_keluarga", Relationship.HEAD),
            shown(Member, "hubungan_keluarga", payload["old_head_relationship"]),
        )
    )
    if payload.get("no_kk"):
        view.rows.append((_("No. KK"), household.no_kk if household else EMPTY, payload["no_kk"]))


def move_rows(view: Shown):
    payload, household = view.payload, view.household
    for name in ["desa", *HOUSEHOLD_ADDRESS_FIELDS]:
        current = household.desa_id if name == "desa" else getattr(household, name)
        view.rows.append(
            (
                label(Household, name),
                shown(Household, name, current),
                shown(Household, name, payload[name]),
            )
        )
    if payload.get("no_kk"):
        view.rows.append((_("No. KK"), household.no_kk, payload["no_kk"]))


def split_rows(view: Shown):
    payload = view.payload
    for member_id, relationship in payload["members"].items():
        if int(member_id) == payload["new_head"]:
            relationship = Relationship.HEAD
        view.rows.append(
            (
                view.member_name(member_id),
                _("KK lama"),
                _("KK baru: %(rel)s") % {"rel": shown(Member, "hubungan_keluarga", relationship)},
            )
        )
    view.rows.append((_("No. KK baru"), EMPTY, payload["no_kk"]))
    for name in HOUSEHOLD_ADDRESS_FIELDS:
        view.rows.append((label(Household, name), EMPTY, shown(Household, name, payload[name])))


def decile_review_rows(view: Shown):
    payload = view.payload
    view.rows.append(
        (_("Desil"), shown(Household, "desil", payload["desil_before"]), payload["desil"])
    )
