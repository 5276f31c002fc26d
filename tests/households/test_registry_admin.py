"""The admin shows the registry read-only: changes go through the services and their history."""

import pytest
from django.contrib.auth import get_user_model

from households.models import Household
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x-unused-1")
    client.force_login(user)
    return client


def test_admin_lists_and_shows_households_without_editing(superuser_client):
    family = make.family()
    assert superuser_client.get("/admin/households/household/").status_code == 200
    page = superuser_client.get(f"/admin/households/household/{family.pk}/change/")
    assert page.status_code == 200
    assert "Budi Santoso" in page.content.decode()
    response = superuser_client.post(
        f"/admin/households/household/{family.pk}/change/", {"desil": "9"}
    )
    assert response.status_code == 403
    family.refresh_from_db()
    assert family.desil == 3
    assert superuser_client.get("/admin/households/household/add/").status_code == 403
    assert Household.objects.count() == 1
