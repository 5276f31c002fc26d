import pytest

from core.models import Region
from households.models import Household
from tests.conftest import DESA_A1, DESA_B1, client_for


@pytest.fixture
def households(db):
    return {
        "a": Household.objects.create(no_kk="3507010101010001", desa_id=DESA_A1),
        "b": Household.objects.create(no_kk="3507020101010001", desa_id=DESA_B1),
        "other": Household.objects.create(no_kk="3508010101010001", desa_id="35.08.01.2001"),
    }


def test_for_user_cuts_households_to_each_personas_area(personas, households):
    def seen(user):
        return set(Household.objects.for_user(user).values_list("no_kk", flat=True))

    assert seen(personas["district_admin"]) == {"3507010101010001", "3507020101010001"}
    assert seen(personas["operator_a"]) == {"3507010101010001"}
    assert seen(personas["operator_b"]) == {"3507020101010001"}
    assert seen(personas["outsider_admin"]) == {"3508010101010001"}


def test_inactive_or_profileless_users_see_nothing(personas, households, django_user_model):
    operator = personas["operator_a"]
    operator.is_active = False
    operator.save()
    assert not Household.objects.for_user(operator).exists()
    nobody = django_user_model.objects.create_user("tanpa_profil", password="x")
    assert not Household.objects.for_user(nobody).exists()


def test_regions_are_loaded_per_level(db):
    from django.db.models import Count

    per_level = dict(Region.objects.values_list("level").annotate(n=Count("code")))
    assert per_level == {1: 38, 2: 514, 3: 7285, 4: 83762}


def test_load_regions_twice_changes_nothing(db):
    from core.regions import load_regions

    assert load_regions() == {"inserted": 0, "updated": 0}
    Region.objects.filter(code=DESA_A1).update(name="Salah")
    assert load_regions() == {"inserted": 0, "updated": 1}
    assert Region.objects.get(code=DESA_A1).name == "Tulungrejo"


def test_home_page_is_indonesian_and_names_the_area(operator_a):
    response = client_for(operator_a).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Selamat datang" in body
    assert "Donomulyo" in body
    assert 'lang="id"' in body


def test_anonymous_is_sent_to_login(client):
    response = client.get("/data/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
