import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from programs.choices import PkhComponent
from programs.models import Agency, BenefitRate, Program

CODES = {"PKH", "SEMBAKO", "PBI-JK", "PIP", "BLT-DD", "KUBE", "PENA", "RUTILAHU", "UEP", "PKAT"}


def load(*args) -> str:
    out = StringIO()
    call_command("load_programs", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_loads_the_national_catalogue():
    line = load()
    assert line.startswith("created=")
    assert "\n" not in line
    assert set(Program.objects.values_list("code", flat=True)) >= CODES
    pkh = Program.objects.get(code="PKH")
    assert (pkh.kind, pkh.cluster, pkh.funding_source, pkh.beneficiary_unit) == (
        "bansos",
        "bantuan_sosial",
        "apbn",
        "household",
    )
    assert pkh.max_desil == 4
    assert pkh.periods_per_year == 4
    assert set(pkh.required_components) == set(PkhComponent.values)
    assert pkh.national
    assert Program.objects.get(code="PIP").beneficiary_unit == "member"
    assert Program.objects.get(code="KUBE").beneficiary_unit == "group"
    assert Program.objects.get(code="BLT-DD").funding_source == "dana_desa"
    assert {"kemensos", "dpmd", "diskopumkm", "dinkes", "dindik", "dukcapil", "baznas"} <= set(
        Agency.objects.values_list("code", flat=True)
    )
    rates = dict(BenefitRate.objects.filter(year=2025).values_list("component", "amount"))
    assert rates == {
        "ibu_hamil": 3_000_000,
        "anak_usia_dini": 3_000_000,
        "anak_sd": 900_000,
        "anak_smp": 1_500_000,
        "anak_sma": 2_000_000,
        "disabilitas_berat": 2_400_000,
        "lanjut_usia": 2_400_000,
    }


@pytest.mark.django_db
def test_a_rerun_changes_nothing():
    first = load()
    before = list(Program.objects.order_by("code").values())
    second = load()
    assert first.startswith("created=24 updated=0 unchanged=0")
    assert second.startswith("created=0 updated=0 unchanged=24")
    assert list(Program.objects.order_by("code").values()) == before


@pytest.mark.django_db
def test_a_changed_program_is_put_back_and_counted_as_updated():
    load()
    Program.objects.filter(code="PKH").update(max_desil=7, name="Diubah")
    line = load()
    assert line.startswith("created=0 updated=1 unchanged=23")
    assert Program.objects.get(code="PKH").max_desil == 4


@pytest.mark.django_db
def test_benefit_rates_the_admin_edited_are_kept():
    load()
    BenefitRate.objects.filter(year=2025, component="anak_sd").update(amount=950_000)
    load()
    assert BenefitRate.objects.get(year=2025, component="anak_sd").amount == 950_000


@pytest.mark.django_db
def test_a_broken_file_is_a_clear_error_and_writes_nothing(tmp_path):
    path = tmp_path / "katalog.json"
    path.write_text(
        json.dumps(
            {
                "agencies": [{"code": "x", "name": "X", "kind": "opd"}],
                "programs": [
                    {
                        "code": "BAD",
                        "name": "Bad",
                        "kind": "bansos",
                        "cluster": "bantuan_sosial",
                        "agency": "x",
                        "funding_source": "apbn",
                        "max_desil": 11,
                    }
                ],
                "benefit_rates": {},
            }
        )
    )
    with pytest.raises(CommandError):
        load("--file", str(path))
    assert not Agency.objects.filter(code="x").exists()
    assert not Program.objects.exists()
