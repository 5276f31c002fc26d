"""A complaint that is turned into a referral keeps the link both ways: the complaint page shows
the intake and its referrals, the intake page shows the complaint."""

import uuid

from django.urls import reverse

from complaints.models import Complaint
from complaints.services import handling
from referrals.models import Intake, Referral
from tests.complaints import factories
from tests.conftest import DESA_A1, client_for
from tests.households import registry_factory as make
from tests.referrals import factories as referral_factories


def test_a_complaint_opens_a_referral_linked_both_ways(db, complaints_a, operator_a, provider):
    point = referral_factories.service_point(region=DESA_A1)
    agency = referral_factories.puskesmas(provider)
    household = make.family(desa=DESA_A1, head="Tukiman", desil=2)
    complaint, _code = factories.submit(code="bantuan-belum-diterima", no_kk=household.no_kk)
    handling.triage(
        complaint, complaints_a, category=complaint.category, priority="normal", household=household
    )
    client = client_for(complaints_a)
    url = reverse("complaints:complaint_refer", args=[complaint.pk])
    assert url in client.get(complaint.get_absolute_url()).content.decode()
    form = client.get(url)
    assert form.status_code == 200 and complaint.description in form.content.decode()
    response = client.post(
        url,
        {
            "service_point": point.pk,
            "channel": "datang",
            "needs": ["kesehatan"],
            "story": complaint.description,
            "consent": "warga",
            "submission": str(uuid.uuid4()),
        },
    )
    intake = Intake.objects.get()
    assert response["Location"] == reverse("referrals:intake_detail", args=[intake.pk])
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.intake == intake and intake.household == household
    assert intake.member.nama == "Tukiman"
    assert complaint.events.filter(kind="referral").exists()
    need = intake.needs.get()
    client.post(
        reverse("referrals:refer", args=[intake.pk, need.pk]),
        {f"need{need.pk}-agency": agency.pk, f"need{need.pk}-reason": "Dari pengaduan"},
    )
    referral = Referral.objects.get()
    for user in (complaints_a, operator_a):
        page = client_for(user).get(complaint.get_absolute_url()).content.decode()
        assert referral.reference in page
        intake_page = (
            client_for(user)
            .get(reverse("referrals:intake_detail", args=[intake.pk]))
            .content.decode()
        )
        assert complaint.ticket in intake_page


def test_no_referral_without_a_household(db, complaints_a):
    complaint, _code = factories.submit()
    url = reverse("complaints:complaint_refer", args=[complaint.pk])
    assert client_for(complaints_a).get(url).status_code == 403
