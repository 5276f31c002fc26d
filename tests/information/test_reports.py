"""Report jobs: asking on the page, building on a real worker into an .xlsx openpyxl reads
back, download scope, the 30-day list, pruning and the monthly recap."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.reports import report_kinds
from information import services
from information.choices import ReportStatus
from information.models import Report
from tests.conftest import DESA_A1, DESA_B1, KEC_A, KEC_B, client_for
from tests.households import registry_factory as make
from tests.imports.test_pipeline_worker import wait_for


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def worker_env(worker_env, data_dir):
    return {**worker_env, "TERPADU_DATA_DIR": str(data_dir)}


def _report(user, area=KEC_A, kind="registry_recap", **fields):
    now = timezone.now()
    return Report.objects.create(
        kind=kind,
        area_id=area,
        year=now.year,
        requested_by=user,
        created_at=now,
        expires_at=now + datetime.timedelta(days=30),
        **fields,
    )


def test_registry_recap_on_a_real_worker(celery_worker_process, data_dir, operator_a):
    make.family(DESA_A1, desil=1)
    make.family(DESA_A1, desil=2, head="Slamet")
    make.family("35.07.01.2002", desil=2, head="Joko")
    make.family(DESA_B1, desil=1, head="Wawan")
    client = client_for(operator_a)
    year = timezone.localdate().year
    response = client.post(
        reverse("information:index"), {"kind": "registry_recap", "area": KEC_A, "year": year}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == report.get_absolute_url()
    wait_for(report, ReportStatus.DONE, ReportStatus.FAILED)
    assert report.status == ReportStatus.DONE, report.error
    download = client.get(reverse("information:report_download", args=[report.pk]))
    assert download.status_code == 200
    path = data_dir / "download.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    book = load_workbook(path)
    assert book.sheetnames == ["Sampul", "Per kecamatan", "Per desa"]
    cover = [[c.value for c in row] for row in book["Sampul"].iter_rows()]
    assert any(row[0] == "Wilayah" and KEC_A in row[1] for row in cover if row and row[0])
    assert any(row[0] == "Diminta oleh" and row[1] == "Operator A" for row in cover if row[0])
    per_desa = book["Per desa"]
    assert per_desa.freeze_panes == "A2" and per_desa.auto_filter.ref == "A1:Q3"
    rows = [[c.value for c in row] for row in per_desa.iter_rows(min_row=2)]
    assert [row[2] for row in rows] == [DESA_A1, "35.07.01.2002"]
    assert rows[0][4:8] == [2, 1, 1, 0] and rows[0][16] == 6
    kecamatan = [[c.value for c in row] for row in book["Per kecamatan"].iter_rows(min_row=2)]
    assert kecamatan == [[KEC_A, kecamatan[0][1], 3, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]]
    assert per_desa["E2"].number_format == "#,##0"


def test_each_kind_builds_for_a_small_area(db, data_dir, district_admin):
    make.family(DESA_A1, desil=1)
    for kind in report_kinds():
        report = _report(district_admin, kind=kind.key)
        assert services.build(report.pk), kind.key
        report.refresh_from_db()
        assert report.status == ReportStatus.DONE and report.file, kind.key
        assert load_workbook(report.file.path).sheetnames[0] == "Sampul"
    assert not services.build(report.pk)  # a second delivery does nothing


def test_reports_are_private_to_the_asker_and_the_area(db, data_dir, operator_a, operator_b):
    mine = _report(operator_a)
    services.build(mine.pk)
    recap = _report(None)
    other_area = _report(operator_b, area=KEC_B)
    for url in ("information:report_detail", "information:report_download"):
        assert client_for(operator_b).get(reverse(url, args=[mine.pk])).status_code == 404
        assert client_for(operator_b).get(reverse(url, args=[recap.pk])).status_code == 404
    colleague = client_for(make_colleague(operator_a))
    assert colleague.get(reverse("information:report_detail", args=[mine.pk])).status_code == 404
    assert colleague.get(reverse("information:report_detail", args=[recap.pk])).status_code == 200
    listed = client_for(operator_a).get(reverse("information:index")).context["reports"]
    assert set(listed) == {mine, recap}
    assert other_area not in listed


def make_colleague(user):
    from accounts.roles import Role
    from tests.conftest import make_persona

    return make_persona("operator_a2", Role.OPERATOR_KECAMATAN, KEC_A)


def test_list_keeps_30_days_and_prune_removes_files(db, data_dir, operator_a):
    old = _report(operator_a)
    services.build(old.pk)
    old.refresh_from_db()
    path = old.file.path
    Report.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    fresh = _report(operator_a)
    listed = client_for(operator_a).get(reverse("information:index")).context["reports"]
    assert list(listed) == [fresh]
    assert (
        client_for(operator_a)
        .get(reverse("information:report_download", args=[old.pk]))
        .status_code
        == 404
    )
    assert services.prune() == 1
    assert not Report.objects.filter(pk=old.pk).exists()
    import os

    assert not os.path.exists(path)


def test_area_outside_the_users_own_is_refused(db, operator_a):
    response = client_for(operator_a).post(
        reverse("information:index"),
        {"kind": "registry_recap", "area": KEC_B, "year": timezone.localdate().year},
    )
    assert response.status_code == 200 and not Report.objects.exists()


def test_monthly_recap_per_district_and_kecamatan(db, district_admin, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "_send", sent.append)
    made = services.monthly_recap(datetime.date(2026, 3, 1))
    monthly = [k.key for k in report_kinds() if k.monthly]
    assert set(monthly) >= {"registry_recap", "program_recipients"}
    areas = set(Report.objects.values_list("area_id", flat=True))
    assert "35.07" in areas and KEC_A in areas and KEC_B in areas
    assert all(code.startswith("35.07") for code in areas)
    assert made == len(areas) * len(monthly) == len(sent)
    assert set(Report.objects.values_list("year", "month")) == {(2026, 2)}
    assert Report.objects.filter(requested_by__isnull=False).count() == 0
    assert services.monthly_recap(datetime.date(2026, 3, 1)) == 0


def test_monthly_recap_is_scheduled_on_the_first():
    entry = settings.CELERY_BEAT_SCHEDULE["information-monthly-recap"]
    assert entry["task"] == "information.monthly_recap"
    assert entry["schedule"].day_of_month == {1}
    assert {"information.prune_reports", "information.warm_dashboard"} <= {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
