"""Empowerment groups (KUBE and other kelompok): members, progress, and the productive rule.

The productive rule, used by the group list and by the synergy reports: **a group is
productive when its latest progress record (by ``recorded_on``, then id) says the business is
running (``is_active``) and has a monthly turnover above zero.** A group without any progress
record is not productive; neither is a group whose latest record shows a stopped business, even
if an older one was good. ``with_productivity`` adds the facts as annotations,
``productive_groups`` keeps only the productive groups; both take and return a queryset of
``EmpowermentGroup`` (scope it with ``for_user`` first), one query, no per-group lookups.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from households.choices import MemberStatus
from households.models import Member
from programs.models import EmpowermentGroup, GroupMembership, GroupProgress


def _latest(field):
    return Subquery(
        GroupProgress.objects.filter(group=OuterRef("pk"))
        .order_by("-recorded_on", "-id")
        .values(field)[:1]
    )


def with_productivity(queryset):
    """Annotate each group with ``latest_recorded_on``, ``latest_active``,
    ``latest_turnover`` (of its latest progress record, NULL without one) and
    ``is_productive`` (the rule of this module)."""
    return queryset.annotate(
        latest_recorded_on=_latest("recorded_on"),
        latest_active=_latest("is_active"),
        latest_turnover=_latest("monthly_turnover"),
    ).annotate(
        is_productive=Case(
            When(Q(latest_active=True) & Q(latest_turnover__gt=0), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def productive_groups(queryset):
    """Only the productive groups of ``queryset`` (see the module docstring for the rule)."""
    return with_productivity(queryset).filter(latest_active=True, latest_turnover__gt=0)


def not_productive_groups(queryset):
    return with_productivity(queryset).exclude(latest_active=True, latest_turnover__gt=0)


def with_member_count(queryset):
    """``member_count``: current members (not left), as a subquery (no GROUP BY over the
    list's joins)."""
    current = (
        GroupMembership.objects.filter(group=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("group")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(member_count=Coalesce(Subquery(current), 0))


def candidate_members(group: EmpowermentGroup, user):
    """Living members of the households of the group's desa that the user sees and that are not
    in the group now: the list to pick a new member from."""
    current = GroupMembership.objects.filter(group=group, left_on__isnull=True).values("member")
    return (
        Member.objects.for_user(user)
        .filter(household__desa_id=group.desa_id, status=MemberStatus.ALIVE)
        .exclude(pk__in=current)
        .select_related("household")
        .order_by("nama")
    )


def find_member_by_nik(nik: str, user) -> Member | None:
    """The member with that NIK in the user's area (None elsewhere: another area reveals
    nothing)."""
    return Member.objects.for_user(user).filter(nik=nik).select_related("household").first()


@transaction.atomic
def add_member(
    group: EmpowermentGroup, member: Member, joined_on: datetime.date | None = None
) -> GroupMembership:
    """Add ``member`` to ``group``: a living person of the group's desa, not in it already."""
    joined_on = joined_on or timezone.localdate()
    errors = []
    if member.household.desa_id != group.desa_id:
        errors.append(_("%(name)s bukan warga desa kelompok ini.") % {"name": member.nama})
    if member.status != MemberStatus.ALIVE:
        errors.append(
            _("%(name)s tercatat %(status)s di registri.")
            % {"name": member.nama, "status": member.get_status_display().lower()}
        )
    if joined_on > timezone.localdate():
        errors.append(_("Tanggal bergabung tidak boleh di masa depan."))
    if GroupMembership.objects.filter(group=group, member=member, left_on__isnull=True).exists():
        errors.append(_("%(name)s sudah menjadi anggota kelompok ini.") % {"name": member.nama})
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return GroupMembership.objects.create(group=group, member=member, joined_on=joined_on)
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s sudah menjadi anggota kelompok ini.") % {"name": member.nama}
        ) from error


def end_membership(membership: GroupMembership, left_on: datetime.date | None = None):
    """A member leaves: the row stays with ``left_on`` (the group's history keeps them)."""
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError(_("Tanggal keluar tidak boleh sebelum tanggal bergabung."))
    updated = GroupMembership.objects.filter(pk=membership.pk, left_on__isnull=True).update(
        left_on=left_on
    )
    if not updated:
        raise ValidationError(_("Anggota ini sudah keluar dari kelompok."))


def record_progress(group: EmpowermentGroup, user, **values) -> GroupProgress:
    recorded_on = values.get("recorded_on") or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise ValidationError(_("Tanggal perkembangan tidak boleh di masa depan."))
    if group.formed_on and recorded_on < group.formed_on:
        raise ValidationError(_("Tanggal perkembangan sebelum kelompok dibentuk."))
    return GroupProgress.objects.create(group=group, recorded_by=user, **values)
