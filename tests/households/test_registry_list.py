"""The registry list: filters, NIK/No KK and misspelled-name search, area scope, pagination and
a query count that does not grow with the page size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.choices import HouseholdStatus, NikFlag, Relationship, Sex
from households.tables import COUNT_LIMIT
from tests.conftest import DESA_A1, DESA_A2, DESA_B1, KEC_A, client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db


def listed(user, **params) -> list[str]:
    """Registry ids shown on the list page for the given query parameters."""
    response = client_for(user).get("/data/", params)
    assert response.status_code == 200
    table = response.context["table"]
    return [row.record.registry_id for row in table.page.object_list]


@pytest.fixture
def registry(db):
    """A few households in kecamatan A and one in B, each with something to filter on."""
    aminah = make.household(desa=DESA_A1, desil=1)
    make.member(aminah, "Slamet Riyadi", make.years_old(50), Sex.MALE, Relationship.HEAD)
    make.member(aminah, "Siti Aminnah", make.years_old(44), Sex.FEMALE, Relationship.SPOUSE)

    elderly = make.household(desa=DESA_A1, desil=2)
    make.member(elderly, "Painem", make.years_old(72), Sex.FEMALE, Relationship.HEAD)

    toddler = make.household(desa=DESA_A2, desil=4)
    make.member(toddler, "Agus Prasetyo", make.years_old(30), Sex.MALE, Relationship.HEAD)
    make.member(toddler, "Nabila", make.years_old(3), Sex.FEMALE, Relationship.CHILD)

    disabled = make.household(desa=DESA_A2, desil=6, status=HouseholdStatus.MOVED)
    make.member(
        disabled,
        "Joko Susanto",
        make.years_old(35),
        Sex.MALE,
        Relationship.HEAD,
        functional_difficulties={"berjalan_atau_naik_tangga": 2},
    )

    pregnant = make.household(desa=DESA_A1, desil=3)
    make.member(pregnant, "Eko Wibowo", make.years_old(28), Sex.MALE, Relationship.HEAD)
    make.member(
        pregnant,
        "Dewi Lestari",
        make.years_old(25),
        Sex.FEMALE,
        Relationship.SPOUSE,
        hamil=True,
        nik_flags=[NikFlag.BIRTHDATE_MISMATCH],
    )

    outside = make.household(desa=DESA_B1, desil=1)
    make.member(outside, "Siti Aminah", make.years_old(41), Sex.FEMALE, Relationship.HEAD)
    return {
        "aminah": aminah,
        "elderly": elderly,
        "toddler": toddler,
        "disabled": disabled,
        "pregnant": pregnant,
        "outside": outside,
    }


def ids(*households):
    return {h.registry_id for h in households}


def test_list_shows_only_the_users_area(registry, operator_a, operator_b, district_admin):
    assert set(listed(operator_a)) == ids(*(v for k, v in registry.items() if k != "outside"))
    assert set(listed(operator_b)) == ids(registry["outside"])
    assert len(listed(district_admin)) == 6


def test_list_rows_carry_head_name_member_count_and_region(registry, operator_a):
    response = client_for(operator_a).get("/data/")
    body = response.content.decode()
    row = next(
        r.record
        for r in response.context["table"].page.object_list
        if r.record == registry["aminah"]
    )
    assert row.head_name == "Slamet Riyadi"
    assert row.member_count == 2
    assert "Tulungrejo" in body and "Donomulyo" in body


def test_misspelled_name_finds_the_household_best_match_first(registry, district_admin):
    found = listed(district_admin, q="Siti Aminah")
    # Both spellings are found; the exact spelling ranks first.
    assert found[:2] == [registry["outside"].registry_id, registry["aminah"].registry_id]
    response = client_for(district_admin).get("/data/", {"q": "Siti Aminah"})
    assert "cocok:" in response.content.decode()
    assert "Siti Aminnah" in response.content.decode()


def test_name_search_ranks_what_the_other_filters_keep(registry, district_admin):
    assert listed(district_admin, q="Siti Aminah", kecamatan=KEC_A) == [
        registry["aminah"].registry_id
    ]
    assert listed(district_admin, q="Siti Aminah", desil="2") == []


def test_common_name_is_cut_at_the_best_matches(monkeypatch, registry, district_admin):
    monkeypatch.setattr("households.services.registry.NAME_MATCH_LIMIT", 1)
    response = client_for(district_admin).get("/data/", {"q": "Siti Aminah"})
    rows = [row.record.registry_id for row in response.context["table"].page.object_list]
    assert rows == [registry["outside"].registry_id]
    assert "Hanya 1 keluarga dengan nama paling mirip" in response.content.decode()


def test_name_search_stays_inside_the_area(registry, operator_a):
    assert listed(operator_a, q="Siti Aminah") == [registry["aminah"].registry_id]


def test_exact_nik_and_no_kk_search(registry, district_admin):
    wife = registry["aminah"].members.get(nama="Siti Aminnah")
    assert listed(district_admin, q=wife.nik) == [registry["aminah"].registry_id]
    # Spaces and a leading apostrophe, as pasted from a spreadsheet, are cleaned.
    spaced = "'" + " ".join([wife.nik[:6], wife.nik[6:12], wife.nik[12:]])
    assert listed(district_admin, q=spaced) == [registry["aminah"].registry_id]
    assert listed(district_admin, q=registry["toddler"].no_kk) == [registry["toddler"].registry_id]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("3507", "harus 16 angka"),
        ("3.50701E+15", "rusak oleh Excel"),
        ("Si", "minimal 3 huruf"),
    ],
)
def test_bad_search_input_explains_itself_and_lists_nothing(
    registry, district_admin, query, message
):
    response = client_for(district_admin).get("/data/", {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(response.context["table"].page.object_list) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kecamatan": KEC_A, "desa": DESA_A2}, ["toddler", "disabled"]),
        ({"desil": "1"}, ["aminah"]),
        ({"status": "moved"}, ["disabled"]),
        ({"disabilitas": "on"}, ["disabled"]),
        ({"lansia": "on"}, ["elderly"]),
        ({"balita": "on"}, ["toddler"]),
        ({"hamil": "on"}, ["pregnant"]),
        ({"nik": "any"}, ["pregnant"]),
        ({"nik": NikFlag.BIRTHDATE_MISMATCH}, ["pregnant"]),
        ({"nik": NikFlag.SEX_MISMATCH}, []),
        ({"kecamatan": KEC_A, "desil": "4", "balita": "on"}, ["toddler"]),
    ],
)
def test_each_filter(registry, operator_a, params, expected):
    assert set(listed(operator_a, **params)) == ids(*(registry[key] for key in expected))


def test_text_disability_and_dead_members_count_correctly(registry, operator_a):
    make.member(registry["elderly"], "Tukiran", make.years_old(80), disabilitas="Tuna netra")
    assert set(listed(operator_a, disabilitas="on")) == ids(
        registry["disabled"], registry["elderly"]
    )
    # A pregnancy of a member who has left the family no longer marks the household.
    registry["pregnant"].members.filter(hamil=True).update(status="moved")
    assert listed(operator_a, hamil="on") == []


def test_desa_outside_the_kecamatan_or_area_is_refused(registry, operator_a):
    response = client_for(operator_a).get("/data/", {"kecamatan": KEC_A, "desa": DESA_B1})
    assert "desa" in response.context["filter"].form.errors
    assert list(response.context["table"].page.object_list) == []


def test_region_picker_offers_only_the_users_area(registry, operator_a, district_admin):
    form = client_for(operator_a).get("/data/").context["filter"].form
    assert [code for code, _ in form.fields["kecamatan"].choices if code] == [KEC_A]
    desa_codes = [code for code, _ in form.fields["desa"].choices if code]
    assert DESA_A1 in desa_codes and all(code.startswith(KEC_A + ".") for code in desa_codes)

    admin_form = client_for(district_admin).get("/data/").context["filter"].form
    assert len([c for c, _ in admin_form.fields["kecamatan"].choices if c]) == 33
    assert [c for c, _ in admin_form.fields["desa"].choices if c] == []


def test_kecamatan_select_reloads_the_desa_select_with_htmx(registry, district_admin):
    body = client_for(district_admin).get("/data/").content.decode()
    assert 'hx-get="/wilayah/pilihan/"' in body
    assert 'hx-target="#id_desa"' in body
    options = client_for(district_admin).get("/wilayah/pilihan/", {"parent": KEC_A})
    assert DESA_A1 in options.content.decode()


def test_htmx_filter_request_returns_only_the_results(registry, operator_a):
    response = client_for(operator_a).get(
        "/data/", {"desil": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="registry-results"
    )
    body = response.content.decode()
    assert "<form" in body  # the page-size form of the results head
    assert "registry-filters" not in body
    assert registry["aminah"].registry_id in body


def test_htmx_search_shows_its_error_in_the_results(registry, operator_a):
    response = client_for(operator_a).get(
        "/data/", {"q": "12"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="registry-results"
    )
    assert "harus 16 angka" in response.content.decode()


def test_filter_state_stays_in_the_links(registry, district_admin):
    for _ in range(30):
        make.household(desa=DESA_A1, desil=1)
    body = (
        client_for(district_admin).get("/data/", {"desil": "1", "sort": "no_kk"}).content.decode()
    )
    assert "desil=1" in body and "page=2" in body and "sort=no_kk" in body


def test_sorting_by_each_column(registry, district_admin):
    response = client_for(district_admin).get("/data/", {"sort": "-member_count"})
    counts = [row.record.member_count for row in response.context["table"].page.object_list]
    assert counts == sorted(counts, reverse=True) and counts[0] == 2
    by_head = listed(district_admin, sort="head_name")
    assert by_head[0] == registry["toddler"].registry_id  # "Agus Prasetyo"
    for column in ["registry_id", "no_kk", "desa", "kecamatan", "desil", "status", "last_verified"]:
        assert len(listed(district_admin, sort=f"-{column}")) == 6


def test_page_size_is_limited_to_the_offered_sizes(registry, district_admin):
    for _ in range(60):
        make.household(desa=DESA_A1)
    assert len(listed(district_admin, per_page="50")) == 50
    assert len(listed(district_admin, per_page="100000")) == 25
    assert len(listed(district_admin, page="999")) == 16  # the last page, not an error


def test_query_count_does_not_grow_with_the_page_size(district_admin, operator_a):
    for index in range(120):
        family = make.household(desa=DESA_A1 if index % 2 else DESA_A2, desil=index % 10 + 1)
        make.member(family, f"Kepala {index}", make.years_old(40))
        make.member(family, f"Anak {index}", make.years_old(4), relationship=Relationship.CHILD)
    for user in (district_admin, operator_a):
        client = client_for(user)
        counts = {}
        for per_page in (25, 100):
            for params in ({}, {"q": "Kepala 7"}, {"balita": "on", "desil": "3"}):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get("/data/", {"per_page": per_page, **params})
                assert response.status_code == 200
                counts.setdefault(tuple(params), set()).add(len(queries))
        assert all(len(seen) == 1 for seen in counts.values()), counts


def test_count_stops_at_the_limit(monkeypatch, registry, district_admin):
    monkeypatch.setattr("households.tables.COUNT_LIMIT", 4)
    response = client_for(district_admin).get("/data/")
    assert "lebih dari 4 keluarga" in response.content.decode()
    assert response.context["table"].paginator.count == 4
    assert COUNT_LIMIT == 10_000


def test_provider_without_registry_permission_is_refused(provider):
    assert client_for(provider).get("/data/").status_code == 403


def test_dates_are_day_month_year(registry, district_admin):
    registry["aminah"].last_verified = datetime.date(2025, 3, 9)
    registry["aminah"].save()
    assert "09/03/2025" in client_for(district_admin).get("/data/").content.decode()
