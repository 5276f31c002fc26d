"""The graduation pages: a facilitator's caseload and its 404s, the proposal form with its
files, steps through the web, progress and its export, monitoring, facilitator admin and
assignment."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from graduation.models import Assignment, Candidate, Facilitator, Graduation, GraduationTarget
from graduation.services import graduations as service
from graduation.services.candidates import refresh_candidates
from tests.conftest import DESA_B1, KEC_B, client_for, persona
from tests.graduation import factories
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(facilitator_a):
    fac = factories.facilitator(facilitator_a)
    assigned = factories.pkh_household()
    factories.assign(fac, assigned)
    unassigned = factories.pkh_household()
    return fac, assigned, unassigned


def form_data(**extra):
    data = {
        "kind": "sejahtera_mandiri",
        "graduation_date": timezone.localdate().isoformat(),
        "reasons": "Usaha warung sudah stabil",
        "ready_economy": "on",
        "ready_housing": "on",
        "readiness_notes": "Penghasilan Rp 3.000.000/bulan",
        "statement": factories.pdf(),
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_facilitator_sees_only_the_caseload(caseload, facilitator_a, district_admin):
    _fac, assigned, unassigned = caseload
    client = client_for(facilitator_a)
    page = client.get(reverse("graduation:index"))
    assert page.status_code == 200
    body = page.content.decode()
    assert assigned.registry_id in body and unassigned.registry_id not in body
    assert "Anak SMP/sederajat" in body  # the 15-year-old's component
    assert client.get(reverse("graduation:propose", args=[unassigned.pk])).status_code == 404
    assert client.get(reverse("graduation:propose", args=[assigned.pk])).status_code == 200
    other = factories.propose(unassigned, district_admin, kind="alamiah")
    assert client.get(reverse("graduation:graduation_detail", args=[other.pk])).status_code == 404
    listed = client.get(reverse("graduation:graduation_list")).content.decode()
    assert unassigned.no_kk not in listed


def test_caseload_shows_the_candidate_flag(facilitator_a):
    fac = factories.facilitator(facilitator_a)
    grown = make.household()
    make.member(grown, "Kepala", make.years_old(50))
    from programs.models import Enrolment

    Enrolment.objects.create(
        program=factories.pkh(), household=grown, status="active", source="system"
    )
    factories.assign(fac, grown)
    refresh_candidates()
    body = client_for(facilitator_a).get(reverse("graduation:caseload")).content.decode()
    assert "kandidat graduasi alamiah" in body
    candidates = client_for(facilitator_a).get(reverse("graduation:candidates")).content.decode()
    assert grown.registry_id in candidates


def test_propose_with_statement_then_steps_over_the_web(
    caseload, facilitator_a, operator_a, district_admin
):
    _fac, assigned, _other = caseload
    pena = factories.empowerment()
    client = client_for(facilitator_a)
    response = client.post(
        reverse("graduation:propose", args=[assigned.pk]),
        form_data(next_program=pena.pk, evidence=[factories.pdf("foto.pdf")]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    graduation = Graduation.objects.get()
    assert graduation.ready_economy and graduation.ready_housing and not graduation.ready_health
    assert graduation.evidence.count() == 1
    statement = client.get(reverse("graduation:statement_download", args=[graduation.pk]))
    assert statement.status_code == 200
    assert b"".join(statement.streaming_content).startswith(b"%PDF")
    step = reverse("graduation:graduation_step", args=[graduation.pk])
    assert client.post(step, {"action": "verify"}).status_code == 403
    assert client_for(operator_a).post(step, {"action": "verify"}).status_code == 302
    assert (
        client_for(operator_b := persona("operator_b"))
        .post(step, {"action": "approve"})
        .status_code
        == 404
    )
    assert operator_b
    client_for(district_admin).post(step, {"action": "approve"})
    graduation.refresh_from_db()
    assert graduation.status == "approved" and graduation.next_enrolment.program == pena
    detail = client.get(reverse("graduation:graduation_detail", args=[graduation.pk]))
    assert "Disetujui" in detail.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"statement": SimpleUploadedFile("x.pdf", b"MZ-not-a-pdf")}, "PDF, JPG atau PNG"),
        ({"statement": None}, "surat pernyataan"),
        ({"graduation_date": "2999-01-01"}, "masa depan"),
    ],
)
def test_bad_proposal_shows_a_message_and_writes_nothing(caseload, facilitator_a, change, message):
    _fac, assigned, _other = caseload
    response = client_for(facilitator_a).post(
        reverse("graduation:propose", args=[assigned.pk]), form_data(**change)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Graduation.objects.exists()


def test_household_not_in_pkh_and_twice(caseload, facilitator_a):
    fac, assigned, _other = caseload
    outside_pkh = factories.pkh_household(enrol=False)
    factories.assign(fac, outside_pkh)
    client = client_for(facilitator_a)
    page = client.get(reverse("graduation:propose", args=[outside_pkh.pk])).content.decode()
    assert "bukan peserta aktif PKH" in page
    response = client.post(reverse("graduation:propose", args=[outside_pkh.pk]), form_data())
    assert "bukan peserta aktif PKH" in response.content.decode()
    client.post(reverse("graduation:propose", args=[assigned.pk]), form_data())
    again = client.post(reverse("graduation:propose", args=[assigned.pk]), form_data())
    assert "sudah diusulkan" in again.content.decode()
    assert Graduation.objects.count() == 1


def test_progress_page_and_export(caseload, facilitator_a, operator_a, district_admin):
    fac, assigned, _other = caseload
    GraduationTarget.objects.create(facilitator=fac, year=timezone.localdate().year, target=4)
    graduation = factories.propose(assigned, facilitator_a, reasons='=HYPERLINK("x")')
    service.take_step(graduation, "verify", operator_a)
    service.take_step(graduation, "approve", district_admin)
    page = client_for(district_admin).get(reverse("graduation:progress"))
    body = page.content.decode()
    assert 'max="4" value="1"' in body
    assert "style=" not in body
    export = client_for(district_admin).get(reverse("graduation:progress_export"))
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["Pendamping", "Kecamatan", "Graduasi"]
    rows = list(book["Graduasi"].iter_rows(values_only=True))
    assert rows[1][10] == '\'=HYPERLINK("x")'
    assert list(book["Pendamping"].iter_rows(values_only=True))[1][3:7] == (4, 1, 1, 1)
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet3.xml").decode()


def test_monitoring_visit_form(caseload, facilitator_a, operator_a, district_admin):
    _fac, assigned, _other = caseload
    graduation = factories.propose(assigned, facilitator_a)
    service.take_step(graduation, "verify", operator_a)
    service.take_step(graduation, "approve", district_admin)
    visit = graduation.visits.get(round=6)
    client = client_for(facilitator_a)
    assert assigned.registry_id in client.get(reverse("graduation:visit_list")).content.decode()
    response = client.post(
        reverse("graduation:visit_record", args=[visit.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "still_self_reliant": "true",
            "income_source": "Warung",
            "needs": "",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.still_self_reliant is True


def test_facilitator_admin_and_targets(district_admin, facilitator_a, operator_a):
    client = client_for(district_admin)
    response = client.post(
        reverse("graduation:facilitator_add"),
        {"user": facilitator_a.pk, "kind": "pkh", "active": "on"},
    )
    assert response.status_code == 302
    fac = Facilitator.objects.get(user=facilitator_a)
    assert fac.area_id == "35.07.01"
    client.post(reverse("graduation:target_set", args=[fac.pk]), {"year": 2025, "target": 12})
    assert GraduationTarget.objects.get(facilitator=fac, year=2025).target == 12
    assert client_for(operator_a).get(reverse("graduation:facilitator_add")).status_code == 403
    assert (
        client_for(operator_a)
        .get(reverse("graduation:facilitator_detail", args=[fac.pk]))
        .status_code
        == 200
    )
    assert (
        client_for(persona("operator_b"))
        .get(reverse("graduation:facilitator_detail", args=[fac.pk]))
        .status_code
        == 404
    )


def test_bulk_assign_from_the_registry_filter(district_admin, facilitator_a):
    fac = factories.facilitator(facilitator_a)
    inside = [make.household() for _ in range(3)]
    outside = make.household(desa=DESA_B1)
    client = client_for(district_admin)
    url = reverse("graduation:assign_bulk")
    preview = client.post(url, {"facilitator": fac.pk, "preview": "1"})
    assert preview.status_code == 200
    assert preview.context["preview"].created == 3 and preview.context["preview"].outside == 1
    assert not Assignment.objects.exists()
    client.post(url, {"facilitator": fac.pk, "confirm": "1"})
    assert set(Assignment.objects.values_list("household_id", flat=True)) == {h.pk for h in inside}
    assert outside.pk not in Assignment.objects.values_list("household_id", flat=True)
    # The registry list offers the button.
    listed = client.get(reverse("households:household_list")).content.decode()
    assert url in listed
    # A second pendamping PKH takes the household over; the first one's assignment ends.
    other = factories.facilitator(persona("facilitator_a", "facilitator_a2"))
    client.post(f"{url}?q={inside[0].no_kk}", {"facilitator": other.pk, "confirm": "1"})
    assert Assignment.objects.get(household=inside[0], active=True).facilitator == other


def test_assign_from_a_spreadsheet(district_admin, facilitator_a):
    fac = factories.facilitator(facilitator_a)
    first, second = make.household(), make.household()
    outsider = make.household(desa="35.08.01.2001")
    content = factories.xlsx_bytes(
        [["No KK"], [first.no_kk], [second.registry_id], [outsider.no_kk], ["bukan nomor"]]
    )
    response = client_for(district_admin).post(
        reverse("graduation:assign_file"),
        {"facilitator": fac.pk, "file": SimpleUploadedFile("kpm.xlsx", content)},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.created == 2
    assert len(result.errors) == 2 and "Baris 4" in result.errors[0]
    assert outsider.no_kk in result.errors[0]
    assert set(Assignment.objects.values_list("household_id", flat=True)) == {first.pk, second.pk}


def test_household_panel(caseload, facilitator_a, operator_a):
    _fac, assigned, unassigned = caseload
    graduation = factories.propose(assigned, facilitator_a)
    page = client_for(operator_a).get(reverse("households:household_detail", args=[assigned.pk]))
    assert f"#{graduation.pk}" in page.content.decode()
    own = client_for(facilitator_a).get(
        reverse("households:household_detail", args=[unassigned.pk])
    )
    assert reverse("graduation:propose", args=[unassigned.pk]) not in own.content.decode()


def test_candidates_of_other_areas_stay_there(operator_b, facilitator_a):
    household = make.household()
    make.member(household, "Kepala", make.years_old(50))
    from programs.models import Enrolment

    Enrolment.objects.create(
        program=factories.pkh(), household=household, status="active", source="system"
    )
    refresh_candidates()
    assert Candidate.objects.count() == 1
    assert (
        household.no_kk
        not in client_for(operator_b).get(reverse("graduation:candidates")).content.decode()
    )
    # The facilitator's list is their caseload only.
    factories.facilitator(facilitator_a)
    assert (
        household.no_kk
        not in client_for(facilitator_a).get(reverse("graduation:candidates")).content.decode()
    )
    assert KEC_B
