"""A complaint that spawns a data-update proposal keeps the link both ways: the complaint page
shows the proposal, the proposal page shows the complaint."""

from django.urls import reverse

from complaints.models import Complaint
from complaints.services import handling
from households.models import DataUpdate
from tests.complaints import factories
from tests.conftest import DESA_A1, client_for
from tests.households import registry_factory as make
from tests.households.update_factories import evidence


def test_decile_review_from_a_complaint(db, media, complaints_a, operator_a):
    household = make.family(desa=DESA_A1, head="Tukiman", desil=6)
    complaint, _code = factories.submit(code="data-tidak-valid", no_kk=household.no_kk)
    assert complaint.household == household  # found by No KK at intake
    handling.triage(
        complaint, complaints_a, category=complaint.category, priority="normal", household=household
    )
    client = client_for(complaints_a)
    detail = client.get(complaint.get_absolute_url()).content.decode()
    url = reverse("complaints:complaint_propose_update", args=[complaint.pk, "tinjau-desil"])
    assert url in detail
    form = client.get(url).content.decode()
    assert complaint.ticket in form
    response = client.post(
        url, {"desil": 2, "reason": "Hasil kunjungan rumah", "evidence": evidence()}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    update = DataUpdate.objects.get()
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.data_update == update
    assert (update.household, update.payload["desil"], update.proposed_by) == (
        household,
        2,
        complaints_a,
    )
    assert complaint.events.filter(kind="data_update").exists()
    # Both pages show the link, to anyone of the area who may see both.
    for user in (complaints_a, operator_a):
        page = client_for(user).get(complaint.get_absolute_url()).content.decode()
        assert reverse("households:update_detail", args=[update.pk]) in page
        update_page = (
            client_for(user)
            .get(reverse("households:update_detail", args=[update.pk]))
            .content.decode()
        )
        assert complaint.ticket in update_page and "Pengaduan terkait" in update_page


def test_no_proposal_without_a_household(db, complaints_a):
    complaint, _code = factories.submit()
    url = reverse("complaints:complaint_propose_update", args=[complaint.pk, "tinjau-desil"])
    assert client_for(complaints_a).get(url).status_code == 404


def test_proposal_page_without_complaints_shows_no_panel(db, operator_a, district_admin):
    from tests.households.update_factories import propose

    household = make.family(desa=DESA_A1, head="Sarmi", desil=6)
    update = propose(operator_a, household, "decile_review", {"desil_before": 6, "desil": 3})
    page = (
        client_for(district_admin)
        .get(reverse("households:update_detail", args=[update.pk]))
        .content.decode()
    )
    assert "Pengaduan terkait" not in page
