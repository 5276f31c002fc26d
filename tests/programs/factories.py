"""Programs and agencies for the programs tests."""

import itertools

from programs.models import Agency, BenefitRate, Program

_serial = itertools.count(1)

RATES_2025 = {
    "ibu_hamil": 3_000_000,
    "anak_usia_dini": 3_000_000,
    "anak_sd": 900_000,
    "anak_smp": 1_500_000,
    "anak_sma": 2_000_000,
    "disabilitas_berat": 2_400_000,
    "lanjut_usia": 2_400_000,
}


def agency(region=None, **fields) -> Agency:
    serial = next(_serial)
    fields.setdefault("code", f"opd-{serial}")
    fields.setdefault("name", f"Dinas Uji {serial}")
    fields.setdefault("kind", "opd")
    return Agency.objects.create(region_id=region, **fields)


def program(code=None, **fields) -> Program:
    serial = next(_serial)
    fields.setdefault("name", f"Program Uji {serial}")
    fields.setdefault("kind", "bansos")
    fields.setdefault("cluster", "bantuan_sosial")
    fields.setdefault("funding_source", "apbn")
    if "agency" not in fields:
        fields["agency"] = agency()
    return Program.objects.create(code=code or f"P{serial}", **fields)


def pkh(**fields) -> Program:
    fields.setdefault("max_desil", 4)
    fields.setdefault("required_components", list(RATES_2025))
    fields.setdefault("periods_per_year", 4)
    return program("PKH", name="Program Keluarga Harapan", **fields)


def benefit_rates(year=2025):
    for component, amount in RATES_2025.items():
        BenefitRate.objects.update_or_create(
            year=year, component=component, defaults={"amount": amount}
        )
