"""Kandidat graduasi alamiah: PKH households whose members give no PKH component any more, or
will stop giving one within a few months.

The rule is ``programs.services.components.components_end_date`` (one place for the component
rules). Set-based around it: one query lists the households with an open PKH enrolment, minus
those with a member who gives a component with no foreseeable end (pregnant, aged 60+) — a
plain index condition in SQL; the rest are read in chunks with their living members and one
query per chunk for the disabled, and evaluated in Python.
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from graduation.choices import STANDING_STATUSES
from graduation.models import Candidate, Facilitator, Graduation
from households.models import Household, Member
from households.models.registry import ALIVE, DISABILITY
from programs.choices import EnrolmentStatus, PkhComponent
from programs.models import Enrolment, Program
from programs.services.components import (
    ELDERLY_FROM,
    components_end_date,
    member_component,
    member_component_end,
)

PKH_CODE = "PKH"
# PKH enrolments a household can graduate from: a proposal is not yet in the program.
GRADUATING_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)
CHUNK = 2000
MEMBER_FIELDS = (
    "id",
    "nama",
    "tanggal_lahir",
    "status",
    "hamil",
    "partisipasi_sekolah",
)


@dataclass(frozen=True)
class CandidateRow:
    household_id: int
    no_kk: str
    from_date: datetime.date
    reason: str

    @property
    def registry_id(self) -> str:
        return f"KLG-{self.household_id:07d}"


def pkh_program() -> Program | None:
    return Program.objects.filter(code=PKH_CODE).first()


def horizon(day: datetime.date, within_months: int) -> datetime.date:
    return day + relativedelta(months=within_months)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The last birth date of someone aged ``years`` on ``day`` (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return datetime.date(day.year - years, 2, 28)


def pkh_household_ids(area: str | None, day: datetime.date):
    """Households of ``area`` ("" for all) in PKH now, without a standing graduation from it,
    minus those with a living member who is pregnant or aged 60+ (never a candidate)."""
    program = pkh_program()
    if program is None or area is None:
        return Household.objects.none().values("pk")
    elderly_born_by = years_before(day, ELDERLY_FROM)
    for_ever = Member.objects.filter(
        ALIVE & (Q(hamil=True) | Q(tanggal_lahir__lte=elderly_born_by))
    ).values("household_id")
    households = Enrolment.objects.filter(
        program=program, status__in=GRADUATING_STATUSES, member__isnull=True
    )
    if area:
        households = households.filter(household__desa__code__startswith=area)
    graduating = Graduation.objects.filter(program=program, status__in=STANDING_STATUSES)
    return (
        households.exclude(household_id__in=for_ever)
        .exclude(household_id__in=graduating.values("household_id"))
        .values("household_id")
    )


def reason_for(household, end: datetime.date, day: datetime.date, disabled: set[int]) -> str:
    if end <= day:
        return _("Tidak ada lagi anggota yang memberi komponen PKH.")
    last = []
    for member in household.members.all():
        if member.status != "alive":
            continue
        disabled_member = member.pk in disabled
        component = member_component(member, day, disabled_member)
        if component and member_component_end(member, day, disabled_member) == end:
            last.append(f"{PkhComponent(component).label}: {member.nama}")
    return _("Komponen terakhir berakhir %(date)s (%(components)s).") % {
        "date": date_format(end, "SHORT_DATE_FORMAT"),
        "components": "; ".join(last),
    }


@dataclass(frozen=True)
class MemberFacts:
    """What the component rule reads of a member, without a model instance (the job reads a
    few hundred thousand of them)."""

    pk: int
    nama: str
    tanggal_lahir: datetime.date
    status: str
    hamil: bool
    partisipasi_sekolah: str


class _Members(list):
    def all(self):
        return self


@dataclass
class Family:
    """A household as ``components_end_date`` reads it: ``members.all()``."""

    pk: int
    no_kk: str
    members: _Members = field(default_factory=_Members)


def families(area: str | None, day: datetime.date):
    """(family, ids of its disabled members) for every PKH household of ``pkh_household_ids``:
    one streamed query of living members ordered by household."""
    rows = (
        Member.objects.filter(ALIVE, household_id__in=pkh_household_ids(area, day))
        .annotate(disabled=ExpressionWrapper(DISABILITY, output_field=BooleanField()))
        .order_by("household_id", "pk")
        .values_list("household_id", "household__no_kk", "disabled", *MEMBER_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    family, disabled = None, set()
    for household_id, no_kk, is_disabled, *facts in rows:
        if family is None or family.pk != household_id:
            if family is not None:
                yield family, disabled
            family, disabled = Family(household_id, no_kk), set()
        member = MemberFacts(*facts)
        family.members.append(member)
        if is_disabled:
            disabled.add(member.pk)
    if family is not None:
        yield family, disabled


def find_candidates(
    area: str | None = "", *, within_months: int = 0, day: datetime.date | None = None
) -> list[CandidateRow]:
    """Candidates of ``area`` whose households give no component from a date up to
    ``within_months`` months after ``day`` (today), earliest first. (A PKH household with no
    living member left is not listed: that is a registry matter, not a graduation.)"""
    day = day or timezone.localdate()
    until = horizon(day, within_months)
    found = []
    for family, disabled in families(area, day):
        end = components_end_date(family, day, disabled)
        if end is not None and end <= until:
            reason = reason_for(family, end, day, disabled)[:300]
            found.append(CandidateRow(family.pk, family.no_kk, end, reason))
    found.sort(key=lambda row: (row.from_date, row.household_id))
    return found


def refresh_candidates(*, within_months: int = 6, day=None) -> list[CandidateRow]:
    """Recompute the stored candidate list of the whole registry (what the caseload and the
    candidates page read). Safe to run twice: the table ends up the same."""
    day = day or timezone.localdate()
    rows = find_candidates("", within_months=within_months, day=day)
    now = timezone.now()
    with transaction.atomic():
        Candidate.objects.exclude(household_id__in=[row.household_id for row in rows]).delete()
        Candidate.objects.bulk_create(
            [
                Candidate(
                    household_id=row.household_id,
                    from_date=row.from_date,
                    reason=row.reason,
                    found_at=now,
                )
                for row in rows
            ],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["household"],
            update_fields=["from_date", "reason", "found_at"],
        )
    return rows


def notify_facilitators(day=None) -> int:
    """Tell every active facilitator how many candidates their caseload holds (once a day:
    the notification key carries the date, so a rerun on the same day notifies nobody twice)."""
    from django.db.models import Count
    from django.urls import reverse

    from core.notifications import notify

    day = day or timezone.localdate()
    counts = (
        Facilitator.objects.filter(active=True, user__is_active=True)
        .filter(
            assignments__active=True, assignments__household__graduation_candidate__isnull=False
        )
        .annotate(n=Count("assignments__household", distinct=True))
        .select_related("user")
    )
    sent = 0
    url = reverse("graduation:candidates")
    for facilitator in counts:
        message = _(
            "%(n)s KPM dampingan Anda tidak memberi komponen PKH lagi atau akan berhenti dalam "
            "6 bulan: calon graduasi alamiah."
        ) % {"n": facilitator.n}
        sent += notify(
            [facilitator.user],
            message,
            url=url,
            key=f"graduation-candidates:{facilitator.pk}:{day.isoformat()}",
        )
    return sent
