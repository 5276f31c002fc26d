"""The registry import in a real browser with a real worker: upload, a progress bar that moves,
a preview with the error row, confirm, the result."""

import contextlib
import re
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from households.models import Household, ImportJob
from households.models.imports import ImportStatus
from tests.imports.registry_files import no_kk, write_registry_csv

pytestmark = [pytest.mark.browser, pytest.mark.worker]

FAMILIES = 15_000  # 60,000 rows: the check and the import each last a few polls of the bar
BROKEN = 17


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def worker_env(worker_env, data_dir):
    return {**worker_env, "TERPADU_DATA_DIR": str(data_dir)}


def test_upload_watch_progress_preview_confirm_result(
    login_page, live_server, celery_worker_process, district_admin, data_dir
):
    path = write_registry_csv(data_dir / "registri-malang.csv", range(FAMILIES), broken={BROKEN})
    page = login_page(district_admin)
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(f"{live_server.url}/data/impor/unggah/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_url(re.compile(r"/data/impor/\d+/$"))

    seen = watch_progress(page, until="Pratinjau")

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.VALIDATED
    assert not Household.objects.exists()
    issues = page.locator("#catatan table")
    assert no_kk(BROKEN) in issues.inner_text()
    assert "Kesalahan" in issues.inner_text()
    assert page.get_by_role("link", name="Unduh laporan kesalahan (.xlsx)").count() == 1

    page.get_by_role("button", name=re.compile(r"^Konfirmasi impor")).click()
    seen |= watch_progress(page, until="Hasil impor")
    assert len(seen) >= 2 and max(seen) > 0, seen  # the bar moved while the worker ran

    assert "Impor selesai" in page.content()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Household.objects.count() == FAMILIES - 1
    assert page.locator("h1 .badge").inner_text() == "Selesai"


def watch_progress(page, *, until: str) -> set[int]:
    """The values the progress bar shows (it is polled every second) until the page reloads
    with the heading ``until``."""
    seen = set()
    heading = page.get_by_role("heading", name=until)
    bar = page.locator("#import-progress [role=progressbar]")
    deadline = time.monotonic() + 120
    while not heading.count():
        assert time.monotonic() < deadline, seen
        # The partial may be swapped, or the page reloaded, between two reads.
        with contextlib.suppress(PlaywrightError):
            if bar.count():
                seen.add(int(bar.get_attribute("aria-valuenow", timeout=500)))
        page.wait_for_timeout(150)
    return seen
