"""Search terms (NIK, No KK, names) never travel in a URL: a search form posts to
``?_search=1`` and core.search answers with ``?s=<token>``; the token brings the terms back from
the user's session."""

import logging
import re

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db

SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


@pytest.fixture
def families():
    wanted = make.family(head="Slamet Riyadi", desil=2)
    for n in range(30):
        make.family(head=f"Warga {n}", desil=2)
    return wanted


def head_nik(household):
    return household.members.get(hubungan_keluarga=1).nik


def test_a_nik_search_redirects_to_a_token_and_finds_the_family(families, district_admin, caplog):
    client = client_for(district_admin)
    nik = head_nik(families)
    caplog.set_level(logging.DEBUG)
    posted = client.post("/data/?_search=1", {"q": nik, "desil": "2"})
    assert posted.status_code == 303
    url = posted["Location"]
    assert nik not in url and "desil=2" in url and re.search(r"[?&]s=[\w-]+", url)

    page = client.get(url)
    body = page.content.decode()
    assert [row.record.pk for row in page.context["table"].page.object_list] == [families.pk]
    assert f'value="{nik}"' in body  # the search box still shows what was typed
    # No link of the page (sort, page size, export, bulk actions) carries the NIK.
    for href in re.findall(r'href="([^"]*)"', body):
        assert nik not in href
    assert not [r.getMessage() for r in caplog.records if SIXTEEN_DIGITS.search(r.getMessage())]


def test_pages_and_sorting_keep_the_token(families, district_admin):
    client = client_for(district_admin)
    url = client.post("/data/?_search=1", {"q": "Warga"})["Location"]
    token = re.search(r"s=([\w-]+)", url).group(1)
    second = client.get("/data/", {"s": token, "page": 2, "sort": "head_name"})
    names = [row.record.head_name for row in second.context["table"].page.object_list]
    assert names and all(name.startswith("Warga") for name in names)
    assert len(names) == 5  # 30 matches, 25 a page


def test_htmx_search_swaps_the_results_and_pushes_the_token(families, district_admin):
    nik = head_nik(families)
    response = client_for(district_admin).post(
        "/data/?_search=1",
        {"q": nik},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="registry-results",
    )
    assert response.status_code == 200
    assert nik not in response["HX-Push-Url"] and "s=" in response["HX-Push-Url"]
    assert [row.record.pk for row in response.context["table"].page.object_list] == [families.pk]


def test_a_token_is_worth_nothing_in_another_session(families, district_admin, operator_a):
    url = client_for(district_admin).post("/data/?_search=1", {"q": head_nik(families)})["Location"]
    page = client_for(operator_a).get(url)
    assert len(page.context["table"].page.object_list) == 25  # unfiltered


def test_the_export_of_a_searched_list_exports_the_search(families, district_admin):
    client = client_for(district_admin)
    url = client.post("/data/?_search=1", {"q": head_nik(families)})["Location"]
    token = re.search(r"s=([\w-]+)", url).group(1)
    export = client.get(reverse("households:registry_export", args=["csv"]), {"s": token})
    rows = b"".join(export.streaming_content if export.streaming else [export.content])
    assert rows.decode("utf-8-sig").count("Slamet Riyadi") == 1
    assert "Warga 1" not in rows.decode("utf-8-sig")


@pytest.mark.parametrize(
    "name",
    [
        "programs:enrolment_list",
        "complaints:complaint_list",
        "referrals:referral_list",
        "referrals:intake_list",
        "graduation:graduation_list",
        "households:update_approve_queue",
    ],
)
def test_every_search_form_of_personal_data_posts_and_redirects_without_it(district_admin, name):
    client = client_for(district_admin)
    url = reverse(name)
    page = client.get(url).content.decode()
    assert 'action="?_search=1"' in page and 'method="post"' in page
    posted = client.post(f"{url}?_search=1", {"q": "3507010101800001"})
    assert posted.status_code == 303
    assert "3507010101800001" not in posted["Location"]
    assert client.get(posted["Location"]).status_code == 200
