"""Upload page: who may use it, what a bad file gets told, what a good file starts."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households.models import ImportJob
from households.models.imports import ImportStatus
from tests.conftest import client_for

UPLOAD = reverse("households:import_upload")
CSV = b"kode_desa;no_kk;nik;nama\n35.07.01.2001;3507010101200001;3507010506800001;Budi\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, name, content):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def test_anonymous_is_sent_to_login(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_operator_without_import_permission_is_refused(operator_a):
    assert client_for(operator_a).get(UPLOAD).status_code == 403
    assert upload(client_for(operator_a), "a.csv", CSV).status_code == 403
    assert not ImportJob.objects.exists()


def test_upload_page_offers_the_template_and_the_size_limit(district_admin, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 100
    page = client_for(district_admin).get(UPLOAD).content.decode()
    assert reverse("households:import_template") in page
    assert "100 MB" in page
    assert 'enctype="multipart/form-data"' in page


def test_good_csv_creates_a_job_in_the_admins_area_and_queues_the_check_after_commit(
    district_admin, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client_for(district_admin), "Data Desa.csv", CSV)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:import_detail", args=[job.pk])
    assert job.status == ImportStatus.UPLOADED
    assert job.original_name == "Data Desa.csv"
    assert job.area_code == "35.07"
    assert job.user == district_admin
    assert len(job.file_sha256) == 64
    assert job.rows_total == 1
    stored = Path(job.file.path)
    assert stored.read_bytes() == CSV
    assert stored.is_relative_to(media_root / "imports")
    assert "Data Desa" not in stored.name  # stored under a random name
    assert job.task_id
    assert len(callbacks) == 1  # the task goes out only once the job row is committed


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("halaman.xls", b"<html><table><tr><td>1</td></tr></table>", "bukan file Excel .xls"),
        ("palsu.ods", b"ini bukan spreadsheet", "bukan file .ods yang sah"),
        ("data.txt", b"abc", "Jenis file tidak didukung"),
        ("data.pdf", b"%PDF-1.4", "Jenis file tidak didukung"),
        ("rahasia.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "kata sandi"),
        ("palsu.xlsx", b"ini bukan excel", "bukan file Excel .xlsx"),
        ("gambar.csv", b"\x89PNG\r\n\x1a\n\0\0\0", "bukan teks CSV"),
        ("kosong.csv", b"", "kosong"),
    ],
)
def test_wrong_files_get_a_clear_message_and_no_job(district_admin, name, content, message):
    response = upload(client_for(district_admin), name, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_missing_file_is_asked_for(district_admin):
    response = client_for(district_admin).post(UPLOAD, {})
    assert response.status_code == 200
    assert "Pilih file yang akan diimpor" in response.content.decode()


def test_file_over_the_limit_is_stopped_while_streaming(district_admin, settings, media_root):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = CSV + b"x" * (1024 * 1024 + 10)

    response = upload(client_for(district_admin), "besar.csv", big)

    assert response.status_code == 200
    assert "File terlalu besar: batasnya 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not (media_root / "imports").exists()


def test_upload_without_csrf_token_is_refused(district_admin):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(district_admin)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("a.csv", CSV)})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_upload_limit_handler_stops_at_the_limit(rf, settings):
    from django.core.files.uploadhandler import StopUpload

    from households.forms.imports import UploadLimitHandler

    settings.IMPORT_MAX_UPLOAD_MB = 1
    request = rf.post("/")
    handler = UploadLimitHandler(request)
    chunk = b"x" * (512 * 1024)
    assert handler.receive_data_chunk(chunk, 0) == chunk
    assert handler.receive_data_chunk(chunk, len(chunk)) == chunk
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x", 2 * len(chunk))
    assert request.import_upload_too_large is True


def test_uploaded_files_are_not_served(district_admin, settings):
    upload(client_for(district_admin), "a.csv", CSV)
    job = ImportJob.objects.get()
    assert client_for(district_admin).get(settings.MEDIA_URL + job.file.name).status_code == 404
