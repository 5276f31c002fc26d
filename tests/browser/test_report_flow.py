"""Asking for a report in a real browser with a real worker: the form, the page that polls
while the worker builds, the download link that appears, the file opened with openpyxl."""

import re

import pytest
from openpyxl import load_workbook

from information.models import Report
from tests.conftest import DESA_A1, KEC_A
from tests.households import registry_factory as make

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def worker_env(worker_env, data_dir):
    return {**worker_env, "TERPADU_DATA_DIR": str(data_dir)}


def test_request_watch_and_download_a_report(
    login_page, live_server, celery_worker_process, operator_a, data_dir
):
    make.family(DESA_A1, desil=1)
    make.family(DESA_A1, desil=4, head="Slamet")
    page = login_page(operator_a)
    assert page.locator("figure.chart svg").count() >= 2  # the dashboard's charts

    page.get_by_role("link", name="Laporan", exact=True).first.click()
    page.wait_for_url("**/laporan/")
    page.select_option("#id_kind", "registry_recap")
    page.select_option("#id_area", KEC_A)
    page.get_by_role("button", name="Buat laporan (.xlsx)").click()
    page.wait_for_url(re.compile(r"/laporan/\d+/$"))

    link = page.get_by_role("link", name="Unduh laporan (.xlsx)")
    link.wait_for(timeout=60_000)  # the progress partial reloads the page once it is done
    with page.expect_download() as download:
        link.click()
    path = data_dir / "laporan.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames == ["Sampul", "Per kecamatan", "Per desa"]
    rows = [[c.value for c in row] for row in book["Per desa"].iter_rows(min_row=2)]
    assert rows[0][2] == DESA_A1 and rows[0][4] == 2
    assert Report.objects.get().status == "done"

    page.goto(f"{live_server.url}/laporan/")
    assert "Rekap registri" in page.locator("#report-list").inner_text()
