"""The export log page: the district admin reads the exports of their area, nobody else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import ExportLog
from tests.conftest import KAB, KEC_A, KEC_B, OTHER_KAB, client_for

LOG_URL = reverse("households:export_log")


def log(user, area, *, days_ago=0, filters="desil=1", rows=12, file_format="xlsx"):
    return ExportLog.objects.create(
        user=user,
        area_code=area,
        what="registri",
        file_format=file_format,
        filters=filters,
        row_count=rows,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def logs(district_admin, operator_a, operator_b, outsider_admin):
    return {
        "admin": log(district_admin, KAB, rows=12345, filters=""),
        "a": log(
            operator_a, KEC_A, days_ago=10, filters="kecamatan=35.07.01&desil=1&status=active"
        ),
        "b": log(operator_b, KEC_B, days_ago=3, file_format="csv"),
        "outsider": log(outsider_admin, OTHER_KAB, filters="desil=7"),
    }


def shown_users(response) -> set[str]:
    return {row.record.user.username for row in response.context["table"].page.object_list}


def test_district_admin_sees_the_exports_of_the_district(logs, district_admin):
    response = client_for(district_admin).get(LOG_URL)

    assert response.status_code == 200
    assert shown_users(response) == {"district_admin", "operator_a", "operator_b"}
    html = response.content.decode()
    assert "Log ekspor data" in html
    assert "12.345" in html, "row counts are grouped the Indonesian way"
    assert "Registri keluarga (per anggota)" in html
    assert "Desil 1" in html and "Aktif" in html, "the filter is shown in words"
    assert "Donomulyo" in html, "the area is named, not only coded"
    assert "outsider_admin" not in html


def test_outsider_admin_sees_none_of_ours(logs, outsider_admin):
    response = client_for(outsider_admin).get(LOG_URL)
    assert shown_users(response) == {"outsider_admin"}
    html = response.content.decode()
    assert "operator_a" not in html and "district_admin" not in html


def test_outsider_cannot_filter_on_our_users(logs, outsider_admin, operator_a):
    response = client_for(outsider_admin).get(LOG_URL, {"user": operator_a.pk})
    assert response.status_code == 200
    assert shown_users(response) == set()
    assert response.context["filter"].form.errors["user"]


def test_filter_by_user(logs, district_admin, operator_b):
    response = client_for(district_admin).get(LOG_URL, {"user": operator_b.pk})
    assert shown_users(response) == {"operator_b"}


def test_filter_by_date(logs, district_admin):
    today = timezone.localdate()
    client = client_for(district_admin)

    recent = client.get(LOG_URL, {"date_from": (today - datetime.timedelta(days=5)).isoformat()})
    assert shown_users(recent) == {"district_admin", "operator_b"}

    older = client.get(
        LOG_URL,
        {
            "date_from": (today - datetime.timedelta(days=11)).strftime("%d/%m/%Y"),
            "date_to": (today - datetime.timedelta(days=4)).strftime("%d/%m/%Y"),
        },
    )
    assert shown_users(older) == {"operator_a"}


def test_dates_in_the_wrong_order_are_explained(logs, district_admin):
    response = client_for(district_admin).get(
        LOG_URL, {"date_from": "2026-03-01", "date_to": "2026-02-01"}
    )
    assert response.status_code == 200
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()


def test_log_page_is_paginated_with_bounded_queries(
    district_admin, operator_a, django_assert_max_num_queries
):
    for _ in range(60):
        log(operator_a, KEC_A)
    client = client_for(district_admin)
    client.get(LOG_URL)
    with django_assert_max_num_queries(12):
        response = client.get(LOG_URL)
    assert len(response.context["table"].page.object_list) == 50
    second = client.get(LOG_URL, {"page": 2})
    assert len(second.context["table"].page.object_list) == 10


@pytest.mark.parametrize("persona", ["operator_a", "head_of_office", "puskesos_a"])
def test_staff_without_permission_get_403(logs, personas, persona):
    assert client_for(personas[persona]).get(LOG_URL).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(LOG_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
