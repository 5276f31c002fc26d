"""Sinergi: the coordination views across programs, each cut to the user's area.

Every function takes the user (and optional filters) and returns querysets or small lists of
rows computed by aggregate queries in PostgreSQL; nothing walks households in Python. The
definitions, as the pages explain them:

- **number of programs** of a household: the distinct programs in which it has an *active*
  enrolment;
- **possible exclusion**: an active household whose desil is within the program's ceiling but
  that has no open enrolment in it (no program chosen: desil within ``DEFAULT_CEILING`` and no
  open enrolment in any social-assistance program);
- **possible inclusion**: an open enrolment whose household is now above the program's ceiling,
  without desil under a ceiling, or not active — or that was flagged when it was made;
- **coverage**: planned (``ProgramTarget`` of the year for the district and each kecamatan) against
  realised = households with an active enrolment in the program now; desa rows show realised only
  (targets are set per kecamatan);
- **concentration**: per desa, the programs with active enrolments there, the enrolled
  households and the facilitators (active staff with role *pendamping* whose area is that desa or
  its kecamatan); a desa no program reaches has none;
- **graduation follow-up**: households with a graduated enrolment in a social-assistance program,
  with or without an enrolment in an empowerment program made on or after the graduation;
- **productive** groups per desa: ``programs.services.groups.productive_groups``; productive
  families are households with a current member in a productive group.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Left

from accounts.models import StaffProfile
from accounts.roles import Role
from core.models import Region
from core.scope import area_of
from households.models import Household
from programs.choices import OPEN_ENROLMENT_STATUSES, EnrolmentStatus, ProgramKind
from programs.models import EmpowermentGroup, Enrolment, GroupMembership, ProgramTarget
from programs.services.groups import productive_groups

DEFAULT_CEILING = 4
BUCKETS = (0, 1, 2, 3)  # 3 = three or more


def _households(user, region=None):
    households = Household.objects.for_user(user)
    if region:
        households = households.filter(desa__code__startswith=region)
    return households


def _active_enrolments(user, region=None):
    enrolments = Enrolment.objects.for_user(user).filter(status=EnrolmentStatus.ACTIVE)
    if region:
        enrolments = enrolments.filter(household__desa__code__startswith=region)
    return enrolments


def with_program_count(households):
    count = (
        Enrolment.objects.filter(household=OuterRef("pk"), status=EnrolmentStatus.ACTIVE)
        .order_by()
        .values("household")
        .annotate(n=Count("program", distinct=True))
        .values("n")
    )
    return households.annotate(
        n_programs=Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    )


def programs_per_household(user, region=None) -> list[tuple[int, int]]:
    """[(number of programs, households)] for 0, 1, 2 and 3+ among active households."""
    per_household = (
        _active_enrolments(user, region)
        .filter(household__status="active")
        .order_by()
        .values("household")
        .annotate(n=Count("program", distinct=True))
        .values("n")
    )
    sql, params = per_household.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT least(n, 3), count(*) FROM ({sql}) t GROUP BY 1", params)
        enrolled = dict(cursor.fetchall())
    counts = {bucket: 0 for bucket in BUCKETS}
    counts.update(enrolled)
    counts[0] = _households(user, region).filter(status="active").count() - sum(
        counts[b] for b in BUCKETS[1:]
    )
    return sorted(counts.items())


def households_with_program_count(user, count: int, region=None):
    """Active households with ``count`` programs (3 = three or more), ``n_programs`` annotated.

    The set is chosen by an anti-join (no program) or a grouped subquery of the active
    enrolments, never by filtering a per-household correlated count: that plans as a nested loop
    over the whole district."""
    households = _households(user, region).filter(status="active")
    active = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE)
    if count <= 0:
        households = households.exclude(Exists(active.filter(household=OuterRef("pk"))))
    else:
        counted = (
            active.order_by()
            .values("household")
            .annotate(n=Count("program", distinct=True))
            .filter(**({"n__gte": 3} if count >= 3 else {"n": count}))
        )
        households = households.filter(pk__in=counted.values("household"))
    return with_program_count(households)


def possible_exclusion(user, program=None, region=None):
    """Households eligible by desil but not in the program (or in no bansos program)."""
    households = _households(user, region).filter(status="active")
    if program is not None:
        ceiling = program.max_desil or 10
        open_here = Enrolment.objects.filter(
            household=OuterRef("pk"), program=program, status__in=OPEN_ENROLMENT_STATUSES
        )
    else:
        ceiling = DEFAULT_CEILING
        open_here = Enrolment.objects.filter(
            household=OuterRef("pk"),
            program__kind=ProgramKind.SOCIAL_ASSISTANCE,
            status__in=OPEN_ENROLMENT_STATUSES,
        )
    return households.filter(desil__lte=ceiling).exclude(Exists(open_here))


def possible_inclusion(user, program=None, region=None):
    """Open enrolments above the ceiling, without desil, of inactive households, or flagged."""
    enrolments = Enrolment.objects.for_user(user).filter(status__in=OPEN_ENROLMENT_STATUSES)
    if program is not None:
        enrolments = enrolments.filter(program=program)
    if region:
        enrolments = enrolments.filter(household__desa__code__startswith=region)
    above = Q(program__max_desil__isnull=False) & (
        Q(household__desil__gt=F("program__max_desil")) | Q(household__desil__isnull=True)
    )
    return enrolments.filter(above | ~Q(household__status="active") | ~Q(flags=[]))


@dataclass
class CoverageRow:
    code: str
    name: str
    planned: int | None
    realised: int

    @property
    def percent(self) -> float | None:
        if not self.planned:
            return None
        return round(100 * self.realised / self.planned, 1)

    @property
    def gap(self) -> int | None:
        return None if self.planned is None else self.planned - self.realised


def coverage(user, program, year: int, region=None) -> list[CoverageRow]:
    """Planned against realised for the user's district/area: one row for the district (when
    the user sees it whole), one per kecamatan, then one per desa of ``region`` if it is a
    kecamatan. Realised counts distinct households with an active enrolment now."""
    area = area_of(user)
    if area is None:
        return []
    targets = dict(
        ProgramTarget.objects.for_user(user)
        .filter(program=program, year=year)
        .values_list("region_id", "planned")
    )
    enrolments = _active_enrolments(user).filter(program=program)
    by_kecamatan = dict(
        enrolments.annotate(kec=Left("household__desa_id", 8))
        .order_by()
        .values("kec")
        .annotate(n=Count("household", distinct=True))
        .values_list("kec", "n")
    )
    rows = []
    district = _district_of(area)
    if district and (area == "" or len(area.split(".")) <= 2):
        rows.append(
            CoverageRow(
                district.code,
                district.name,
                targets.get(district.code),
                enrolments.values("household").distinct().count(),
            )
        )
    kecamatan = Region.objects.filter(level=3)
    if area:
        kecamatan = kecamatan.filter(
            Q(code__startswith=area) | Q(code=".".join(area.split(".")[:3]))
        )
    else:
        # A system user sees the whole country: the kecamatan with enrolments or targets.
        kecamatan = kecamatan.filter(code__in=set(by_kecamatan) | set(targets))
    if region:
        kecamatan = kecamatan.filter(code__startswith=region[:8])
    for kec in kecamatan.order_by("code"):
        rows.append(
            CoverageRow(kec.code, kec.name, targets.get(kec.code), by_kecamatan.get(kec.code, 0))
        )
    if region and len(region.split(".")) >= 3:
        by_desa = dict(
            enrolments.filter(household__desa__code__startswith=region[:8])
            .order_by()
            .values("household__desa_id")
            .annotate(n=Count("household", distinct=True))
            .values_list("household__desa_id", "n")
        )
        desa = Region.objects.filter(parent_id=region[:8])
        if area and len(area.split(".")) == 4:
            desa = desa.filter(code=area)
        for place in desa.order_by("code"):
            rows.append(CoverageRow(place.code, place.name, None, by_desa.get(place.code, 0)))
    return rows


def _district_of(area: str):
    if not area:
        return None
    return Region.objects.filter(code=".".join(area.split(".")[:2])).first()


def _desa_in_area(user, region=None):
    area = area_of(user)
    if area is None:
        return Region.objects.none()
    desa = Region.objects.filter(level=4)
    prefix = region or area
    if prefix:
        desa = desa.filter(code__startswith=prefix)
    elif not area:
        # A system user with the whole country: the desa that have households.
        desa = desa.filter(code__in=Household.objects.values("desa_id"))
    return desa


def concentration(user, region=None) -> list[dict]:
    """Per desa of the area: programs reaching it, enrolled households, facilitators."""
    enrolments = _active_enrolments(user, region)
    programs, enrolled = {}, {}
    for code, n_programs, n_households in (
        enrolments.order_by()
        .values("household__desa_id")
        .annotate(n=Count("program", distinct=True), households=Count("household", distinct=True))
        .values_list("household__desa_id", "n", "households")
    ):
        programs[code] = n_programs
        enrolled[code] = n_households
    facilitators = list(
        StaffProfile.objects.filter(role=Role.PENDAMPING, user__is_active=True).values_list(
            "area_code", flat=True
        )
    )
    rows = []
    for place in _desa_in_area(user, region).select_related("parent").order_by("code"):
        kecamatan = place.code[:8]
        rows.append(
            {
                "code": place.code,
                "name": place.name,
                "kecamatan": place.parent.name if place.parent else "",
                "programs": programs.get(place.code, 0),
                "households": enrolled.get(place.code, 0),
                "facilitators": sum(1 for a in facilitators if a in (place.code, kecamatan)),
            }
        )
    rows.sort(key=lambda row: (-row["programs"], -row["facilitators"], row["code"]))
    return rows


def graduated_households(user, region=None, followed=None):
    """Households with a graduated social-assistance enrolment; ``followed`` True/False keeps
    those with/without an empowerment enrolment made on or after the graduation."""
    graduated = Enrolment.objects.for_user(user).filter(
        status=EnrolmentStatus.GRADUATED, program__kind=ProgramKind.SOCIAL_ASSISTANCE
    )
    if region:
        graduated = graduated.filter(household__desa__code__startswith=region)
    follow_up = Enrolment.objects.filter(
        household=OuterRef("household"),
        program__kind=ProgramKind.EMPOWERMENT,
        created_at__date__gte=Coalesce(OuterRef("end_date"), OuterRef("updated_at__date")),
    )
    graduated = graduated.annotate(followed=Exists(follow_up))
    if followed is not None:
        graduated = graduated.filter(followed=followed)
    return graduated


def graduation_summary(user, region=None) -> dict:
    graduated = graduated_households(user, region)
    return {
        "households": graduated.values("household").distinct().count(),
        "followed": graduated.filter(followed=True).values("household").distinct().count(),
    }


def productive_per_desa(user, region=None) -> list[dict]:
    groups = EmpowermentGroup.objects.for_user(user).filter(active=True)
    if region:
        groups = groups.filter(desa__code__startswith=region)
    productive = productive_groups(groups)
    totals = dict(
        groups.order_by().values("desa_id").annotate(n=Count("id")).values_list("desa_id", "n")
    )
    productive_by_desa = dict(
        productive.order_by().values("desa_id").annotate(n=Count("id")).values_list("desa_id", "n")
    )
    families = dict(
        GroupMembership.objects.filter(left_on__isnull=True, group__in=productive.values("pk"))
        .order_by()
        .values("group__desa_id")
        .annotate(n=Count("member__household", distinct=True))
        .values_list("group__desa_id", "n")
    )
    names = dict(Region.objects.filter(code__in=list(totals)).values_list("code", "name"))
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "groups": totals[code],
            "productive": productive_by_desa.get(code, 0),
            "families": families.get(code, 0),
        }
        for code in sorted(totals)
    ]
