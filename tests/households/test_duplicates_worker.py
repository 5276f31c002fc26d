"""The dedup scan runs in a real Celery worker against the test database."""

import datetime

import pytest

from households.choices import Relationship, Sex
from households.duplicate_tasks import scan_duplicates
from households.models import DuplicateCandidate
from households.models.updates import DuplicateReason
from tests.conftest import DESA_A1, DESA_A2
from tests.households.update_factories import make_household, make_member

BORN = datetime.date(1979, 1, 30)


@pytest.mark.worker
def test_scan_task_queues_pairs_in_the_worker_and_is_safe_to_repeat(celery_worker_process):
    first = make_member(
        make_household(DESA_A1, people=[]), "Ahmad Fauzi", Sex.MALE, BORN, Relationship.HEAD
    )
    second = make_member(
        make_household(DESA_A2, people=[]), "Achmad Fauzi", Sex.MALE, BORN, Relationship.HEAD
    )

    assert scan_duplicates.delay("35.07").get(timeout=30) == 1
    assert scan_duplicates.delay("35.07").get(timeout=30) == 0

    candidate = DuplicateCandidate.objects.get()
    assert {candidate.member_a_id, candidate.member_b_id} == {first.pk, second.pk}
    assert candidate.reason == DuplicateReason.SIMILAR_NAME
