"""The program catalogue: loading the national catalogue, who may change a program or an
agency, a program's rule in words, its yearly targets against what is realised, and the PKH
benefit table.

Who changes what: the national catalogue (``programs/data/catalogue.json``, agencies without a
region) is the same for every district and is changed only by ``manage.py load_programs`` or a
system user; a district changes the agencies it placed in its own area and the programs those
agencies run. Targets are per region, so every district plans its own, national programs
included. The PKH benefit table is national (one row per year and component).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import staff_accounts
from accounts.roles import Role
from core.models import Region, RegionLevel
from core.regions import level_of
from core.scope import area_of, code_in_area
from core.widgets import RegionPicker
from programs.choices import OPEN_ENROLMENT_STATUSES, EnrolmentStatus, PkhComponent
from programs.models import Agency, AgencyStaff, BenefitRate, Enrolment, Program, ProgramTarget

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "data" / "catalogue.json"

AGENCY_FIELDS = ("name", "kind", "cluster")
PROGRAM_FIELDS = (
    "name",
    "kind",
    "cluster",
    "funding_source",
    "beneficiary_unit",
    "description",
    "max_desil",
    "required_components",
    "min_age",
    "max_age",
    "requires_disability",
    "periods_per_year",
)
PROGRAM_DEFAULTS = {
    "description": "",
    "max_desil": None,
    "required_components": [],
    "min_age": None,
    "max_age": None,
    "requires_disability": False,
    "periods_per_year": 1,
}


# Loading -----------------------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str):
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class LoadResult:
    agencies: Counts = field(default_factory=Counts)
    programs: Counts = field(default_factory=Counts)
    benefit_rates: Counts = field(default_factory=Counts)

    @property
    def total(self) -> Counts:
        parts = (self.agencies, self.programs, self.benefit_rates)
        return Counts(
            created=sum(p.created for p in parts),
            updated=sum(p.updated for p in parts),
            unchanged=sum(p.unchanged for p in parts),
        )

    def line(self) -> str:
        total = self.total

        def part(counts):
            return f"{counts.created}/{counts.updated}/{counts.unchanged}"

        return (
            f"created={total.created} updated={total.updated} unchanged={total.unchanged} "
            f"(agencies {part(self.agencies)}, programs {part(self.programs)}, "
            f"benefit_rates {part(self.benefit_rates)})"
        )


def _upsert(model, lookup: dict, values: dict) -> tuple[object, str]:
    """Create the row, or update only the fields that differ; 'created'/'updated'/'unchanged'."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.full_clean()
    if hasattr(obj, "updated_at"):
        obj.updated_at = timezone.now()
        changed.append("updated_at")
    obj.save(update_fields=changed)
    return obj, "updated"


@transaction.atomic
def load_catalogue(path: Path = CATALOGUE_FILE) -> LoadResult:
    """Load the national catalogue idempotently: agencies and programs by code (a re-run changes
    nothing), the benefit table of a year only where a component has no amount yet (the admin
    edits it in the application afterwards and a re-run must not undo that)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    result = LoadResult()
    agencies = {}
    for row in data["agencies"]:
        values = {name: row.get(name, "") for name in AGENCY_FIELDS}
        agency, outcome = _upsert(Agency, {"code": row["code"]}, {**values, "region": None})
        agencies[row["code"]] = agency
        result.agencies.add(outcome)
    for row in data["programs"]:
        values = {name: row.get(name, PROGRAM_DEFAULTS.get(name)) for name in PROGRAM_FIELDS}
        values["agency"] = agencies[row["agency"]]
        values["national"] = True
        _program, outcome = _upsert(Program, {"code": row["code"]}, values)
        result.programs.add(outcome)
    for year, amounts in data["benefit_rates"].items():
        existing = set(
            BenefitRate.objects.filter(year=int(year)).values_list("component", flat=True)
        )
        for component, amount in amounts.items():
            if component not in PkhComponent.values:
                raise ValidationError(f"benefit_rates {year}: unknown component {component!r}")
            if component in existing:
                result.benefit_rates.add("unchanged")
                continue
            BenefitRate.objects.create(year=int(year), component=component, amount=amount)
            result.benefit_rates.add("created")
    return result


# Who may change what ----------------------------------------------------------------------------


def manages_region(user, region_code: str | None) -> bool:
    """Whether ``user`` changes records placed in ``region_code``: inside their own area only; a
    record without a region (the national catalogue) only for system users (area "")."""
    area = area_of(user)
    if area is None:
        return False
    if area == "":
        return True
    return bool(region_code) and code_in_area(region_code, area)


def can_change_agency(user, agency: Agency) -> bool:
    return user.has_perm("programs.change_agency") and manages_region(user, agency.region_id)


def can_change_program(user, program: Program) -> bool:
    return user.has_perm("programs.change_program") and manages_region(
        user, program.agency.region_id
    )


def agencies_for_programs(user):
    """The agencies a user may make run a new program: those of their own area (a program of the
    national catalogue belongs to the catalogue, not to one district)."""
    area = area_of(user)
    queryset = Agency.objects.for_user(user).filter(active=True)
    if area:
        queryset = queryset.filter(region__isnull=False).filter(
            Q(region__code=area) | Q(region__code__startswith=area + ".")
        )
    return queryset.order_by("name")


def linkable_staff(user):
    """Partner-agency accounts (role Mitra layanan) of the user's area not linked to an agency
    yet: who an admin may link to an agency."""
    return (
        staff_accounts()
        .for_user(user)
        .filter(profile__role=Role.MITRA_LAYANAN, is_active=True, agency_link__isnull=True)
        .order_by("first_name", "username")
    )


def agency_staff(agency: Agency, user):
    """The staff linked to ``agency`` that the user sees: only accounts of the user's own area
    (a national agency is shared by every district; each sees its own people)."""
    visible = staff_accounts().for_user(user).values("pk")
    return (
        AgencyStaff.objects.filter(agency=agency, user__in=visible)
        .select_related("user__profile")
        .order_by("user__first_name", "user__username")
    )


def visible_staff_links(user):
    """Agency links the user may see and undo: of an agency they see and of an account of
    their own area."""
    return AgencyStaff.objects.filter(user__in=staff_accounts().for_user(user).values("pk"))


@transaction.atomic
def link_staff(agency: Agency, staff_user, user) -> AgencyStaff:
    if not linkable_staff(user).filter(pk=staff_user.pk).exists():
        raise ValidationError(
            _("Petugas ini bukan Mitra layanan di wilayah Anda atau sudah terhubung ke lembaga.")
        )
    return AgencyStaff.objects.create(agency=agency, user=staff_user)


# The catalogue list ----------------------------------------------------------------------------


def catalogue_queryset(user):
    """The programs the user sees, each with ``open_count``: its open enrolments (proposed,
    active, suspended) of households in the user's area, counted in the same query."""
    area = area_of(user)
    in_area = Q(enrolments__status__in=OPEN_ENROLMENT_STATUSES)
    if area:
        in_area &= Q(enrolments__household__desa__code__startswith=area + ".") | Q(
            enrolments__household__desa__code=area
        )
    return (
        Program.objects.for_user(user)
        .select_related("agency")
        .annotate(open_count=Count("enrolments", filter=in_area))
    )


# A program's rule in words ---------------------------------------------------------------------


def rule_in_words(program: Program) -> list[str]:
    """The parts of the eligibility rule as sentences; empty when anyone is eligible."""
    parts = []
    if program.max_desil:
        parts.append(_("Desil 1 sampai %(n)d.") % {"n": program.max_desil})
    if program.required_components:
        labels = dict(PkhComponent.choices)
        names = ", ".join(str(labels.get(c, c)) for c in program.required_components)
        parts.append(_("Memiliki salah satu komponen: %(names)s.") % {"names": names})
    if program.min_age is not None and program.max_age is not None:
        parts.append(
            _("Usia %(min)d sampai %(max)d tahun.")
            % {"min": program.min_age, "max": program.max_age}
        )
    elif program.min_age is not None:
        parts.append(_("Usia minimal %(min)d tahun.") % {"min": program.min_age})
    elif program.max_age is not None:
        parts.append(_("Usia paling tinggi %(max)d tahun.") % {"max": program.max_age})
    if program.requires_disability:
        parts.append(_("Ada penyandang disabilitas."))
    return parts


# Targets ---------------------------------------------------------------------------------------


def planning_district(user) -> Region | None:
    """The kabupaten/kota whose targets the user plans (None for users above one district)."""
    area = area_of(user)
    if not area or level_of(area) < RegionLevel.KABUPATEN:
        return None
    return Region.objects.filter(code=area[:5]).first()


def realised_counts(program: Program, user) -> dict[str, int]:
    """Active enrolments of the program in the user's area, per kecamatan code and per
    kabupaten code (keys of both levels), from one grouped query. Realised means active now:
    the counts belong to the current year."""
    rows = (
        Enrolment.objects.for_user(user)
        .filter(program=program, status=EnrolmentStatus.ACTIVE)
        .annotate(kecamatan=Substr(F("household__desa__code"), 1, 8))
        .values("kecamatan")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kecamatan"]] = counts.get(row["kecamatan"], 0) + row["n"]
        district = row["kecamatan"][:5]
        counts[district] = counts.get(district, 0) + row["n"]
    return counts


def target_rows(program: Program, user, year: int) -> list[dict]:
    """The district's targets of one year with the realised counts, district first."""
    targets = {
        t.region_id: t.planned
        for t in ProgramTarget.objects.for_user(user).filter(program=program, year=year)
    }
    district = planning_district(user)
    if district is None:
        return []
    realised = realised_counts(program, user) if year == timezone.localdate().year else None
    # The kecamatan the user may pick (core.widgets decides the area, as in every form).
    kecamatan = [code for code, _name in RegionPicker(user).kecamatan_choices()]
    regions = [district, *Region.objects.filter(code__in=kecamatan).order_by("code")]
    return [
        {
            "region": region,
            "planned": targets.get(region.code),
            "realised": realised.get(region.code, 0) if realised is not None else None,
            "is_district": region.level == RegionLevel.KABUPATEN,
        }
        for region in regions
    ]


@transaction.atomic
def save_targets(program: Program, user, year: int, planned: dict[str, int | None]) -> int:
    """Set the targets of ``year`` for the regions of ``planned`` (an empty value removes the
    target); regions outside the user's district are refused. Returns how many rows changed."""
    district = planning_district(user)
    if district is None:
        raise ValidationError(_("Target disusun oleh admin kabupaten/kota."))
    changed = 0
    for code, value in planned.items():
        if not (code == district.code or code.startswith(district.code + ".")):
            raise ValidationError(_("Wilayah %(code)s di luar kabupaten Anda.") % {"code": code})
        existing = ProgramTarget.objects.filter(program=program, year=year, region_id=code)
        if value is None:
            changed += existing.delete()[0]
            continue
        target = existing.first()
        if target is None:
            ProgramTarget.objects.create(program=program, year=year, region_id=code, planned=value)
            changed += 1
        elif target.planned != value:
            target.planned = value
            target.save(update_fields=["planned"])
            changed += 1
    return changed


# The PKH benefit table -------------------------------------------------------------------------


def benefit_table(year: int) -> list[dict]:
    """Every component with its amount of ``year`` (None where not set), in component order."""
    amounts = dict(BenefitRate.objects.filter(year=year).values_list("component", "amount"))
    return [
        {"component": value, "label": label, "amount": amounts.get(value)}
        for value, label in PkhComponent.choices
    ]


def benefit_years() -> list[int]:
    return list(BenefitRate.objects.order_by("-year").values_list("year", flat=True).distinct())


@transaction.atomic
def save_benefit_table(year: int, amounts: dict[str, int | None], user) -> int:
    """Set the amounts of ``year``; an empty amount removes the component's row."""
    changed = 0
    for component, amount in amounts.items():
        rows = BenefitRate.objects.filter(year=year, component=component)
        if amount is None:
            changed += rows.delete()[0]
            continue
        rate = rows.first()
        if rate is None:
            BenefitRate.objects.create(
                year=year, component=component, amount=amount, updated_by=user
            )
            changed += 1
        elif rate.amount != amount:
            rate.amount, rate.updated_by, rate.updated_at = amount, user, timezone.now()
            rate.save(update_fields=["amount", "updated_by", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def copy_benefit_table(from_year: int, to_year: int, user) -> int:
    """Start ``to_year``'s table from ``from_year``'s; refused when ``to_year`` already has one
    (nothing is overwritten) or ``from_year`` has none."""
    if BenefitRate.objects.filter(year=to_year).exists():
        raise ValidationError(
            _("Tabel nilai tahun %(year)d sudah ada; ubah nilainya di tabel itu.")
            % {"year": to_year}
        )
    rates = list(BenefitRate.objects.filter(year=from_year))
    if not rates:
        raise ValidationError(_("Tahun %(year)d belum punya tabel nilai.") % {"year": from_year})
    BenefitRate.objects.bulk_create(
        BenefitRate(year=to_year, component=r.component, amount=r.amount, updated_by=user)
        for r in rates
    )
    return len(rates)
