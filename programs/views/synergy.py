"""Sinergi program: the coordination pages (``programs.services.synergy`` defines each figure).

Every page takes the same filter (program, year, kecamatan → desa), shows only the user's area,
paginates its list, and the lists of households or enrolments export to .xlsx/.csv for users
who may export personal data (logged, formula cells neutralised)."""

from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.figures import cached_figures
from core.scope import area_of
from core.spreadsheets import table_response
from households.exports import log_export
from programs.choices import EligibilityIssue
from programs.forms.synergy import SynergyFilterForm
from programs.models import Program
from programs.services import synergy as service

PER_PAGE = 50


class Link(NamedTuple):
    """A table cell that links to the record (exports keep the text)."""

    text: str
    url: str

    def __str__(self):
        return str(self.text)


VIEW = "programs.view_enrolment"
EXPORT = "households.export_household"

REPORTS = [
    ("programs:synergy_programs", gettext_lazy("Keluarga menurut jumlah program")),
    ("programs:synergy_exclusion", gettext_lazy("Layak menurut desil, belum di program")),
    ("programs:synergy_inclusion", gettext_lazy("Di atas batas desil atau tidak aktif")),
    ("programs:synergy_coverage", gettext_lazy("Cakupan terhadap target")),
    ("programs:synergy_concentration", gettext_lazy("Sebaran program dan pendamping per desa")),
    ("programs:synergy_graduated", gettext_lazy("Graduasi dan program pemberdayaan lanjutan")),
    ("programs:synergy_productive", gettext_lazy("Kelompok dan keluarga produktif per desa")),
]


def _headline(request, name, region, compute):
    """``compute()``, kept ``settings.SYNERGY_CACHE_SECONDS`` per user area and region: the
    headline figures are whole-area aggregates (0.3–0.7 s each at district size); the lists
    themselves are always live. Without a cache (Redis down) it is simply computed."""
    key = f"synergy:{name}:{area_of(request.user)}:{region}"
    return cached_figures(key, settings.SYNERGY_CACHE_SECONDS, compute)


def _filters(request):
    return SynergyFilterForm(request.GET or None, user=request.user)


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _render(request, template, form, title, **context):
    return render(
        request,
        f"programs/synergy/{template}",
        {"form": form, "title": title, "reports": REPORTS, **context},
    )


def _household_cells(household, extra=()):
    return [
        Link(household.registry_id, household.get_absolute_url()),
        household.no_kk,
        household.desa.name,
        household.desil or "–",
        household.get_status_display(),
        *extra,
    ]


HOUSEHOLD_HEADERS = [
    gettext_lazy("Keluarga"),
    gettext_lazy("No. KK"),
    gettext_lazy("Desa/kelurahan"),
    gettext_lazy("Desil"),
    gettext_lazy("Status"),
]


def _export(request, what, headers, rows, count):
    """Stream ``rows`` (lists of plain values) as the chosen format, logged first."""
    file_format = request.GET.get("export")
    if not request.user.has_perm(EXPORT):
        messages.error(request, _("Anda tidak berhak mengunduh data pribadi."))
        return None
    if count > settings.EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("Terlalu banyak baris (%(n)s) untuk diunduh; persempit filter.") % {"n": count},
        )
        return None
    query = request.GET.copy()
    query.pop("export", None)
    log_export(
        request.user,
        request=request,
        what=str(what),
        file_format=file_format,
        filters=query.urlencode(),
        row_count=count,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return table_response(file_format, f"sinergi-{stamp}.{file_format}", what, headers, rows)


def _plain(cells):
    return [cell.text if isinstance(cell, Link) else cell for cell in cells]


def _list_page(request, form, title, queryset, headers, cells, what, **context):
    if request.GET.get("export") in ("xlsx", "csv"):
        count = queryset.count()
        response = _export(
            request, what, headers, (_plain(cells(obj)) for obj in queryset.iterator(2000)), count
        )
        if response is not None:
            return response
        query = request.GET.copy()
        query.pop("export")
        return redirect(f"{request.path}?{query.urlencode()}")
    page = _page(request, queryset)
    return _render(
        request,
        "report.html",
        form,
        title,
        headers=headers,
        rows=[cells(obj) for obj in page.object_list],
        page_obj=page,
        exportable=request.user.has_perm(EXPORT),
        **context,
    )


@permission_required(VIEW, raise_exception=True)
def synergy(request):
    form = _filters(request)
    region = form.region()
    user = request.user
    return _render(
        request,
        "index.html",
        form,
        _("Sinergi program"),
        distribution=_headline(
            request, "programs", region, lambda: service.programs_per_household(user, region)
        ),
        exclusion=_headline(
            request,
            "exclusion",
            region,
            lambda: service.possible_exclusion(user, None, region).count(),
        ),
        inclusion=_headline(
            request,
            "inclusion",
            region,
            lambda: service.possible_inclusion(user, None, region).count(),
        ),
        graduation=_headline(
            request, "graduation", region, lambda: service.graduation_summary(user, region)
        ),
        headline_minutes=settings.SYNERGY_CACHE_SECONDS // 60,
    )


@permission_required(VIEW, raise_exception=True)
def synergy_programs(request):
    form = _filters(request)
    try:
        count = max(0, min(3, int(request.GET.get("jumlah", "0"))))
    except ValueError:
        count = 0
    households = (
        service.households_with_program_count(request.user, count, form.region())
        .select_related("desa")
        .order_by("desa_id", "id")
    )
    return _list_page(
        request,
        form,
        _("Keluarga menurut jumlah program"),
        households,
        [*HOUSEHOLD_HEADERS, _("Jumlah program")],
        lambda h: _household_cells(h, [h.n_programs]),
        _("Sinergi: keluarga menurut jumlah program"),
        distribution=_headline(
            request,
            "programs",
            form.region(),
            lambda: service.programs_per_household(request.user, form.region()),
        ),
        chosen_count=count,
    )


@permission_required(VIEW, raise_exception=True)
def synergy_exclusion(request):
    form = _filters(request)
    program = form.value("program")
    households = (
        service.possible_exclusion(request.user, program, form.region())
        .select_related("desa")
        .order_by("desil", "desa_id", "id")
    )
    return _list_page(
        request,
        form,
        _("Layak menurut desil, belum di program"),
        households,
        HOUSEHOLD_HEADERS,
        _household_cells,
        _("Sinergi: kemungkinan belum terjangkau (exclusion)"),
        explanation=(
            _("Keluarga aktif dengan desil sampai batas %(program)s yang tidak terdaftar di sana.")
            % {"program": program.code}
            if program
            else _(
                "Keluarga aktif desil 1–%(n)s yang tidak terdaftar di program bantuan sosial "
                "apa pun."
            )
            % {"n": service.DEFAULT_CEILING}
        ),
    )


@permission_required(VIEW, raise_exception=True)
def synergy_inclusion(request):
    form = _filters(request)
    enrolments = (
        service.possible_inclusion(request.user, form.value("program"), form.region())
        .select_related("program", "household__desa")
        .order_by("program__code", "household__desa_id", "id")
    )

    def cells(enrolment):
        flags = ", ".join(str(EligibilityIssue(flag).label) for flag in enrolment.flags)
        return [
            Link(f"#{enrolment.pk}", enrolment.get_absolute_url()),
            enrolment.program.code,
            Link(enrolment.household.registry_id, enrolment.household.get_absolute_url()),
            enrolment.household.no_kk,
            enrolment.household.desa.name,
            enrolment.household.desil or "–",
            enrolment.household.get_status_display(),
            flags or "–",
            enrolment.justification or "–",
        ]

    return _list_page(
        request,
        form,
        _("Di atas batas desil atau tidak aktif"),
        enrolments,
        [
            _("Kepesertaan"),
            _("Program"),
            _("Keluarga"),
            _("No. KK"),
            _("Desa/kelurahan"),
            _("Desil"),
            _("Status keluarga"),
            _("Catatan"),
            _("Justifikasi"),
        ],
        cells,
        _("Sinergi: kemungkinan salah sasaran (inclusion)"),
    )


@permission_required(VIEW, raise_exception=True)
def synergy_coverage(request):
    form = _filters(request)
    program = (
        form.value("program")
        or Program.objects.for_user(request.user).filter(code="PKH").first()
        or Program.objects.for_user(request.user).order_by("code").first()
    )
    year = form.value("year") or timezone.localdate().year
    if program is not None and not form.is_bound:
        form.fields["program"].initial = program.pk
    rows = service.coverage(request.user, program, year, form.region()) if program else []
    return _render(
        request,
        "coverage.html",
        form,
        _("Cakupan terhadap target"),
        program=program,
        year=year,
        coverage_rows=rows,
    )


@permission_required(VIEW, raise_exception=True)
def synergy_concentration(request):
    form = _filters(request)
    rows = service.concentration(request.user, form.region())
    unreached = [row for row in rows if row["programs"] == 0]
    if request.GET.get("belum") == "1":
        rows = unreached
    return _render(
        request,
        "concentration.html",
        form,
        _("Sebaran program dan pendamping per desa"),
        page_obj=_page(request, rows),
        unreached=len(unreached),
    )


@permission_required(VIEW, raise_exception=True)
def synergy_graduated(request):
    form = _filters(request)
    choice = request.GET.get("lanjut")
    followed = {"ya": True, "tidak": False}.get(choice)
    enrolments = (
        service.graduated_households(request.user, form.region(), followed)
        .select_related("program", "household__desa")
        .order_by("-end_date", "id")
    )
    return _list_page(
        request,
        form,
        _("Graduasi dan program pemberdayaan lanjutan"),
        enrolments,
        [
            _("Keluarga"),
            _("No. KK"),
            _("Desa/kelurahan"),
            _("Program"),
            _("Tanggal graduasi"),
            _("Program pemberdayaan lanjutan"),
        ],
        lambda e: [
            Link(e.household.registry_id, e.household.get_absolute_url()),
            e.household.no_kk,
            e.household.desa.name,
            e.program.code,
            e.end_date.strftime("%d/%m/%Y") if e.end_date else "–",
            _("Ya") if e.followed else _("Belum"),
        ],
        _("Sinergi: graduasi dan pemberdayaan lanjutan"),
        summary=service.graduation_summary(request.user, form.region()),
        followed_choice=choice,
    )


@permission_required(VIEW, raise_exception=True)
def synergy_productive(request):
    form = _filters(request)
    return _render(
        request,
        "productive.html",
        form,
        _("Kelompok dan keluarga produktif per desa"),
        desa_rows=service.productive_per_desa(request.user, form.region()),
    )
