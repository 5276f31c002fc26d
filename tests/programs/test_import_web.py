"""A distribution result through the shared job pages (the worker's steps called in-process; the
real worker runs in test_recipient_import_worker): upload with the kind, check with every row's
issue, confirm, import, upsert; scope of the job list."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households.models import ImportJob
from households.models.imports import ImportStatus
from programs.models import Disbursement, Enrolment
from programs.services import imports as service
from tests.conftest import client_for
from tests.households import registry_factory as make
from tests.programs import factories
from tests.programs.test_import_disbursements import xlsx


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_distribution_result_upload_check_confirm_import(media, district_admin, outsider_admin):
    program = factories.pkh()
    household = make.household(desil=2)
    head = make.member(household, "Sutrisno", make.years_old(45))
    Enrolment.objects.create(
        program=program,
        household=household,
        status="active",
        source="system",
        start_date=datetime.date(2025, 1, 1),
    )
    path = xlsx(
        media / "salur.xlsx",
        [
            (1, head.nik, "", 2025, 1, "750.000", "tersalurkan", "Pos", "10/02/2025"),
            (2, head.nik, "", 2025, 2, "-1", "tersalurkan", "Pos", ""),
        ],
    )
    client = client_for(district_admin)
    response = client.post(
        reverse("programs:list_upload"),
        {
            "kind": "disbursements",
            "program": program.pk,
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert (job.kind, job.options) == ("disbursements", {"program": "PKH"})
    service.check_list_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED, job.message
    assert (job.counts["preview"]["created"], job.counts["preview"]["errors"]) == (1, 1)
    assert not Disbursement.objects.exists()
    page = client.get(reverse("programs:list_import_detail", args=[job.pk])).content.decode()
    assert "Hasil penyaluran" in page and "negatif" in page
    # Another district's admin: the job is outside their area → 404, and not in their list.
    other = client_for(outsider_admin)
    assert other.get(reverse("programs:list_import_detail", args=[job.pk])).status_code == 404
    assert job not in other.get(reverse("programs:list_upload")).context["recent"]
    client.post(reverse("programs:list_import_confirm", args=[job.pk]))
    service.run_list_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.message
    disbursement = Disbursement.objects.get()
    assert (disbursement.amount, disbursement.channel, disbursement.period) == (750000, "pos", 1)
    assert job.counts["result"]["created"] == 1


def test_wrong_file_is_refused_and_writes_nothing(media, district_admin):
    program = factories.pkh()
    client = client_for(district_admin)

    def post(name, content=b"%PDF-1.4 not a workbook"):
        return client.post(
            reverse("programs:list_upload"),
            {
                "kind": "disbursements",
                "program": program.pk,
                "file": SimpleUploadedFile(name, content),
            },
        )

    for name in ("salur.pdf", "salur.xlsx"):  # a PDF, and a PDF renamed .xlsx
        refused = post(name)
        assert refused.status_code == 200 and "file" in refused.context["form"].errors
    assert not ImportJob.objects.exists()
    # A readable file without the columns reaches the worker's check, which refuses it.
    assert post("salur.csv", b"Kolom A;Kolom B\n1;2\n").status_code == 302
    job = ImportJob.objects.get()
    service.check_list_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "Baris judul kolom" in job.message
    assert not Disbursement.objects.exists()
