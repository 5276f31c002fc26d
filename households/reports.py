"""INFORMATION for the registry: the dashboard's charts (households and members by desil and by
sub-area, data quality) and the reports (registry recap by desil, data-quality recap).

Registered from ``HouseholdsConfig.ready()``. Each figure is one grouped aggregate over the
area, kept a few minutes per area (``core.reports.figures``)."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.areas import child_code, child_filter_name, region_names
from core.charts import ChartRow, hbar
from core.reports import INTEGER, Column, ReportKind, Sheet, register_figures, register_report
from core.reports import figures as panel_figures
from core.scope import area_of
from households.choices import HouseholdStatus, MemberStatus
from households.models import DuplicateCandidate, Household, Member
from households.models.registry import NIK_FLAGGED
from households.models.updates import DuplicateStatus
from households.panels import register_dashboard_panel

DESILS = range(1, 11)
STALE_DAYS = 365


def stale_cutoff(today=None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=STALE_DAYS)


def not_verified_within_a_year(today=None) -> Q:
    """A household nobody has verified for over a year (or ever)."""
    return Q(last_verified__isnull=True) | Q(last_verified__lt=stale_cutoff(today))


def _active(area):
    return Household.objects.in_area(area).filter(status=HouseholdStatus.ACTIVE)


def _living(area):
    return Member.objects.in_area(area).filter(
        status=MemberStatus.ALIVE, household__status=HouseholdStatus.ACTIVE
    )


# Dashboard ---------------------------------------------------------------------------------


def registry_figures(area: str) -> dict:
    """Households and living members by (sub-area, desil), and the data-quality counts: three
    grouped queries and two counts over the area."""
    households = (
        _active(area)
        .annotate(sub=child_code("desa_id", area))
        .values("sub", "desil")
        .annotate(n=Count("pk"), stale=Count("pk", filter=not_verified_within_a_year()))
        .order_by()
    )
    members = (
        _living(area)
        .annotate(sub=child_code("household__desa_id", area))
        .values("sub", "household__desil")
        .annotate(n=Count("pk"))
        .order_by()
    )
    flagged = (
        _living(area)
        .filter(NIK_FLAGGED)
        .aggregate(members=Count("pk"), households=Count("household_id", distinct=True))
    )
    figures = {
        "by_desil": defaultdict(lambda: [0, 0]),
        "by_sub": defaultdict(lambda: [0, 0]),
        "stale": 0,
        "no_desil": 0,
    }
    for row in households:
        figures["by_desil"][row["desil"]][0] += row["n"]
        figures["by_sub"][row["sub"]][0] += row["n"]
        figures["stale"] += row["stale"]
    for row in members:
        figures["by_desil"][row["household__desil"]][1] += row["n"]
        figures["by_sub"][row["sub"]][1] += row["n"]
    figures["no_desil"] = figures["by_desil"].get(None, [0, 0])[0]
    return {
        "by_desil": dict(figures["by_desil"]),
        "by_sub": dict(figures["by_sub"]),
        "names": region_names(figures["by_sub"]),
        "stale": figures["stale"],
        "no_desil": figures["no_desil"],
        "flagged_members": flagged["members"],
        "flagged_households": flagged["households"],
        "duplicates": DuplicateCandidate.objects.in_area(area)
        .filter(status=DuplicateStatus.OPEN)
        .count(),
    }


def _list_url(**params) -> str:
    return reverse("households:household_list") + "?" + urlencode({"status": "active", **params})


def registry_panel(user) -> dict:
    area = area_of(user)
    figures = panel_figures("registry", area)
    desil_rows = [
        ChartRow(
            _("Desil %(n)d") % {"n": n}, figures["by_desil"].get(n, [0, 0]), _list_url(desil=n)
        )
        for n in DESILS
    ]
    if figures["no_desil"]:
        desil_rows.append(ChartRow(_("Tanpa desil"), figures["by_desil"][None]))
    sub_filter = child_filter_name(area or "")
    sub_rows = [
        ChartRow(figures["names"].get(code, code), values, _list_url(**{sub_filter: code}))
        for code, values in sorted(figures["by_sub"].items())
    ]
    series = [_("Keluarga"), _("Anggota")]
    return {
        "by_desil": hbar(_("Keluarga dan anggota per desil"), series, desil_rows),
        "by_sub": hbar(
            _("Keluarga dan anggota per kecamatan")
            if sub_filter == "kecamatan"
            else _("Keluarga dan anggota per desa/kelurahan"),
            series,
            sub_rows,
        ),
    }


def quality_panel(user) -> dict:
    area = area_of(user)
    figures = panel_figures("registry", area)
    return {
        "figures": figures,
        "nik_url": _list_url(nik="any"),
        "stale_url": _list_url(verifikasi="lama"),
        "duplicates_url": reverse("households:duplicate_list") + "?status=open",
    }


# Reports -----------------------------------------------------------------------------------


def _per_desa(area):
    households = {
        row["desa_id"]: row
        for row in _active(area)
        .values("desa_id")
        .annotate(
            total=Count("pk"),
            no_desil=Count("pk", filter=Q(desil__isnull=True)),
            stale=Count("pk", filter=not_verified_within_a_year()),
            **{f"d{n}": Count("pk", filter=Q(desil=n)) for n in DESILS},
        )
        .order_by()
    }
    members = dict(
        _living(area)
        .values_list("household__desa_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("household__desa_id", "n")
    )
    return households, members


def _names_with_kecamatan(codes):
    codes = set(codes)
    return region_names(codes | {code[:8] for code in codes})


def registry_recap(request):
    households, members = _per_desa(request.area)
    names = _names_with_kecamatan(households)
    columns = [
        Column(_("Kode kecamatan"), width=12),
        Column(_("Kecamatan"), width=22),
        Column(_("Kode desa"), width=15),
        Column(_("Desa/kelurahan"), width=24),
        Column(_("Keluarga"), INTEGER, 11),
        *[Column(_("Desil %(n)d") % {"n": n}, INTEGER, 9) for n in DESILS],
        Column(_("Tanpa desil"), INTEGER, 11),
        Column(_("Anggota"), INTEGER, 11),
    ]

    def counts(row):
        return [row["total"], *[row[f"d{n}"] for n in DESILS], row["no_desil"]]

    per_kecamatan = defaultdict(lambda: [0] * 13)
    for code, row in households.items():
        totals = per_kecamatan[code[:8]]
        for index, value in enumerate([*counts(row), members.get(code, 0)]):
            totals[index] += value
    yield Sheet(
        _("Per kecamatan"),
        [columns[0], columns[1], *columns[4:]],
        ([code, names.get(code, ""), *values] for code, values in sorted(per_kecamatan.items())),
    )
    yield Sheet(
        _("Per desa"),
        columns,
        (
            [
                code[:8],
                names.get(code[:8], ""),
                code,
                names.get(code, ""),
                *counts(row),
                members.get(code, 0),
            ]
            for code, row in sorted(households.items())
        ),
    )


def data_quality_recap(request):
    households, _members = _per_desa(request.area)
    flagged = {
        row["household__desa_id"]: row
        for row in _living(request.area)
        .filter(NIK_FLAGGED)
        .values("household__desa_id")
        .annotate(members=Count("pk"), households=Count("household_id", distinct=True))
        .order_by()
    }
    duplicates = dict(
        DuplicateCandidate.objects.in_area(request.area)
        .filter(status=DuplicateStatus.OPEN)
        .values_list("member_a__household__desa_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("member_a__household__desa_id", "n")
    )
    names = _names_with_kecamatan(households)
    yield Sheet(
        _("Kualitas data per desa"),
        [
            Column(_("Kecamatan"), width=22),
            Column(_("Kode desa"), width=15),
            Column(_("Desa/kelurahan"), width=24),
            Column(_("Keluarga aktif"), INTEGER, 13),
            Column(_("Belum diverifikasi > 1 tahun"), INTEGER, 16),
            Column(_("Tanpa desil"), INTEGER, 11),
            Column(_("Keluarga dengan catatan NIK"), INTEGER, 16),
            Column(_("Orang dengan catatan NIK"), INTEGER, 16),
            Column(_("Duplikat menunggu"), INTEGER, 14),
        ],
        (
            [
                names.get(code[:8], ""),
                code,
                names.get(code, ""),
                row["total"],
                row["stale"],
                row["no_desil"],
                flagged.get(code, {}).get("households", 0),
                flagged.get(code, {}).get("members", 0),
                duplicates.get(code, 0),
            ]
            for code, row in sorted(households.items())
        ),
    )


def register():
    register_figures("registry", registry_figures)
    register_dashboard_panel(
        key="registry_charts",
        title=gettext_lazy("Registri menurut desil dan wilayah"),
        template="households/dashboard_charts.html",
        context=registry_panel,
        permission="households.view_household",
        order=11,
        wide=True,
    )
    register_dashboard_panel(
        key="data_quality",
        title=gettext_lazy("Kualitas data"),
        template="households/dashboard_quality.html",
        context=quality_panel,
        permission="households.view_household",
        order=12,
    )
    register_report(
        ReportKind(
            key="registry_recap",
            title=gettext_lazy("Rekap registri per kecamatan/desa menurut desil"),
            description=gettext_lazy(
                "Keluarga aktif per desil 1–10 dan anggota hidup, per kecamatan dan per desa."
            ),
            permission="households.view_household",
            build=registry_recap,
            monthly=True,
            order=10,
        )
    )
    register_report(
        ReportKind(
            key="data_quality",
            title=gettext_lazy("Rekap kualitas data"),
            description=gettext_lazy(
                "Per desa: keluarga belum diverifikasi lebih dari setahun, tanpa desil, "
                "catatan NIK, dan duplikat yang menunggu keputusan."
            ),
            permission="households.view_household",
            build=data_quality_recap,
            order=50,
        )
    )
