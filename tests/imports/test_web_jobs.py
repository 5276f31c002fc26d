"""Job pages: scope, progress partial, preview with filterable issues, confirm/cancel/re-run,
history and the error report download."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from households.models import ImportJob
from households.models.imports import ImportStatus
from tests.conftest import KEC_A, KEC_B, client_for, make_persona
from tests.imports.jobs import PREVIEW, add_issues, make_job


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin_kec_a(db):
    return make_persona("admin_kec_a", Role.ADMIN_DINAS, KEC_A)


@pytest.fixture
def admin_kec_b(db):
    return make_persona("admin_kec_b", Role.ADMIN_DINAS, KEC_B)


def url(name, job):
    return reverse(f"households:{name}", args=[job.pk])


def test_a_job_is_seen_in_its_area_and_is_a_404_outside(
    admin_kec_a, admin_kec_b, district_admin, outsider_admin, operator_a
):
    job = make_job(admin_kec_a, counts={"preview": PREVIEW})

    assert client_for(admin_kec_a).get(url("import_detail", job)).status_code == 200
    assert client_for(district_admin).get(url("import_detail", job)).status_code == 200
    for outsider in (admin_kec_b, outsider_admin):
        client = client_for(outsider)
        for name in ("import_detail", "import_progress", "import_error_report"):
            assert client.get(url(name, job)).status_code == 404, name
        for name in ("import_confirm", "import_cancel", "import_rerun"):
            assert client.post(url(name, job)).status_code == 404, name
    # An operator has no import permission at all.
    assert client_for(operator_a).get(url("import_detail", job)).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and job.confirmed_at is None


def test_anonymous_is_sent_to_login(client, district_admin):
    job = make_job(district_admin)
    for name in ("import_detail", "import_progress"):
        response = client.get(url(name, job))
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("households:import_list")).status_code == 302


def test_head_of_office_reads_but_cannot_confirm(head_of_office, district_admin):
    job = make_job(district_admin, counts={"preview": PREVIEW})
    client = client_for(head_of_office)

    page = client.get(url("import_detail", job)).content.decode()
    assert "Pratinjau" in page
    assert url("import_confirm", job) not in page
    assert client.post(url("import_confirm", job)).status_code == 403


def test_progress_page_polls_a_partial_while_the_worker_runs(district_admin):
    job = make_job(district_admin, ImportStatus.VALIDATING, rows_total=1000, rows_read=250)
    job.families_checked = 80
    job.save()
    client = client_for(district_admin)

    page = client.get(url("import_detail", job)).content.decode()
    assert f'hx-get="{url("import_progress", job)}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert 'value="25"' in page

    partial = client.get(url("import_progress", job), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    text = partial.content.decode()
    assert "<html" not in text
    assert "250 dari ± 1.000 baris dibaca · 80 keluarga diperiksa" in text
    assert "every 1s" in text


def test_progress_partial_reloads_the_page_once_the_job_finished(district_admin):
    job = make_job(district_admin, counts={"preview": PREVIEW})

    response = client_for(district_admin).get(url("import_progress", job), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"


def test_confirmed_job_waiting_for_the_worker_shows_progress_without_cancel(district_admin):
    job = make_job(
        district_admin, counts={"preview": PREVIEW}, confirmed_at=timezone.now(), rows_total=7
    )
    page = client_for(district_admin).get(url("import_detail", job)).content.decode()
    assert "Menunggu giliran di antrean" in page
    assert "Menunggu impor" in page  # the badge, not "ready to confirm"
    assert url("import_cancel", job) not in page
    assert url("import_confirm", job) not in page


def test_preview_shows_counts_issues_and_the_confirm_and_cancel_buttons(district_admin):
    job = make_job(district_admin, counts={"preview": PREVIEW})
    add_issues(job)
    job.error_report.save("r.xlsx", ContentFile(b"xlsx"))

    page = client_for(district_admin).get(url("import_detail", job)).content.decode()

    assert "Pratinjau" in page
    assert "catatan_petugas" in page  # unknown column listed
    assert "NIK harus 16 angka" in page
    assert "Tanggal lahir tidak cocok dengan NIK" in page
    assert "Ditahan bersama keluarganya" in page
    assert url("import_confirm", job) in page
    assert url("import_cancel", job) in page
    assert url("import_error_report", job) in page
    assert "tanpa 1 keluarga yang ditahan" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"level": "warning"}, ["Tanggal lahir tidak cocok"], ["NIK harus 16 angka"]),
        ({"level": "error"}, ["NIK harus 16 angka", "Ditahan bersama"], ["Tanggal lahir tidak"]),
        ({"column": "tanggal_lahir"}, ["Tanggal lahir tidak cocok"], ["NIK harus 16 angka"]),
        ({"q": "16 angka"}, ["NIK harus 16 angka"], ["Tanggal lahir tidak", "Ditahan bersama"]),
        ({"q": "6"}, ["Tanggal lahir tidak cocok"], ["NIK harus 16 angka"]),  # row number
        ({"q": "3507010101200002"}, ["Tanggal lahir tidak cocok"], ["NIK harus 16 angka"]),
    ],
)
def test_issues_are_filtered_by_level_column_and_text(district_admin, query, shown, hidden):
    job = make_job(district_admin, counts={"preview": PREVIEW})
    add_issues(job)

    page = client_for(district_admin).get(url("import_detail", job), query).content.decode()

    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_issue_list_is_paginated_with_filters_kept(district_admin, django_assert_max_num_queries):
    job = make_job(district_admin, counts={"preview": PREVIEW})
    add_issues(job, count=120)
    client = client_for(district_admin)
    client.get(url("import_detail", job))

    with django_assert_max_num_queries(12):
        first = client.get(url("import_detail", job), {"level": "warning"}).content.decode()
    assert "w0<" in first and "w60<" not in first
    assert "level=warning&amp;page=2" in first
    third = client.get(url("import_detail", job), {"level": "warning", "page": 3}).content.decode()
    assert "w119<" in third and "NIK harus 16 angka" not in third


def test_confirm_queues_the_import_once(district_admin, django_capture_on_commit_callbacks):
    job = make_job(district_admin, counts={"preview": PREVIEW})
    client = client_for(district_admin)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(url("import_confirm", job))
        second = client.post(url("import_confirm", job), follow=True)

    job.refresh_from_db()
    assert first.status_code == 302
    assert job.confirmed_at is not None and job.confirmed_by == district_admin
    assert job.status == ImportStatus.VALIDATED  # the task claims it
    assert len(callbacks) == 1
    assert "tidak bisa dikonfirmasi lagi" in second.content.decode()
    assert client.get(url("import_confirm", job)).status_code == 405


def test_cancel_before_confirming_removes_the_file(district_admin):
    job = make_job(district_admin, counts={"preview": PREVIEW})
    stored = job.file.path

    response = client_for(district_admin).post(url("import_cancel", job), follow=True)

    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert not job.file
    assert not ImportJob.objects.get(pk=job.pk).file
    assert not __import__("os").path.exists(stored)
    assert "Impor dibatalkan" in response.content.decode()


@pytest.mark.parametrize("status", [ImportStatus.IMPORTING, ImportStatus.DONE])
def test_cancel_is_refused_once_importing_or_done(district_admin, status):
    job = make_job(district_admin, status, confirmed_at=timezone.now())

    response = client_for(district_admin).post(url("import_cancel", job), follow=True)

    job.refresh_from_db()
    assert job.status == status and job.file
    assert "tidak bisa dibatalkan" in response.content.decode()


def test_confirmed_job_cannot_be_cancelled(district_admin):
    job = make_job(district_admin, confirmed_at=timezone.now())
    client_for(district_admin).post(url("import_cancel", job))
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


def test_failed_import_offers_a_rerun_of_the_step_that_failed(
    district_admin, django_capture_on_commit_callbacks
):
    import_failed = make_job(
        district_admin, ImportStatus.FAILED, confirmed_at=timezone.now(), message="Impor terhenti"
    )
    check_failed = make_job(district_admin, ImportStatus.FAILED, message="Pemeriksaan terhenti")
    client = client_for(district_admin)
    page = client.get(url("import_detail", import_failed)).content.decode()
    assert "Impor terhenti" in page and "Jalankan ulang" in page

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url("import_rerun", import_failed))
        client.post(url("import_rerun", check_failed))

    import_failed.refresh_from_db()
    check_failed.refresh_from_db()
    assert import_failed.status == ImportStatus.VALIDATED and import_failed.confirmed_at
    assert check_failed.status == ImportStatus.UPLOADED
    assert import_failed.message == "" and check_failed.message == ""
    assert len(callbacks) == 2


def test_rejected_file_has_no_rerun(district_admin):
    job = make_job(
        district_admin, ImportStatus.FAILED, with_file=False, message="Kolom wajib nik tidak ada"
    )
    client = client_for(district_admin)
    page = client.get(url("import_detail", job)).content.decode()
    assert "Kolom wajib nik tidak ada" in page
    assert url("import_rerun", job) not in page
    client.post(url("import_rerun", job))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def test_result_page_shows_what_was_imported(district_admin):
    result = {**PREVIEW, "households_created": 12, "members_created": 48}
    job = make_job(
        district_admin,
        ImportStatus.DONE,
        with_file=False,
        counts={"preview": PREVIEW, "result": result},
        confirmed_at=timezone.now(),
        confirmed_by=district_admin,
        finished_at=timezone.now(),
    )
    page = client_for(district_admin).get(url("import_detail", job)).content.decode()
    assert "Hasil impor" in page and "Impor selesai" in page
    assert ">12<" in page and ">48<" in page
    assert url("import_confirm", job) not in page


def test_error_report_download(district_admin):
    job = make_job(district_admin, counts={"preview": PREVIEW})
    client = client_for(district_admin)
    assert client.get(url("import_error_report", job)).status_code == 404

    job.error_report.save("r.xlsx", ContentFile(b"PK-report"))
    response = client.get(url("import_error_report", job))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK-report"
    assert 'attachment; filename="kesalahan-registri.xlsx"' in response["Content-Disposition"]


def test_history_lists_only_jobs_in_the_users_area(
    admin_kec_a, admin_kec_b, district_admin, django_assert_max_num_queries
):
    mine = make_job(admin_kec_a, original_name="donomulyo.xlsx", counts={"preview": PREVIEW})
    theirs = make_job(admin_kec_b, original_name="pagak.xlsx")
    for _n in range(5):
        make_job(admin_kec_a, ImportStatus.DONE, counts={"preview": PREVIEW, "result": PREVIEW})
    history = reverse("households:import_list")

    client = client_for(admin_kec_a)
    client.get(history)

    with django_assert_max_num_queries(10):
        page = client.get(history).content.decode()
    assert "donomulyo.xlsx" in page and "pagak.xlsx" not in page
    assert url("import_detail", mine) in page
    assert "Admin Kec A" in page

    district = client_for(district_admin).get(history).content.decode()
    assert "donomulyo.xlsx" in district and "pagak.xlsx" in district
    filtered = client_for(district_admin).get(history, {"q": "pagak"}).content.decode()
    assert "pagak.xlsx" in filtered and "donomulyo.xlsx" not in filtered
    assert url("import_detail", theirs) in filtered


def test_template_download_has_the_columns_and_the_guide(district_admin):
    import io

    from openpyxl import load_workbook

    from households.importer import TEMPLATE_COLUMNS

    response = client_for(district_admin).get(reverse("households:import_template"))

    assert response.status_code == 200
    assert "templat-registri-terpadu.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data, guide = book.worksheets
    names = [column for column, *_rest in TEMPLATE_COLUMNS]
    assert [cell.value for cell in data[1]] == names
    for text_column in ("nik", "no_kk"):
        letter = data.cell(row=1, column=names.index(text_column) + 1).column_letter
        assert data.column_dimensions[letter].number_format == "@"
    guide_rows = {row[0]: row for row in guide.iter_rows(min_row=2, values_only=True) if row}
    assert set(names) <= set(guide_rows)
    assert guide_rows["nik"][1] == "wajib"
    assert "kepala keluarga" in guide_rows["hubungan_keluarga"][3]
    assert "jumlah_ternak_*" in guide_rows


@pytest.mark.parametrize(
    ("status", "rows_read", "phase"),
    [
        (ImportStatus.VALIDATING, 5000, "Memeriksa file…"),
        (ImportStatus.VALIDATING, 20000, "Memeriksa antarbaris dan terhadap registri…"),
        (ImportStatus.IMPORTING, 5000, "Membaca file untuk diimpor…"),
        (ImportStatus.IMPORTING, 20000, "Menyimpan ke registri"),
    ],
)
def test_progress_says_what_the_worker_is_doing(district_admin, status, rows_read, phase):
    job = make_job(district_admin, status, rows_total=23456, rows_read=rows_read)
    partial = client_for(district_admin).get(url("import_progress", job), HTTP_HX_REQUEST="true")
    assert phase in partial.content.decode()
