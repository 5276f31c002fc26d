"""One service evaluates a program's rule and says why."""

import datetime

from households.choices import Relationship
from programs.choices import EligibilityIssue
from programs.services.eligibility import evaluate
from tests.households import registry_factory as make
from tests.programs import factories


def issues(program, household, member=None):
    return [finding.issue for finding in evaluate(program, household, member)]


def test_desil_ceiling(db):
    program = factories.program(max_desil=4)
    assert issues(program, make.family(desil=4)) == []
    assert issues(program, make.family(desil=5)) == [EligibilityIssue.ABOVE_CEILING]
    assert issues(program, make.family(desil=None)) == [EligibilityIssue.NO_DESIL]
    reason = evaluate(program, make.family(desil=7))[0].reason
    assert "7" in reason and "1–4" in reason


def test_no_ceiling_no_desil_issue(db):
    assert issues(factories.program(), make.family(desil=None)) == []


def test_inactive_household(db):
    household = make.family(status="moved", desil=2)
    assert issues(factories.program(max_desil=4), household) == [
        EligibilityIssue.HOUSEHOLD_INACTIVE
    ]


def test_required_component(db):
    program = factories.program(required_components=["anak_sd", "anak_smp"])
    household = make.family()
    assert issues(program, household) == [EligibilityIssue.NO_COMPONENT]
    make.member(
        household,
        "Anak",
        born=make.years_old(9),
        relationship=Relationship.CHILD,
        partisipasi_sekolah="masih_sekolah",
    )
    assert issues(program, household) == []


def test_age_band_of_a_member_program(db):
    program = factories.program(min_age=6, max_age=21, beneficiary_unit="member")
    household = make.household()
    head = make.member(household, "Kepala", born=make.years_old(40))
    child = make.member(household, "Anak", born=make.years_old(10), relationship=Relationship.CHILD)
    assert issues(program, household, head) == [EligibilityIssue.AGE]
    assert issues(program, household, child) == []
    assert issues(program, household) == []


def test_disability_required(db):
    program = factories.program(requires_disability=True)
    household = make.family()
    assert issues(program, household) == [EligibilityIssue.NO_DISABILITY]
    make.member(
        household,
        "Adik",
        born=make.years_old(30),
        relationship=Relationship.OTHER,
        disabilitas="tuna netra",
    )
    assert issues(program, household) == []


def test_several_issues_together(db):
    program = factories.pkh()
    household = make.family(desil=8, status="inactive")
    assert set(issues(program, household, None)) == {
        EligibilityIssue.HOUSEHOLD_INACTIVE,
        EligibilityIssue.ABOVE_CEILING,
        EligibilityIssue.NO_COMPONENT,
    }
    assert evaluate(program, household, day=datetime.date(2025, 1, 1))
