"""INFORMATION for programs: the dashboard's coverage against targets (planned vs realised)
and enrolments by cluster, and the reports (recipients per program and desa, disbursements per
period). Registered from ``ProgramsConfig.ready()``."""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.areas import region_names
from core.charts import ChartRow, hbar
from core.reports import (
    INTEGER,
    MONEY,
    Column,
    ReportKind,
    Sheet,
    register_figures,
    register_report,
)
from core.reports import figures as panel_figures
from core.scope import area_of
from households.panels import register_dashboard_panel
from programs.choices import Cluster, DisbursementStatus, EnrolmentStatus
from programs.models import Disbursement, Enrolment, Program, ProgramTarget

# Programs on the coverage chart: those with a target, most planned first.
COVERAGE_PROGRAMS = 12


def planned_in_area(area: str, year: int) -> dict[int, int]:
    """Planned recipients per program for the area: its own target where one is set, else the
    sum of the targets of the regions inside it (a kecamatan never gets the district's)."""
    if area is None:
        return {}
    targets = ProgramTarget.objects.filter(year=year)
    if area:
        targets = targets.filter(Q(region_id=area) | Q(region__code__startswith=area + "."))
    own, inside = {}, defaultdict(int)
    for program_id, region, planned in targets.values_list("program_id", "region_id", "planned"):
        if region == area:
            own[program_id] = planned
        else:
            inside[program_id] += planned
    return {**inside, **own}


def program_figures(area: str, year: int) -> dict:
    active = (
        Enrolment.objects.in_area(area)
        .filter(status=EnrolmentStatus.ACTIVE)
        .values_list("program_id", "program__cluster")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_program, per_cluster = {}, defaultdict(int)
    for program_id, cluster, count in active:
        per_program[program_id] = count
        per_cluster[cluster] += count
    planned = planned_in_area(area, year)
    names = dict(
        Program.objects.filter(pk__in=set(planned) | set(per_program)).values_list("pk", "code")
    )
    return {
        "year": year,
        "planned": planned,
        "realised": per_program,
        "clusters": dict(per_cluster),
        "names": names,
    }


def _enrolments_url(**params) -> str:
    return reverse("programs:enrolment_list") + "?" + urlencode({"status": "active", **params})


def programs_panel(user) -> dict:
    area = area_of(user)
    year = timezone.localdate().year
    figures = panel_figures("programs", area)
    planned, realised = figures["planned"], figures["realised"]
    targeted = sorted(planned, key=lambda pk: -planned[pk])[:COVERAGE_PROGRAMS]
    coverage = [
        ChartRow(
            figures["names"].get(pk, pk),
            [planned[pk], realised.get(pk, 0)],
            _enrolments_url(program=pk),
        )
        for pk in targeted
    ]
    clusters = [
        ChartRow(label, [figures["clusters"].get(value, 0)], _enrolments_url(cluster=value))
        for value, label in Cluster.choices
    ]
    return {
        "coverage": hbar(
            _("Cakupan terhadap target %(year)d") % {"year": year},
            [_("Target"), _("Realisasi (peserta aktif)")],
            coverage,
        ),
        "clusters": hbar(_("Peserta aktif per klaster"), [_("Peserta aktif")], clusters),
    }


# Reports -----------------------------------------------------------------------------------


def program_recipients(request):
    rows = (
        Enrolment.objects.in_area(request.area)
        .values("program_id", "household__desa_id")
        .annotate(
            active=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
            households=Count(
                "household_id", distinct=True, filter=Q(status=EnrolmentStatus.ACTIVE)
            ),
            proposed=Count("pk", filter=Q(status=EnrolmentStatus.PROPOSED)),
            suspended=Count("pk", filter=Q(status=EnrolmentStatus.SUSPENDED)),
        )
        .order_by("program__code", "household__desa_id")
    )
    programs = {p.pk: p for p in Program.objects.all()}
    codes = {row["household__desa_id"] for row in rows}
    names = region_names(codes | {code[:8] for code in codes})
    planned = planned_in_area(request.area, request.year)
    totals = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        total = totals[row["program_id"]]
        for index, key in enumerate(("active", "households", "proposed", "suspended")):
            total[index] += row[key]
    counts = [
        Column(_("Peserta aktif"), INTEGER, 13),
        Column(_("Keluarga aktif"), INTEGER, 13),
        Column(_("Diusulkan"), INTEGER, 11),
        Column(_("Ditangguhkan"), INTEGER, 13),
    ]
    yield Sheet(
        _("Per program"),
        [
            Column(_("Kode program"), width=14),
            Column(_("Program"), width=34),
            Column(_("Klaster"), width=22),
            Column(_("Target %(year)d") % {"year": request.year}, INTEGER, 12),
            *counts,
        ],
        (
            [
                programs[pk].code,
                programs[pk].name,
                programs[pk].get_cluster_display(),
                planned.get(pk),
                *values,
            ]
            for pk, values in sorted(totals.items(), key=lambda item: programs[item[0]].code)
        ),
    )
    yield Sheet(
        _("Per program dan desa"),
        [
            Column(_("Kode program"), width=14),
            Column(_("Program"), width=30),
            Column(_("Kecamatan"), width=22),
            Column(_("Kode desa"), width=15),
            Column(_("Desa/kelurahan"), width=24),
            *counts,
        ],
        (
            [
                programs[row["program_id"]].code,
                programs[row["program_id"]].name,
                names.get(row["household__desa_id"][:8], ""),
                row["household__desa_id"],
                names.get(row["household__desa_id"], ""),
                row["active"],
                row["households"],
                row["proposed"],
                row["suspended"],
            ]
            for row in rows
        ),
    )


def disbursements(request):
    """Disbursements of the report's year, per program and tahap."""
    scoped = Disbursement.objects.in_area(request.area).filter(year=request.year)
    rows = (
        scoped.values("enrolment__program__code", "enrolment__program__name", "period")
        .annotate(
            planned=Count("pk", filter=Q(status=DisbursementStatus.PLANNED)),
            disbursed=Count("pk", filter=Q(status=DisbursementStatus.DISBURSED)),
            failed=Count(
                "pk", filter=Q(status__in=[DisbursementStatus.FAILED, DisbursementStatus.RETURNED])
            ),
            amount=Sum("amount", filter=Q(status=DisbursementStatus.DISBURSED)),
        )
        .order_by("enrolment__program__code", "period")
    )
    yield Sheet(
        _("Penyaluran %(year)d") % {"year": request.year},
        [
            Column(_("Kode program"), width=14),
            Column(_("Program"), width=34),
            Column(_("Tahap"), INTEGER, 8),
            Column(_("Direncanakan"), INTEGER, 13),
            Column(_("Tersalurkan"), INTEGER, 13),
            Column(_("Gagal/dikembalikan"), INTEGER, 16),
            Column(_("Nilai tersalurkan"), MONEY, 20),
        ],
        (
            [
                row["enrolment__program__code"],
                row["enrolment__program__name"],
                row["period"],
                row["planned"],
                row["disbursed"],
                row["failed"],
                row["amount"] or 0,
            ]
            for row in rows
        ),
    )


def this_year_figures(area):
    return program_figures(area, timezone.localdate().year)


def register():
    register_figures("programs", this_year_figures)
    register_dashboard_panel(
        key="program_charts",
        title=gettext_lazy("Program: target, realisasi dan klaster"),
        template="programs/dashboard_charts.html",
        context=programs_panel,
        permission="programs.view_enrolment",
        order=30,
        wide=True,
    )
    register_report(
        ReportKind(
            key="program_recipients",
            title=gettext_lazy("Penerima program per program dan desa"),
            description=gettext_lazy(
                "Peserta aktif, diusulkan dan ditangguhkan per program dan desa, "
                "dengan target tahunan."
            ),
            permission="programs.view_enrolment",
            build=program_recipients,
            monthly=True,
            order=20,
        )
    )
    register_report(
        ReportKind(
            key="disbursements",
            title=gettext_lazy("Penyaluran per periode"),
            description=gettext_lazy(
                "Penyaluran tahun yang dipilih per program dan tahap: jumlah dan nilai (Rp)."
            ),
            permission="programs.view_disbursement",
            build=disbursements,
            order=30,
        )
    )
