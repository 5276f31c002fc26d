"""The program catalogue, a program's page and rule, targets, the PKH benefit table."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.choices import EnrolmentSource, EnrolmentStatus
from programs.models import Agency, BenefitRate, Enrolment, Program, ProgramTarget
from programs.services.catalogue import load_catalogue, rule_in_words
from tests.conftest import DESA_A1, DESA_B1, KAB, KEC_A, OTHER_KAB, client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db


def agency(region=KAB, code=None, **fields) -> Agency:
    code = code or f"lembaga-{region.replace('.', '-')}-{Agency.objects.count()}"
    return Agency.objects.create(
        code=code,
        name=fields.pop("name", f"Lembaga {code}"),
        kind="opd",
        region_id=region,
        **fields,
    )


def program(run_by=None, code=None, **fields) -> Program:
    run_by = run_by or agency()
    code = code or f"P{Program.objects.count() + 1}"
    values = {
        "name": f"Program {code}",
        "kind": "bansos",
        "cluster": "bantuan_sosial",
        "funding_source": "apbd_kabupaten",
        **fields,
    }
    return Program.objects.create(code=code, agency=run_by, **values)


def enrol(prog, household, status=EnrolmentStatus.ACTIVE, **fields) -> Enrolment:
    return Enrolment.objects.create(
        program=prog, household=household, status=status, source=EnrolmentSource.SYSTEM, **fields
    )


@pytest.fixture
def catalogue():
    load_catalogue()
    return {p.code: p for p in Program.objects.all()}


# The list --------------------------------------------------------------------------------------


def test_every_role_with_the_permission_opens_the_catalogue(personas, catalogue):
    expected = {
        "district_admin": 200,
        "head_of_office": 200,
        "operator_a": 200,
        "operator_b": 200,
        "puskesos_a": 200,
        "facilitator_a": 200,
        "provider": 403,
        "outsider_admin": 200,
    }
    got = {
        name: client_for(user).get(reverse("programs:index")).status_code
        for name, user in personas.items()
    }
    assert got == expected


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("programs:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_open_enrolments_are_counted_in_the_users_area_only(
    district_admin, operator_a, operator_b, catalogue
):
    pkh = catalogue["PKH"]
    enrol(pkh, make.household(desa=DESA_A1))
    enrol(pkh, make.household(desa=DESA_A1), status=EnrolmentStatus.PROPOSED)
    enrol(pkh, make.household(desa=DESA_A1), status=EnrolmentStatus.EXITED)
    enrol(pkh, make.household(desa=DESA_B1))

    def count_for(user):
        response = client_for(user).get(reverse("programs:index"), {"q": "PKH"})
        row = next(r for r in response.context["table"].page.object_list.data if r.code == "PKH")
        return row.open_count

    assert count_for(district_admin) == 3
    assert count_for(operator_a) == 2
    assert count_for(operator_b) == 1


def test_the_list_is_one_query_for_many_programs(
    district_admin, catalogue, django_assert_max_num_queries
):
    run_by = agency()
    for n in range(30):
        prog = program(run_by, code=f"LOKAL{n}")
        enrol(prog, make.household(desa=DESA_A1))
    client = client_for(district_admin)
    client.get(reverse("programs:index"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:index"), {"page": 2})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({"kind": "pemberdayaan"}, {"KUBE", "PENA", "UEP", "PKAT"}),
        ({"cluster": "pemberdayaan_umkm"}, {"PENA", "UEP"}),
        ({"funding_source": "dana_desa"}, {"BLT-DD"}),
        ({"q": "sembako"}, {"SEMBAKO"}),
    ],
)
def test_filters(district_admin, catalogue, query, codes):
    response = client_for(district_admin).get(reverse("programs:index"), query)
    assert {p.code for p in response.context["filter"].qs} == codes


def test_filter_by_agency_and_active(district_admin, catalogue):
    dpmd = Agency.objects.get(code="dpmd")
    Program.objects.filter(code="PKAT").update(active=False)
    client = client_for(district_admin)
    by_agency = client.get(reverse("programs:index"), {"agency": dpmd.pk}).context["filter"].qs
    assert {p.code for p in by_agency} == {"BLT-DD"}
    inactive = client.get(reverse("programs:index"), {"active": "false"}).context["filter"].qs
    assert {p.code for p in inactive} == {"PKAT"}


def test_a_district_program_is_not_seen_by_another_district(outsider_admin, operator_b):
    prog = program(agency(KEC_A), code="LOKALA")
    for user in (outsider_admin, operator_b):
        response = client_for(user).get(reverse("programs:index"))
        assert "LOKALA" not in response.content.decode()
        detail = client_for(user).get(reverse("programs:program_detail", args=[prog.pk]))
        assert detail.status_code == 404


# A program's page ------------------------------------------------------------------------------


def test_rule_in_words(catalogue):
    pkh = rule_in_words(catalogue["PKH"])
    assert pkh[0] == "Desil 1 sampai 4."
    assert "Ibu hamil/nifas" in pkh[1]
    assert rule_in_words(catalogue["PIP"])[1] == "Usia 6 sampai 21 tahun."
    assert rule_in_words(catalogue["PKAT"]) == []


def test_detail_shows_rule_and_targets_with_realised(district_admin, catalogue):
    pkh = catalogue["PKH"]
    year = timezone.localdate().year
    ProgramTarget.objects.create(program=pkh, year=year, region_id=KAB, planned=10)
    ProgramTarget.objects.create(program=pkh, year=year, region_id=KEC_A, planned=4)
    enrol(pkh, make.household(desa=DESA_A1))
    enrol(pkh, make.household(desa=DESA_A1))
    enrol(pkh, make.household(desa=DESA_B1), status=EnrolmentStatus.PROPOSED)
    response = client_for(district_admin).get(reverse("programs:program_detail", args=[pkh.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Desil 1 sampai 4." in body
    rows = {row["region"].code: row for row in response.context["targets"]}
    assert rows[KAB]["planned"] == 10
    assert rows[KAB]["realised"] == 2
    assert rows[KEC_A]["planned"] == 4
    assert rows[KEC_A]["realised"] == 2
    assert rows["35.07.02"]["realised"] == 0
    assert "50%" in body
    # The national program is the catalogue's: the district plans it but does not edit it.
    assert not response.context["can_change"]
    assert response.context["can_plan"]


# Creating and editing --------------------------------------------------------------------------


def program_data(run_by, **overrides):
    return {
        "code": "BANSOS-KAB",
        "name": "Bansos kabupaten",
        "kind": "bansos",
        "cluster": "bantuan_sosial",
        "agency": run_by.pk,
        "funding_source": "apbd_kabupaten",
        "beneficiary_unit": "household",
        "description": "",
        "max_desil": "3",
        "required_components": ["lanjut_usia"],
        "min_age": "",
        "max_age": "",
        "periods_per_year": "4",
        "active": "on",
        **overrides,
    }


def test_admin_creates_a_district_program(district_admin):
    run_by = agency(KAB)
    response = client_for(district_admin).post(
        reverse("programs:program_add"), program_data(run_by)
    )
    assert response.status_code == 302
    created = Program.objects.get(code="BANSOS-KAB")
    assert created.required_components == ["lanjut_usia"]
    assert created.max_desil == 3
    assert not created.national


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"max_desil": "11"}, "max_desil", "Desil maksimal harus 1 sampai 10."),
        ({"max_desil": "0"}, "max_desil", "Desil maksimal harus 1 sampai 10."),
        (
            {"min_age": "60", "max_age": "18"},
            "max_age",
            "Usia maksimal tidak boleh lebih kecil dari usia minimal.",
        ),
        ({"required_components": ["bukan_komponen"]}, "required_components", "bukan_komponen"),
        ({"periods_per_year": "13"}, "periods_per_year", "12"),
        ({"code": "ADA SPASI"}, "code", "spasi"),
    ],
)
def test_bad_rules_are_refused_with_a_message(district_admin, overrides, field, message):
    run_by = agency(KAB)
    response = client_for(district_admin).post(
        reverse("programs:program_add"), program_data(run_by, **overrides)
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not Program.objects.filter(name="Bansos kabupaten").exists()


def test_a_program_cannot_be_given_to_an_agency_outside_the_area(district_admin, catalogue):
    other = agency(OTHER_KAB)
    national = Agency.objects.get(code="kemensos")
    for run_by in (other, national):
        response = client_for(district_admin).post(
            reverse("programs:program_add"), program_data(run_by)
        )
        assert "agency" in response.context["form"].errors
    assert not Program.objects.filter(code="BANSOS-KAB").exists()


def test_operator_may_not_create_programs(operator_a):
    assert client_for(operator_a).get(reverse("programs:program_add")).status_code == 403


def test_edit_own_program_but_not_the_national_catalogue(district_admin, catalogue):
    own = program(agency(KAB), code="LOKAL")
    client = client_for(district_admin)
    edit = reverse("programs:program_edit", args=[own.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, program_data(own.agency, code="LOKAL", name="Nama baru"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Nama baru"
    assert own.code == "LOKAL"  # the code is fixed once created
    pkh = catalogue["PKH"]
    assert client.get(reverse("programs:program_edit", args=[pkh.pk])).status_code == 403


# Targets ---------------------------------------------------------------------------------------


def test_admin_sets_targets_of_the_district_and_its_kecamatan(district_admin, catalogue):
    pkh = catalogue["PKH"]
    url = reverse("programs:program_targets", args=[pkh.pk])
    client = client_for(district_admin)
    page = client.get(url, {"tahun": 2026})
    assert page.status_code == 200
    response = client.post(
        url, {"year": 2026, "target_35_07": "100", "target_35_07_01": "40", "target_35_07_02": ""}
    )
    assert response.status_code == 302
    targets = dict(
        ProgramTarget.objects.filter(program=pkh, year=2026).values_list("region_id", "planned")
    )
    assert targets == {KAB: 100, KEC_A: 40}


def test_kecamatan_targets_above_the_district_total_are_refused(district_admin, catalogue):
    pkh = catalogue["PKH"]
    response = client_for(district_admin).post(
        reverse("programs:program_targets", args=[pkh.pk]),
        {"year": 2026, "target_35_07": "10", "target_35_07_01": "8", "target_35_07_02": "5"},
    )
    assert response.status_code == 400
    assert "melebihi target kabupaten" in response.content.decode()
    assert not ProgramTarget.objects.exists()


def test_targets_of_another_district_stay_apart(district_admin, outsider_admin, catalogue):
    pkh = catalogue["PKH"]
    ProgramTarget.objects.create(program=pkh, year=2026, region_id=OTHER_KAB, planned=77)
    response = client_for(district_admin).get(
        reverse("programs:program_detail", args=[pkh.pk]), {"tahun": 2026}
    )
    assert all(row["planned"] != 77 for row in response.context["targets"])


def test_operator_may_not_set_targets(operator_a, catalogue):
    url = reverse("programs:program_targets", args=[catalogue["PKH"].pk])
    assert client_for(operator_a).get(url).status_code == 403


# The PKH benefit table -------------------------------------------------------------------------


def test_benefit_table_is_shown_in_rupiah(operator_a, catalogue):
    response = client_for(operator_a).get(reverse("programs:benefit_rates"), {"tahun": 2025})
    body = response.content.decode()
    assert "Rp 3.000.000" in body
    assert "Rp 900.000" in body
    assert "Rp 2.400.000" in body
    assert "Ubah nilai" not in body


def test_admin_edits_and_copies_the_table(district_admin, catalogue):
    client = client_for(district_admin)
    response = client.post(
        reverse("programs:benefit_rate_copy"), {"from_year": 2025, "to_year": 2026}
    )
    assert response.status_code == 302
    assert BenefitRate.objects.filter(year=2026).count() == 7
    edit = reverse("programs:benefit_rate_edit", args=[2026])
    data = {
        row: rate
        for row, rate in BenefitRate.objects.filter(year=2026).values_list("component", "amount")
    }
    data["anak_sd"] = 1_000_000
    data["lanjut_usia"] = ""
    assert client.post(edit, data).status_code == 302
    rates = dict(BenefitRate.objects.filter(year=2026).values_list("component", "amount"))
    assert rates["anak_sd"] == 1_000_000
    assert "lanjut_usia" not in rates
    assert BenefitRate.objects.get(year=2025, component="anak_sd").amount == 900_000


def test_copying_onto_an_existing_year_writes_nothing(district_admin, catalogue):
    BenefitRate.objects.create(year=2026, component="anak_sd", amount=1)
    response = client_for(district_admin).post(
        reverse("programs:benefit_rate_copy"), {"from_year": 2025, "to_year": 2026}, follow=True
    )
    assert "sudah ada" in response.content.decode()
    assert BenefitRate.objects.filter(year=2026).count() == 1


def test_negative_rates_are_refused(district_admin, catalogue):
    response = client_for(district_admin).post(
        reverse("programs:benefit_rate_edit", args=[2025]), {"anak_sd": "-5"}
    )
    assert response.status_code == 400
    assert BenefitRate.objects.get(year=2025, component="anak_sd").amount == 900_000


def test_operator_may_not_edit_the_table(operator_a, catalogue):
    url = reverse("programs:benefit_rate_edit", args=[2025])
    assert client_for(operator_a).get(url).status_code == 403
    copy = client_for(operator_a).post(
        reverse("programs:benefit_rate_copy"), {"from_year": 2025, "to_year": 2026}
    )
    assert copy.status_code == 403
