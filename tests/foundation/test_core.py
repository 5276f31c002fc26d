"""The shared pieces of the core app that every function app builds on."""

import pytest

from core.claims import claim
from core.regions import level_of, normalise_code
from households.models import DataUpdate
from households.models.updates import UpdateKind, UpdateStatus
from tests.households.update_factories import make_household, propose


@pytest.mark.parametrize(
    ("raw", "code", "level"),
    [
        ("35", "35", 1),
        ("3507", "35.07", 2),
        (" 35.07.01 ", "35.07.01", 3),
        ("3507012001", "35.07.01.2001", 4),
        ("35.07.01.2001", "35.07.01.2001", 4),
    ],
)
def test_region_codes(raw, code, level):
    assert normalise_code(raw) == code
    assert level_of(code) == level


def test_a_claim_succeeds_once(db, puskesos_a, operator_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    update = propose(
        puskesos_a, make_household(), UpdateKind.DECILE_REVIEW, {"desil_before": None, "desil": 2}
    )
    verify = {"status": UpdateStatus.VERIFIED, "verified_by": operator_a}
    assert claim(DataUpdate.objects, update.pk, UpdateStatus.PROPOSED, **verify)
    assert not claim(DataUpdate.objects, update.pk, UpdateStatus.PROPOSED, **verify)
    # Several statuses a step may start from.
    assert claim(
        DataUpdate.objects,
        update.pk,
        [UpdateStatus.PROPOSED, UpdateStatus.VERIFIED],
        status=UpdateStatus.REJECTED,
    )
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.REJECTED
