"""Registry rules: what the list shows and searches, member flags, and direct corrections by the
office (household and member edits) with optimistic locking and the audit history.

Views, the dashboard panel, exports and reports all call these functions, so a flag such as
"elderly" or "pregnant" means the same thing everywhere.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Collate, Substr
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.figures import cached_figures
from core.models import Region, RegionLevel
from core.regions import level_of
from core.scope import area_of, code_in_area
from households.choices import (
    ChangeAction,
    ChangeSource,
    HouseholdStatus,
    MemberStatus,
    NikFlag,
)
from households.field_groups import (
    ADDRESS_FIELDS,
    BENEFIT_FIELDS,
    HOUSING_FIELDS,
    MEMBER_DATA_FIELDS,
)
from households.history import diff, log_change, snapshot
from households.models import Household, KKHistory, Member
from households.models.registry import DISABILITY, NIK_FLAGGED
from households.nik import check_nik, check_no_kk

ELDERLY_AGE = 60
UNDER_FIVE_AGE = 6  # "anak usia dini": children who have not turned six


def years_ago(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class MemberFlag:
    """A condition of a living member that programs and the list filter look at."""

    key: str
    label: str
    badge: str

    def q(self, today: datetime.date) -> Q:
        if self.key == "disabilitas":
            return DISABILITY
        if self.key == "lansia":
            return Q(tanggal_lahir__lte=years_ago(today, ELDERLY_AGE))
        if self.key == "balita":
            return Q(tanggal_lahir__gt=years_ago(today, UNDER_FIVE_AGE))
        if self.key == "hamil":
            return Q(hamil=True)
        if self.key == "penyakit_kronis":
            return ~Q(penyakit_kronis="")
        if self.key == "nik":
            return NIK_FLAGGED
        raise KeyError(self.key)

    def applies(self, member: Member, today: datetime.date) -> bool:
        if member.status != MemberStatus.ALIVE:
            return False
        if self.key == "disabilitas":
            return bool(member.disabilitas) or any(
                isinstance(level, int) and level <= 2
                for level in (member.functional_difficulties or {}).values()
            )
        if self.key == "lansia":
            return member.tanggal_lahir <= years_ago(today, ELDERLY_AGE)
        if self.key == "balita":
            return member.tanggal_lahir > years_ago(today, UNDER_FIVE_AGE)
        if self.key == "hamil":
            return member.hamil
        if self.key == "penyakit_kronis":
            return bool(member.penyakit_kronis)
        if self.key == "nik":
            return bool(member.nik_flags)
        raise KeyError(self.key)


MEMBER_FLAGS = {
    flag.key: flag
    for flag in [
        MemberFlag("disabilitas", gettext_lazy("Disabilitas"), "badge-warn"),
        MemberFlag("lansia", gettext_lazy("Lansia 60+"), "badge"),
        MemberFlag("balita", gettext_lazy("Anak di bawah 6 tahun"), "badge"),
        MemberFlag("hamil", gettext_lazy("Hamil"), "badge-ok"),
        MemberFlag("penyakit_kronis", gettext_lazy("Penyakit kronis"), "badge-warn"),
        MemberFlag("nik", gettext_lazy("Catatan NIK"), "badge-error"),
    ]
}


def living_members():
    return Member.objects.filter(status=MemberStatus.ALIVE)


def households_with(flag_key: str, today: datetime.date | None = None) -> Exists:
    """EXISTS(a living member of the household with the flag)."""
    today = today or timezone.localdate()
    return Exists(
        living_members().filter(household_id=OuterRef("pk")).filter(MEMBER_FLAGS[flag_key].q(today))
    )


def households_with_nik_flag(nik_flag: str) -> Exists:
    # The non-empty test lets the planner use the partial index of flagged members.
    return Exists(
        living_members().filter(
            NIK_FLAGGED, household_id=OuterRef("pk"), nik_flags__contains=[nik_flag]
        )
    )


def member_flag_badges(member: Member, today: datetime.date | None = None) -> list[dict]:
    """[{label, badge}] of a member for the household page; NIK flags carry their own label."""
    today = today or timezone.localdate()
    badges = []
    for flag in MEMBER_FLAGS.values():
        if flag.key == "nik" or not flag.applies(member, today):
            continue
        badges.append({"label": flag.label, "badge": flag.badge})
    for code in member.nik_flags or []:
        label = NikFlag(code).label if code in NikFlag.values else code
        badges.append({"label": label, "badge": "badge-error"})
    return badges


# --- the registry list -----------------------------------------------------------------------


def by_desa(descending: bool = False) -> list:
    """The registry's order: desa code, then registry id.

    The code is compared byte-wise (collation "C", index ``household_desa_order_idx``): under
    the database's own collation (often en_US or C.UTF-8) PostgreSQL cannot use an index for
    the order and sorts every household of the district for each page."""
    code = Collate(F("desa_id"), "C")
    if descending:
        return [code.desc(), "-id"]
    return [code.asc(), "id"]


def registry_queryset(user):
    """Households in the user's area with the desa and kecamatan names: correlated subqueries
    that PostgreSQL evaluates only for the rows of the page (no N+1, no join of the 90,000
    regions ahead of the sort). The head's name and the number of living members are stored on
    the household (kept by database triggers), so the list sorts by them through an index."""
    desa = Region.objects.filter(code=OuterRef("desa_id")).values("name")
    # A kecamatan code is the first eight characters of its desa codes (35.07.01.2001).
    kecamatan = Region.objects.filter(code=Substr(OuterRef("desa_id"), 1, 8)).values("name")
    return (
        Household.objects.for_user(user)
        .annotate(
            desa_name=Subquery(desa),
            kecamatan_name=Subquery(kecamatan),
        )
        .order_by(*by_desa())
    )


def search_by_number(queryset, number: str):
    """Exact NIK or No KK. The household ids of the NIK are read first so that the final query
    is an OR of two index scans instead of a scan of every household."""
    by_nik = list(Member.objects.filter(nik=number).values_list("household_id", flat=True))
    return queryset.filter(Q(no_kk=number) | Q(pk__in=by_nik))


NAME_MATCH_LIMIT = 1000


@dataclass
class NameSearch:
    """A name search's result: the matching households, best first, at most
    ``NAME_MATCH_LIMIT`` of them (``capped`` when more matched)."""

    queryset: object
    capped: bool


def search_by_name(queryset, text: str) -> NameSearch:
    """Households of ``queryset`` with a member whose name resembles ``text`` (pg_trgm word
    similarity on the GIN index ``member_nama_trgm``: "Siti Aminah" finds "Siti Aminnah").

    One query ranks the matching members and keeps each household's best rank: the word
    similarity, with the whole-name similarity as tie-break (a name that is the query and
    nothing more ranks above one that merely contains it). The list then shows those households
    in that order; a common name is cut at the best ``NAME_MATCH_LIMIT`` households."""
    rank = TrigramWordSimilarity(text, "nama") + TrigramSimilarity("nama", text) * 0.001
    ranked = list(
        Member.objects.filter(
            nama__trigram_word_similar=text, household_id__in=queryset.values("pk")
        )
        .values("household_id")
        .annotate(best=Max(rank))
        .order_by("-best", "household_id")
        .values_list("household_id", flat=True)[: NAME_MATCH_LIMIT + 1]
    )
    ids = ranked[:NAME_MATCH_LIMIT]
    best_member = (
        Member.objects.filter(household_id=OuterRef("pk"), nama__trigram_word_similar=text)
        .annotate(rank=rank)
        .order_by("-rank", "id")
    )
    position = Func(
        Value(ids, output_field=ArrayField(BigIntegerField())),
        F("pk"),
        function="array_position",
        output_field=IntegerField(),
    )
    found = (
        queryset.filter(pk__in=ids)
        .annotate(matched_name=Subquery(best_member.values("nama")[:1]))
        .order_by(position)
    )
    return NameSearch(found, capped=len(ranked) > NAME_MATCH_LIMIT)


# --- the household page ------------------------------------------------------------------------


def housing_facts(household: Household) -> list[tuple]:
    facts = []
    for name in HOUSING_FIELDS:
        field = Household._meta.get_field(name)
        value = getattr(household, name)
        if field.choices:
            value = getattr(household, f"get_{name}_display")()
        elif value is not None and name in ("luas_lantai", "daya_listrik"):
            value = number_format(value, force_grouping=True)
        facts.append((field.verbose_name, value))
    return facts


def _key_label(key: str, prefixes=()) -> str:
    for prefix in prefixes:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key.replace("_", " ").strip().capitalize()


def asset_labels(assets: dict) -> list[str]:
    """Names of the assets a household has (``{"sepeda_motor": true}`` → "Sepeda motor")."""
    owned = []
    for key, value in (assets or {}).items():
        has = value > 0 if isinstance(value, int | float) else str(value).lower() in _YES
        if value is True or has:
            owned.append(_key_label(key, ("aset_bergerak_", "aset_tidak_bergerak_")))
    return owned


_YES = {"true", "ya", "y", "1", "ada"}


def livestock_counts(livestock: dict) -> list[tuple[str, int]]:
    counts = []
    for key, value in (livestock or {}).items():
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number > 0:
            counts.append((_key_label(key, ("jumlah_ternak_",)), number))
    return counts


# --- the history as people read it ------------------------------------------------------------


def describe_changes(entry) -> list[dict]:
    """[{label, old, new}] of a ChangeLog entry: field names as the forms call them, coded
    values as their labels."""
    model = Member if entry.member_id or entry.changes.keys() & {"nik", "nama"} else Household
    rows = []
    for name, pair in (entry.changes or {}).items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            rows.append({"label": name.replace("_", " "), "old": old, "new": new})
            continue
        choices = {str(k): v for k, v in field.flatchoices} if field.choices else {}

        def shown(value, choices=choices):
            plain = isinstance(value, str | int) and not isinstance(value, bool)
            return _readable(choices.get(str(value), value) if plain else value)

        rows.append({"label": field.verbose_name, "old": shown(old), "new": shown(new)})
    return rows


def _readable(value):
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("ya")
    if value is False:
        return _("tidak")
    if isinstance(value, list):
        return ", ".join(
            str(NikFlag(item).label) if item in NikFlag.values else str(item) for item in value
        )
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


# --- direct corrections by the office ----------------------------------------------------------


class StaleVersion(Exception):
    """Someone else saved the record after the form was opened."""

    def __init__(self, current):
        super().__init__(str(current))
        self.current = current


HOUSEHOLD_FIELDS = [
    "no_kk",
    "desa",
    *ADDRESS_FIELDS,
    "desil",
    "status",
    *HOUSING_FIELDS,
    *BENEFIT_FIELDS,
    "last_verified",
    "data_source",
]

MEMBER_FIELDS = [*MEMBER_DATA_FIELDS, "status", "nik_flags"]


def _check_area(user, desa_code: str):
    if not code_in_area(desa_code, area_of(user)):
        raise ValidationError({"desa": _("Desa ini di luar wilayah kerja Anda.")})


@transaction.atomic
def update_household(household: Household, data: dict, user, expected_version: int) -> Household:
    """Apply ``data`` (field → value) to the household if nobody saved it since
    ``expected_version``; logs old → new in the history and moves the No KK history along.

    Raises ``StaleVersion`` (with the current record) or ``ValidationError`` (field errors)."""
    current = Household.objects.for_user(user).select_for_update().get(pk=household.pk)
    if current.version != expected_version:
        raise StaleVersion(current)
    fields = [name for name in HOUSEHOLD_FIELDS if name in data]
    before = snapshot(current, fields)
    old_no_kk = current.no_kk
    for name in fields:
        setattr(current, name, data[name])
    _check_area(user, current.desa_id)
    if current.no_kk != old_no_kk:
        checked = check_no_kk(current.no_kk)
        if checked.errors:
            raise ValidationError({"no_kk": checked.errors})
    changes = diff(before, snapshot(current, fields))
    if not changes:
        return current
    now = timezone.now()
    current.version += 1
    current.updated_at = now
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError as error:
        raise ValidationError(
            {"no_kk": _("No. KK %(kk)s sudah dipakai keluarga aktif lain.") % {"kk": current.no_kk}}
        ) from error
    if current.no_kk != old_no_kk:
        KKHistory.objects.filter(household=current, valid_to__isnull=True).update(valid_to=now)
        KKHistory.objects.create(
            household=current,
            no_kk=current.no_kk,
            valid_from=now,
            reason=_("Koreksi oleh Dinas"),
        )
    log_change(
        household=current,
        action=ChangeAction.UPDATE,
        changes=changes,
        user=user,
        source=ChangeSource.FORM,
    )
    return current


def checked_nik(data: dict) -> tuple[str | None, list[str], list[str]]:
    """(NIK or None, flags, warnings) of the member data; raises ValidationError on errors."""
    result = check_nik(data.get("nik"), data.get("tanggal_lahir"), data.get("jenis_kelamin"))
    if result.errors:
        raise ValidationError({"nik": result.errors})
    return result.value, list(result.flags), list(result.warnings)


def _save_member(member: Member):
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:
        raise ValidationError(
            {"nik": _("NIK %(nik)s sudah terdaftar pada orang lain.") % {"nik": member.nik}}
        ) from error


@transaction.atomic
def update_member(member: Member, data: dict, user, expected_version: int) -> tuple[Member, list]:
    """Correct a member; returns (member, NIK warnings). Same locking and history as households."""
    current = Member.objects.for_user(user).select_for_update().get(pk=member.pk)
    if current.version != expected_version:
        raise StaleVersion(current)
    nik, flags, warnings = checked_nik(data)
    values = {**data, "nik": nik, "nik_flags": flags}
    fields = [name for name in MEMBER_FIELDS if name in values]
    before = snapshot(current, fields)
    for name in fields:
        setattr(current, name, values[name])
    changes = diff(before, snapshot(current, fields))
    if not changes:
        return current, warnings
    current.version += 1
    current.updated_at = timezone.now()
    _save_member(current)
    log_change(
        household=current.household,
        member=current,
        action=ChangeAction.UPDATE,
        changes=changes,
        user=user,
        source=ChangeSource.FORM,
    )
    _touch_household(current.household_id)
    return current, warnings


@transaction.atomic
def add_member(household: Household, data: dict, user) -> tuple[Member, list]:
    """Add a member to a household in the user's area; returns (member, NIK warnings)."""
    household = Household.objects.for_user(user).select_for_update().get(pk=household.pk)
    nik, flags, warnings = checked_nik(data)
    values = {**data, "nik": nik, "nik_flags": flags}
    member = Member(household=household, **{k: v for k, v in values.items() if k in MEMBER_FIELDS})
    _save_member(member)
    log_change(
        household=household,
        member=member,
        action=ChangeAction.CREATE,
        changes={
            name: [None, value]
            for name, value in snapshot(member, MEMBER_FIELDS).items()
            if value not in (None, "", [], False)
        },
        user=user,
        source=ChangeSource.FORM,
    )
    _touch_household(household.pk)
    return member, warnings


def _touch_household(household_id: int):
    """A member change changes the family's record date, not its version: a household edit
    opened meanwhile only conflicts with changes to the household's own fields."""
    Household.objects.filter(pk=household_id).update(updated_at=timezone.now())


# --- the dashboard panel ---------------------------------------------------------------------

DASHBOARD_DESIL = (1, 2, 3, 4)


# Counting a whole district (a million members) takes a good part of a second: the home page
# of district-wide users shows counts at most this old. Kecamatan and desa counts are live.
DISTRICT_COUNTS_SECONDS = 300


def registry_counts(user) -> dict:
    """Counts of the user's area for the home dashboard: active households, their living
    members, households per desil 1–4 and NIK flags."""
    area = area_of(user)
    if area is None or (area and level_of(area) > RegionLevel.KABUPATEN):
        return count_area(user)
    key = f"registry-counts:{settings.DATABASES['default']['NAME']}:{area}"
    return cached_figures(
        key, DISTRICT_COUNTS_SECONDS, lambda: {**count_area(user), "as_of": timezone.now()}
    )


def count_area(user) -> dict:
    """Three queries, each one pass over the area (a per-household EXISTS inside the aggregate
    would run once per household)."""
    households = Household.objects.for_user(user).filter(status=HouseholdStatus.ACTIVE)
    per_desil = {f"desil_{n}": Count("pk", filter=Q(desil=n)) for n in DASHBOARD_DESIL}
    totals = households.aggregate(households=Count("pk"), **per_desil)
    flagged_households = households.filter(households_with("nik")).count()
    members = living_members().filter(household__in=households.values("pk"))
    member_totals = members.aggregate(
        members=Count("pk"), flagged_members=Count("pk", filter=NIK_FLAGGED)
    )
    return {
        "households": totals["households"],
        "flagged_households": flagged_households,
        "by_desil": [{"desil": n, "count": totals[f"desil_{n}"]} for n in DASHBOARD_DESIL],
        **member_totals,
    }
