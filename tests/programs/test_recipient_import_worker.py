"""A recipient list through the web, Redis and a real Celery worker: upload → check with every
row's issue → confirm → import → enrolments; scope of the job pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households.models import ImportJob
from households.models.imports import ImportStatus
from programs.models import Enrolment
from tests.conftest import DESA_B1, client_for
from tests.households import registry_factory as make
from tests.imports.test_pipeline_worker import wait_for
from tests.programs import factories
from tests.programs.test_recipient_import import xlsx


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def worker_env(worker_env, data_dir):
    """The worker stores and reads uploads where this test process puts them."""
    return {**worker_env, "TERPADU_DATA_DIR": str(data_dir)}


def upload(client, program, path):
    response = client.post(
        reverse("programs:list_upload"),
        {"program": program.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def test_upload_check_confirm_import(celery_worker_process, data_dir, district_admin, operator_b):
    program = factories.pkh()
    household = make.household(desil=2)
    head = make.member(household, "Sutrisno", make.years_old(45))
    path = xlsx(
        data_dir / "pkh-tahap-1.xlsx",
        [(1, head.nik, "", "Sutrisno", "1"), (2, "3507011201900099", "", "Tidak ada", "1")],
    )
    client = client_for(district_admin)
    job = upload(client, program, path)
    assert job.kind == "enrolments" and job.options == {"program": "PKH"}
    wait_for(job, ImportStatus.VALIDATED, ImportStatus.FAILED)
    assert job.status == ImportStatus.VALIDATED, job.message
    assert job.counts["preview"]["created"] == 1 and job.counts["preview"]["errors"] == 1
    assert not Enrolment.objects.exists()
    detail = reverse("programs:list_import_detail", args=[job.pk])
    page = client.get(detail).content.decode()
    assert "tidak ditemukan" in page.lower()
    issues = client.get(reverse("programs:list_import_issues", args=[job.pk]))
    assert issues.status_code == 200 and issues["Content-Type"].startswith("application/")
    # Another kecamatan's operator (no import permission there anyway) gets a 404, not a 403.
    assert client_for(operator_b).get(detail).status_code in (403, 404)
    client.post(reverse("programs:list_import_confirm", args=[job.pk]))
    wait_for(job, ImportStatus.DONE, ImportStatus.FAILED)
    assert job.status == ImportStatus.DONE, job.message
    enrolment = Enrolment.objects.get()
    assert (enrolment.household, enrolment.source, enrolment.last_period) == (
        household,
        "recipient_list",
        "1",
    )
    assert job.counts["result"]["created"] == 1
    # The registry's import history does not list it.
    assert job.pk not in [
        row.record.pk
        for row in client.get(reverse("households:import_list")).context["table"].page.object_list
    ]


def test_job_pages_are_scoped(db, data_dir, district_admin, outsider_admin):
    program = factories.pkh()
    job = ImportJob.objects.create(
        kind="enrolments",
        options={"program": program.code},
        original_name="x.xlsx",
        user=district_admin,
        area_code="35.07",
        status=ImportStatus.VALIDATED,
    )
    url = reverse("programs:list_import_detail", args=[job.pk])
    assert client_for(district_admin).get(url).status_code == 200
    assert client_for(outsider_admin).get(url).status_code == 404
    registry_page = reverse("households:import_detail", args=[job.pk])
    assert client_for(district_admin).get(registry_page).status_code == 404
    assert DESA_B1  # the scope of the rows themselves is tested in test_recipient_import
