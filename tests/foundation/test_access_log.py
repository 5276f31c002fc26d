"""The access log (core/access.py): a household page read, a search by NIK/No KK and an export
of personal data each write one line with who, what, where and from which address; the lines
are scoped by area and pruned after ACCESS_LOG_DAYS by a beat job."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core import tasks
from core.models import AccessKind, AccessLog
from households.choices import Relationship, Sex
from tests.conftest import DESA_A1, client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    family = make.household(desa=DESA_A1, desil=1)
    make.member(family, "Slamet Riyadi", make.years_old(50), Sex.MALE, Relationship.HEAD)
    return family


def lines(kind):
    return list(AccessLog.objects.filter(kind=kind).order_by("pk"))


def test_a_household_page_read_is_logged_with_who_where_and_address(operator_a, family):
    response = client_for(operator_a).get(
        reverse("households:household_detail", args=[family.pk]), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    [line] = lines(AccessKind.HOUSEHOLD_VIEW)
    assert (line.user, line.object_ref, line.area_code) == (operator_a, family.registry_id, DESA_A1)
    assert line.ip_address == "10.1.2.3"


def test_an_out_of_area_household_is_a_404_and_not_logged(operator_b, family):
    response = client_for(operator_b).get(reverse("households:household_detail", args=[family.pk]))
    assert response.status_code == 404
    assert not lines(AccessKind.HOUSEHOLD_VIEW)


def test_a_search_by_nik_is_logged_masked_a_search_by_name_is_not(operator_a, family):
    nik = family.members.get().nik
    client = client_for(operator_a)
    client.post("/data/?_search=1", {"q": nik})
    client.post("/data/?_search=1", {"q": "Slamet"})
    [line] = lines(AccessKind.IDENTITY_SEARCH)
    assert line.user == operator_a and line.object_ref == f"/data/ ************{nik[-4:]}"
    assert nik not in line.object_ref


def test_an_export_is_logged(district_admin, family):
    response = client_for(district_admin).get(reverse("households:registry_export", args=["csv"]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [line] = lines(AccessKind.EXPORT)
    assert line.user == district_admin and line.object_ref.endswith("csv · 1")


def test_lines_are_scoped_by_area(operator_a, operator_b, district_admin, family):
    client_for(operator_a).get(reverse("households:household_detail", args=[family.pk]))
    assert AccessLog.objects.for_user(operator_a).count() == 1
    assert AccessLog.objects.for_user(district_admin).count() == 1
    assert AccessLog.objects.for_user(operator_b).count() == 0


def test_the_beat_job_prunes_lines_older_than_the_keeping_period(operator_a, settings):
    settings.ACCESS_LOG_DAYS = 730
    now = timezone.now()
    old = AccessLog.objects.create(
        user=operator_a, kind=AccessKind.EXPORT, created_at=now - datetime.timedelta(days=731)
    )
    kept = AccessLog.objects.create(
        user=operator_a, kind=AccessKind.EXPORT, created_at=now - datetime.timedelta(days=729)
    )
    assert tasks.prune_access_log() == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    settings.ACCESS_LOG_DAYS = 1
    assert tasks.prune_access_log() == 1


def test_the_prune_job_is_on_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.prune_access_log" in tasks_scheduled


def test_the_admin_page_filters_and_exports_inside_the_area(
    district_admin, operator_a, outsider_admin, family
):
    client_for(operator_a).get(reverse("households:household_detail", args=[family.pk]))
    AccessLog.objects.create(
        user=district_admin, kind=AccessKind.EXPORT, object_ref="=HYPERLINK(1)", area_code=DESA_A1
    )
    admin = client_for(district_admin)
    url = reverse("core:access_log")
    page = admin.get(url)
    assert page.status_code == 200 and len(page.context["page_obj"]) == 2
    filtered = admin.get(url, {"pengguna": operator_a.username, "jenis": "household_view"})
    assert [line.user for line in filtered.context["page_obj"]] == [operator_a]
    assert admin.get(url, {"dari": "31/02/2026"}).status_code == 200  # bad date: a message
    csv = admin.get(url, {"export": "csv"})
    text = b"".join(csv.streaming_content).decode()
    assert family.registry_id in text and "'=HYPERLINK(1)" in text
    # Another district's admin sees none of it; an operator may not open the page.
    assert len(client_for(outsider_admin).get(url).context["page_obj"]) == 0
    assert client_for(operator_a).get(url).status_code == 403
