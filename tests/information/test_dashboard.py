"""The home dashboard's figures against a small known registry, per area, and the charts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.charts import ChartRow, column, hbar
from households.models import DuplicateCandidate
from households.models.updates import DuplicateReason
from households.reports import registry_figures
from programs.choices import Cluster, EnrolmentStatus
from programs.models import Enrolment, ProgramTarget
from programs.reports import program_figures
from tests.conftest import DESA_A1, DESA_A2, DESA_B1, KEC_A, KEC_B, client_for
from tests.households import registry_factory as make
from tests.programs import factories


@pytest.fixture
def registry(db):
    """Kecamatan A: desil 1 ×2 (one never verified), desil 3 ×1 (verified last month);
    kecamatan B: desil 1 ×1. Each family has three living members."""
    recent = timezone.localdate() - datetime.timedelta(days=30)
    a1 = make.family(DESA_A1, desil=1, last_verified=recent)
    a2 = make.family(DESA_A2, desil=1, head="Slamet")
    a3 = make.family(DESA_A1, desil=3, head="Joko", last_verified=recent)
    b1 = make.family(DESA_B1, desil=1, head="Wawan", last_verified=recent)
    flagged = a1.members.first()
    flagged.nik_flags = ["birth_date"]
    flagged.save()
    DuplicateCandidate.objects.create(
        member_a=a2.members.first(), member_b=a3.members.first(), reason=DuplicateReason.SAME_NIK
    )
    return {"a1": a1, "a2": a2, "a3": a3, "b1": b1}


def test_registry_figures_of_a_kecamatan(registry):
    figures = registry_figures(KEC_A)
    assert figures["by_desil"] == {1: [2, 6], 3: [1, 3]}
    assert figures["by_sub"] == {DESA_A1: [2, 6], DESA_A2: [1, 3]}
    assert figures["stale"] == 1
    assert figures["flagged_members"] == 1 and figures["flagged_households"] == 1
    assert figures["duplicates"] == 1


def test_registry_figures_of_the_district_by_kecamatan(registry):
    figures = registry_figures("35.07")
    assert figures["by_sub"] == {KEC_A: [3, 9], KEC_B: [1, 3]}
    assert figures["by_desil"][1] == [3, 9]


def test_kecamatan_b_operator_sees_only_b_on_the_dashboard(registry, operator_b):
    page = client_for(operator_b).get(reverse("home")).content.decode()
    assert "Pagak" in page or KEC_B in page
    assert f"desa={DESA_B1}" in page
    assert f"desa={DESA_A1}" not in page and "Donomulyo" not in page


def test_district_dashboard_links_each_bar_to_its_list(registry, district_admin):
    page = client_for(district_admin).get(reverse("home")).content.decode()
    assert "<svg" in page and "<details" in page
    assert "/data/?status=active&amp;desil=1" in page
    assert f"kecamatan={KEC_A}" in page
    assert "verifikasi=lama" in page


def test_stale_link_filters_the_registry_list(registry, district_admin):
    response = client_for(district_admin).get(
        reverse("households:household_list"), {"status": "active", "verifikasi": "lama"}
    )
    assert response.status_code == 200
    assert list(response.context["table"].data) == [registry["a2"]]


def test_program_coverage_and_clusters(registry):
    year = timezone.localdate().year
    pkh = factories.pkh()
    ProgramTarget.objects.create(program=pkh, year=year, region_id="35.07", planned=10)
    ProgramTarget.objects.create(program=pkh, year=year, region_id=KEC_A, planned=4)
    for household in (registry["a1"], registry["a2"], registry["b1"]):
        Enrolment.objects.create(
            program=pkh, household=household, status=EnrolmentStatus.ACTIVE, source="manual"
        )
    district = program_figures("35.07", year)
    assert district["planned"] == {pkh.pk: 10} and district["realised"] == {pkh.pk: 3}
    assert district["clusters"] == {Cluster.SOCIAL_ASSISTANCE: 3}
    kecamatan_a = program_figures(KEC_A, year)
    assert kecamatan_a["planned"] == {pkh.pk: 4} and kecamatan_a["realised"] == {pkh.pk: 2}
    assert program_figures(KEC_B, year)["planned"] == {}


def test_horizontal_chart_scales_bars_and_keeps_a_table():
    chart = hbar("Uji", ["A", "B"], [ChartRow("x", [10, 5], "/x"), ChartRow("y", [0, 2])])
    widths = [shape.width for row in chart.rows for shape in row.shapes]
    assert widths[0] == 260 and widths[1] == 130 and widths[2] == 0
    assert chart.totals == [10, 7]
    from django.template.loader import render_to_string

    html = render_to_string("core/charts/chart.html", {"chart": chart})
    assert html.count("<rect") == 4 and 'href="/x"' in html
    assert "<table" in html and "style=" not in html


def test_column_chart_and_an_empty_chart():
    chart = column("Bulan", ["Dikirim"], [ChartRow("Jan", [4]), ChartRow("Feb", [2])])
    assert [row.shapes[0].height for row in chart.rows] == [150, 75]
    from django.template.loader import render_to_string

    empty = render_to_string(
        "core/charts/chart.html", {"chart": hbar("Kosong", ["A"], [ChartRow("x", [0])])}
    )
    assert "<svg" not in empty and "Belum ada data" in empty


def test_warmed_figures_are_served_from_the_cache(registry, district_admin, settings):
    from django.core.cache import cache

    from core.reports import _key, warm_figures
    from households.models import Household

    settings.DASHBOARD_CACHE_SECONDS = 300
    try:
        assert warm_figures(["35.07"]) >= 4
        make.family(DESA_A1, desil=1, head="Baru")  # not seen until the next warm-up
        assert Household.objects.count() == 5
        page = client_for(district_admin).get(reverse("home"))
        desil_one = page.context["panels"]
        registry_panel = next(c for p, c in desil_one if p.key == "registry_charts")
        assert registry_panel["by_desil"].rows[0].row.values == [3, 9]
    finally:
        for name in ("registry", "programs", "referrals", "complaints"):
            cache.delete(_key(name, "35.07"))
