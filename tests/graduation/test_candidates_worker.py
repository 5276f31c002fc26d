"""The nightly candidate job on a real Celery worker: it stores the candidates and tells the
facilitator once, however often it runs."""

import pytest

from core.models import Notification
from graduation.models import Candidate
from graduation.tasks import refresh_candidates
from programs.models import Enrolment
from tests.graduation import factories
from tests.households import registry_factory as make


def test_the_job_refreshes_and_notifies_once(celery_worker_process, facilitator_a, operator_a):
    fac = factories.facilitator(facilitator_a)
    grown = make.household()
    make.member(grown, "Kepala", make.years_old(50))
    Enrolment.objects.create(
        program=factories.pkh(), household=grown, status="active", source="system"
    )
    factories.assign(fac, grown)
    with_children = factories.pkh_household()
    factories.assign(fac, with_children)

    assert refresh_candidates.delay().get(timeout=60) == 1
    assert list(Candidate.objects.values_list("household_id", flat=True)) == [grown.pk]
    notes = Notification.objects.filter(user=facilitator_a)
    assert notes.count() == 1
    assert "1 KPM" in notes.get().message and notes.get().url == "/graduasi/kandidat/"

    assert refresh_candidates.delay().get(timeout=60) == 0
    assert notes.count() == 1
    assert not Notification.objects.filter(user=operator_a).exists()


pytestmark = pytest.mark.django_db(transaction=True)
