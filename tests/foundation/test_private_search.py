"""Search words (NIK, No KK, names) travel by POST and live in the session: URLs, links built
from them and the request log carry an opaque key only (config/middleware.py,
PrivateSearchMiddleware)."""

import re

import pytest
from django.test import Client

from households.choices import Relationship, Sex
from households.views import registry as registry_views
from tests.conftest import DESA_A1, client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db

NIK = "3201010101010001"


@pytest.fixture
def families():
    global NIK
    found = make.household(desa=DESA_A1, desil=1)
    head = make.member(found, "Slamet Riyadi", make.years_old(50), Sex.MALE, Relationship.HEAD)
    NIK = head.nik
    for number in range(3):
        other = make.household(desa=DESA_A1, desil=2)
        make.member(other, f"Painem {number}", make.years_old(60), Sex.FEMALE, Relationship.HEAD)
    return found


SEARCH_PAGES = [
    "/data/",
    "/data/duplikat/",
    "/data/usulan/",
]


def search(client, path, **fields):
    return client.post(path, {"_cari": "1", **fields})


def test_a_nik_search_redirects_to_a_key_and_finds_the_family(operator_a, families):
    client = client_for(operator_a)
    response = search(client, "/data/", q=NIK, desa=DESA_A1, per_page="")
    assert response.status_code == 303
    location = response["Location"]
    assert NIK not in location and "q=" not in location
    assert re.fullmatch(rf"/data/\?desa={DESA_A1}&cari=[\w-]+", location), location

    page = client.get(location)
    assert page.status_code == 200
    assert [row.record.pk for row in page.context["table"].page.object_list] == [families.pk]
    html = page.content.decode()
    # The search box shows the words to the user (page body), links carry the key only.
    assert f'value="{NIK}"' in html
    for link in re.findall(r'href="([^"]*)"', html):
        assert NIK not in link, link


def test_links_built_from_the_query_keep_the_key_and_leave_the_words_out(
    operator_a, families, monkeypatch
):
    monkeypatch.setattr(registry_views, "PAGE_SIZES", (2, 50))
    client = client_for(operator_a)
    location = search(client, "/data/", q="Painem")["Location"]
    page = client.get(location)
    assert page.status_code == 200
    assert len(page.context["table"].page.object_list) == 2
    next_links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', page.content.decode())
    assert next_links and all("Painem" not in link and "cari=" in link for link in next_links)
    second = client.get("/data/" + next_links[0].replace("&amp;", "&"))
    assert [row.record.members.first().nama for row in second.context["table"].page.object_list]


def test_a_key_from_another_session_finds_nothing_personal(operator_a, families):
    location = search(client_for(operator_a), "/data/", q=NIK)["Location"]
    other = client_for(operator_a)
    page = other.get(location)
    assert page.status_code == 200
    # Without the words it is the unfiltered list, not the family searched for by the other.
    assert len(page.context["table"].page.object_list) == 4


def test_the_search_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/data/", {"_cari": "1", "q": NIK})
    assert response.status_code in (302, 403)
    assert NIK not in response.get("Location", "")


@pytest.mark.parametrize("path", SEARCH_PAGES)
def test_search_forms_post(district_admin, path):
    html = client_for(district_admin).get(path).content.decode()
    forms = re.findall(r'<form[^>]*role="search"[^>]*>', html)
    assert forms, path
    for form in forms:
        assert 'method="post"' in form and "hx-get" not in form, form
    assert 'name="_cari"' in html


def test_htmx_follows_the_redirect_and_pushes_the_key(operator_a, families):
    client = client_for(operator_a)
    location = search(client, "/data/", q=NIK)["Location"]
    response = client.get(location, headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == location
