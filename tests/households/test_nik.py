import datetime

import pytest

from households.choices import NikFlag, Sex
from households.nik import check_nik, check_no_kk, make_nik

BORN = datetime.date(1980, 6, 5)


@pytest.fixture(autouse=True)
def fresh_region_cache(db):
    from households.nik import forget_region_codes

    forget_region_codes()
    yield
    forget_region_codes()


def test_valid_male_nik_has_no_errors_or_warnings():
    result = check_nik("3507010506800001", BORN, Sex.MALE)
    assert result.ok and result.value == "3507010506800001"
    assert result.warnings == [] and result.flags == []


def test_valid_female_nik_has_day_plus_forty():
    result = check_nik("3507014506800001", BORN, Sex.FEMALE)
    assert result.ok and result.flags == []


def test_female_code_on_a_man_is_a_sex_mismatch_warning():
    result = check_nik("3507014506800001", BORN, Sex.MALE)
    assert result.ok
    assert result.flags == [NikFlag.SEX_MISMATCH]
    assert "perempuan" in result.warnings[0]


def test_birthdate_mismatch_is_a_warning_not_an_error():
    result = check_nik("3507010506800001", datetime.date(1981, 6, 5), Sex.MALE)
    assert result.ok
    assert result.flags == [NikFlag.BIRTHDATE_MISMATCH]
    assert "05/06/80" in result.warnings[0]


def test_unknown_kecamatan_prefix_is_a_warning():
    result = check_nik("3507990506800001", BORN, Sex.MALE)
    assert result.ok
    assert result.flags == [NikFlag.UNKNOWN_PREFIX]


def test_unknown_province_is_an_error():
    result = check_nik("9907010506800001", BORN, Sex.MALE)
    assert not result.ok
    assert "provinsi 99" in result.errors[0]


@pytest.mark.parametrize("digits", ["350701050680001", "35070105068000011"])
def test_fifteen_or_seventeen_digits_are_errors(digits):
    result = check_nik(digits)
    assert not result.ok
    assert f"bukan {len(digits)}" in result.errors[0]


@pytest.mark.parametrize(
    "mangled", [3.50701e15, "3.50701E+15", "3507010506800000.0", 3507010506800001]
)
def test_numbers_damaged_by_excel_are_errors(mangled):
    result = check_nik(mangled)
    assert not result.ok
    assert "Excel" in result.errors[0]


def test_apostrophe_and_spaces_are_cleaned():
    assert check_nik(" '3507 0105 0680 0001 ", BORN, Sex.MALE).value == "3507010506800001"


@pytest.mark.parametrize("nik", ["3507013206800001", "3507017206800001", "3507010513800001"])
def test_impossible_dates_are_errors(nik):
    assert not check_nik(nik).ok


def test_empty_nik_is_flagged_as_missing_not_an_error():
    result = check_nik("  ")
    assert result.ok and result.value is None and result.flags == [NikFlag.MISSING]


def test_letters_are_an_error():
    assert "angka" in check_nik("35070105O6800001").errors[0]


def test_no_kk_needs_sixteen_digits_and_a_real_province():
    assert check_no_kk("3507010101200001").value == "3507010101200001"
    assert not check_no_kk("9907010101200001").ok
    assert not check_no_kk("").ok
    assert not check_no_kk(3.507e15).ok


def test_make_nik_round_trips_through_the_check():
    nik = make_nik("35.07.01", datetime.date(2015, 2, 28), Sex.FEMALE, 17)
    assert nik == "3507016802150017"
    assert check_nik(nik, datetime.date(2015, 2, 28), Sex.FEMALE).flags == []
