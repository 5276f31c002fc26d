"""A data update end to end in a browser: find a household by a misspelled name, propose a
correction with evidence, verify it as the kecamatan operator, approve it as the district admin
(another user than the proposer), and read it in the household's history."""

import datetime
import re

import pytest

from households.choices import ChangeSource, Relationship, Sex
from households.models import ChangeLog, DataUpdate
from households.models.updates import UpdateStatus
from households.nik import forget_region_codes
from tests.conftest import DESA_A1
from tests.households.update_factories import PDF_BYTES, make_household

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forget_region_codes()


def log_out(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/masuk/"))


def test_find_propose_verify_approve_and_see_history(
    login_page, live_server, puskesos_a, operator_a, district_admin
):
    household = make_household(
        DESA_A1,
        people=[
            ("Siti Aminnah", Sex.FEMALE, datetime.date(1982, 7, 2), Relationship.HEAD),
            ("Rizky Pratama", Sex.MALE, datetime.date(2006, 11, 20), Relationship.CHILD),
        ],
    )
    make_household(DESA_A1)  # another family, which the search must not confuse

    # The Puskesos officer finds the family although the name is spelled differently.
    page = login_page(puskesos_a)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/data/?q=Siti+Aminah")
    page.get_by_role("link", name=household.registry_id).click()
    page.wait_for_url(re.compile(rf"/data/keluarga/{household.pk}/$"))

    page.get_by_role("link", name="Usulkan perubahan").click()
    page.get_by_label("Alamat", exact=True).fill("Jl. Kenanga 10")
    page.get_by_label("Alasan/keterangan").fill("Alamat salah ketik; berita acara musdes 12/01")
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "ba-musdes.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.get_by_role("button", name="Kirim usulan").click()
    page.wait_for_url(re.compile(r"/data/usulan/\d+/$"))
    assert "menunggu verifikasi kecamatan" in page.content()
    update = DataUpdate.objects.get()
    household.refresh_from_db()
    assert household.alamat == "Jl. Melati 3"  # nothing changes before approval
    log_out(page)

    # The kecamatan operator finds it in their queue and verifies it.
    login_page(operator_a)
    page.goto(f"{live_server.url}/data/usulan/verifikasi/")
    page.get_by_role("link", name=f"#{update.pk}").click()
    assert "Jl. Kenanga 10" in page.content()
    page.get_by_role("button", name="Verifikasi dan teruskan").click()
    page.wait_for_url(re.compile(rf"/data/usulan/{update.pk}/$"))
    assert "diteruskan ke kabupaten" in page.content()
    log_out(page)

    # The district admin approves it from the approval queue.
    login_page(district_admin)
    page.goto(f"{live_server.url}/data/usulan/persetujuan/")
    page.get_by_role("link", name=f"#{update.pk}").click()
    page.get_by_role("button", name="Setujui dan terapkan").click()
    page.wait_for_url(re.compile(rf"/data/usulan/{update.pk}/$"))
    assert "data registri sudah diubah" in page.content()

    update.refresh_from_db()
    assert update.status == UpdateStatus.APPROVED
    assert update.proposed_by == puskesos_a and update.decided_by == district_admin
    household.refresh_from_db()
    assert household.alamat == "Jl. Kenanga 10"

    # The household's history shows who changed what, from which proposal.
    page.goto(f"{live_server.url}/data/keluarga/{household.pk}/")
    history = page.locator(".history").inner_text()
    assert "Jl. Melati 3" in history and "Jl. Kenanga 10" in history
    assert "District Admin" in history
    assert "Usulan perubahan disetujui" in history
    assert f"Usulan #{update.pk}" in history
    log = ChangeLog.objects.get(household=household, data_update=update)
    assert log.source == ChangeSource.DATA_UPDATE and log.user == district_admin
