"""Komponen PKH: what a household's members give the PKH benefit, derived from the registry.

The rules (one place; the household panel, eligibility and graduation all call this module):

- ``ibu_hamil``: a living member recorded as pregnant (``Member.hamil``); the component ends when
  the registry no longer says so (the pregnancy ended).
- ``anak_usia_dini``: a living child from birth until the 7th birthday.
- ``anak_sd`` / ``anak_smp`` / ``anak_sma``: a living member in school
  (``partisipasi_sekolah = masih_sekolah``) aged 7–12, 13–15 and 16–18 (ages as the school levels
  run; the component ends on the 19th birthday). A child of school age not recorded as in school
  gives no school component.
- ``disabilitas_berat``: a living member with a disability as the registry defines it
  (``households.models.registry.DISABILITY``: a disability written in words, or a functional
  difficulty of "banyak kesulitan" or worse).
- ``lanjut_usia``: a living member aged 60 or more.

One person gives at most one component (the first that applies in the order above); the
benefit of a family counts at most ``MAX_PERSONS`` persons, the largest amounts first, as the PKH
rule has it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from households.models import Member
from households.models.registry import DISABILITY
from programs.choices import PkhComponent

EARLY_CHILD_UNTIL = 7
SCHOOL_BANDS = (
    (PkhComponent.PRIMARY, 7, 12),
    (PkhComponent.JUNIOR, 13, 15),
    (PkhComponent.SENIOR, 16, 18),
)
SCHOOL_UNTIL = 19
ELDERLY_FROM = 60
MAX_PERSONS = 4


@dataclass(frozen=True)
class Component:
    component: str
    member: Member

    @property
    def label(self) -> str:
        return PkhComponent(self.component).label


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(born: datetime.date, years: int) -> datetime.date:
    """The day ``born`` turns ``years`` (29 February birthdays fall on 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return datetime.date(born.year + years, 3, 1)


def disabled_member_ids(members) -> set[int]:
    """Ids of the given members who have a disability (one query)."""
    ids = [member.pk for member in members]
    return set(Member.objects.filter(Q(pk__in=ids) & DISABILITY).values_list("pk", flat=True))


def member_component(member: Member, day: datetime.date, disabled: bool) -> str | None:
    if member.status != "alive":
        return None
    age = age_on(member.tanggal_lahir, day)
    if member.hamil:
        return PkhComponent.PREGNANT
    if age < EARLY_CHILD_UNTIL:
        return PkhComponent.EARLY_CHILD
    if member.partisipasi_sekolah == "masih_sekolah":
        for component, youngest, oldest in SCHOOL_BANDS:
            if youngest <= age <= oldest:
                return component
    if disabled:
        return PkhComponent.DISABILITY
    if age >= ELDERLY_FROM:
        return PkhComponent.ELDERLY
    return None


def household_components(
    household, day: datetime.date | None = None, disabled: set[int] | None = None
) -> list[Component]:
    """The components the household's members give on ``day`` (today by default).

    ``disabled``: ids of members with a disability when the caller already knows them (bulk
    evaluation, one query for many households); otherwise one query finds them."""
    day = day or datetime.date.today()
    members = [member for member in household.members.all() if member.status == "alive"]
    if disabled is None:
        disabled = disabled_member_ids(members)
    found = []
    for member in members:
        component = member_component(member, day, member.pk in disabled)
        if component:
            found.append(Component(component, member))
    return found


@dataclass(frozen=True)
class Entitlement:
    year: int
    rates_known: bool
    lines: list  # [(Component, amount)], the counted persons first
    counted: int
    total: int


def entitlement(components: list[Component], year: int) -> Entitlement:
    """The yearly PKH benefit of these components with the benefit table of ``year``."""
    from programs.models import BenefitRate

    rates = dict(BenefitRate.objects.filter(year=year).values_list("component", "amount"))
    lines = sorted(
        ((item, rates.get(item.component, 0)) for item in components),
        key=lambda line: -line[1],
    )
    counted = min(len(lines), MAX_PERSONS)
    total = sum(amount for _item, amount in lines[:counted])
    return Entitlement(year, bool(rates), lines, counted, total)


def member_component_end(member: Member, day: datetime.date, disabled: bool):
    """When ``member`` stops giving any component: a date, ``None`` for no foreseeable end
    (pregnancy, disability, old age), or ``day`` itself when they give none now."""
    component = member_component(member, day, disabled)
    if component is None:
        # The day their childhood components ended (today at the latest); turning 60 later is
        # seen by ``components_end_date``.
        in_school = member.partisipasi_sekolah == "masih_sekolah"
        ended = birthday(member.tanggal_lahir, SCHOOL_UNTIL if in_school else EARLY_CHILD_UNTIL)
        return min(ended, day)
    if component in (PkhComponent.PREGNANT, PkhComponent.DISABILITY, PkhComponent.ELDERLY):
        return None
    if component == PkhComponent.EARLY_CHILD:
        if member.partisipasi_sekolah == "masih_sekolah":
            return birthday(member.tanggal_lahir, SCHOOL_UNTIL)
        return birthday(member.tanggal_lahir, EARLY_CHILD_UNTIL)
    return birthday(member.tanggal_lahir, SCHOOL_UNTIL)


def components_end_date(
    household, day: datetime.date | None = None, disabled: set[int] | None = None
):
    """The date from which the household gives no PKH component any more (``day`` or earlier
    when it gives none now), or ``None`` when a member gives one with no foreseeable end.

    A member who turns 60 before the others' components end keeps the household in: such a
    household has no end date. ``disabled`` as for ``household_components`` (bulk callers)."""
    day = day or datetime.date.today()
    members = [member for member in household.members.all() if member.status == "alive"]
    if disabled is None:
        disabled = disabled_member_ids(members)
    ends = []
    for member in members:
        end = member_component_end(member, day, member.pk in disabled)
        if end is None:
            return None
        ends.append(end)
    elderly_starts = [
        birthday(member.tanggal_lahir, ELDERLY_FROM)
        for member in members
        if birthday(member.tanggal_lahir, ELDERLY_FROM) > day
    ]
    last = max(ends, default=day)
    if any(start <= last for start in elderly_starts):
        return None
    return last
