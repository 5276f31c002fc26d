"""Empowerment groups: the productive rule, the list, members and progress."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from households.choices import MemberStatus
from programs.models import EmpowermentGroup, GroupMembership, GroupProgress
from programs.services.groups import productive_groups, with_productivity
from tests.conftest import DESA_A1, DESA_A2, DESA_B1, OTHER_KAB, client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def group(desa=DESA_A1, name=None, **fields) -> EmpowermentGroup:
    name = name or f"KUBE {EmpowermentGroup.objects.count() + 1}"
    return EmpowermentGroup.objects.create(
        name=name, desa_id=desa, business_type="Ternak", **fields
    )


def progress(of, days_ago, active=True, turnover=0):
    return GroupProgress.objects.create(
        group=of,
        recorded_on=TODAY - datetime.timedelta(days=days_ago),
        is_active=active,
        monthly_turnover=turnover,
    )


# The productive rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "productive"),
    [
        ([], False),
        ([(10, True, 500_000)], True),
        ([(10, True, 0)], False),
        ([(10, False, 500_000)], False),
        # the latest record decides, not the best one
        ([(100, True, 900_000), (10, False, 0)], False),
        ([(100, False, 0), (10, True, 1)], True),
        # two records on one day: the one entered last
        ([(5, True, 300_000), (5, False, 0)], False),
    ],
)
def test_productive_rule(records, productive):
    subject = group()
    for days_ago, active, turnover in records:
        progress(subject, days_ago, active, turnover)
    annotated = with_productivity(EmpowermentGroup.objects.all()).get(pk=subject.pk)
    assert annotated.is_productive is productive
    assert productive_groups(EmpowermentGroup.objects.all()).filter(pk=subject.pk).exists() is (
        productive
    )


def test_productive_groups_is_one_query(django_assert_num_queries):
    for n in range(5):
        progress(group(), 3, True, n)
    with django_assert_num_queries(1):
        assert len(list(productive_groups(EmpowermentGroup.objects.all()))) == 4


# The list --------------------------------------------------------------------------------------


def test_list_filters_and_scope(operator_a, operator_b, district_admin):
    good = group(DESA_A1, "Maju Jaya")
    progress(good, 5, True, 1_000_000)
    idle = group(DESA_A2, "Sepi", active=False)
    other = group(DESA_B1, "Kecamatan B")

    def names(user, **query):
        response = client_for(user).get(reverse("programs:group_list"), query)
        assert response.status_code == 200
        return {g.name for g in response.context["filter"].qs}

    assert names(operator_a) == {good.name, idle.name}
    assert names(operator_b) == {other.name}
    assert names(district_admin, productive="true") == {good.name}
    assert names(district_admin, productive="false") == {idle.name, other.name}
    assert names(district_admin, active="false") == {idle.name}
    assert names(district_admin, kecamatan="35.07.01", desa=DESA_A2) == {idle.name}
    # A desa outside the area is a form error, not an empty answer that hides the fact.
    assert names(operator_a, kecamatan="35.07.02", desa=DESA_B1) == set()


def test_list_query_count(district_admin, django_assert_max_num_queries):
    for _n in range(30):
        created = group()
        progress(created, 2, True, 10)
        GroupMembership.objects.create(
            group=created, member=make.member(make.household(), "Anggota")
        )
    client = client_for(district_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:group_list"))
    assert response.status_code == 200
    assert "Rp 10" in response.content.decode()


# Create and edit -------------------------------------------------------------------------------


def group_data(**overrides):
    return {
        "name": "KUBE Sejahtera",
        "kecamatan": "35.07.01",
        "desa": DESA_A1,
        "program": "",
        "business_type": "Warung",
        "capital_aid": "20000000",
        "formed_on": "",
        "active": "on",
        **overrides,
    }


def test_operator_creates_a_group_in_the_area(operator_a):
    response = client_for(operator_a).post(reverse("programs:group_add"), group_data())
    assert response.status_code == 302
    assert EmpowermentGroup.objects.get(name="KUBE Sejahtera").desa_id == DESA_A1


def test_a_desa_outside_the_area_is_refused(operator_a):
    response = client_for(operator_a).post(
        reverse("programs:group_add"), group_data(kecamatan="35.07.02", desa=DESA_B1)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not EmpowermentGroup.objects.exists()


@pytest.mark.parametrize("persona", ["operator_b", "outsider_admin"])
def test_a_group_of_kecamatan_a_is_404_outside(request, persona):
    user = request.getfixturevalue(persona)
    subject = group()
    membership = GroupMembership.objects.create(
        group=subject, member=make.member(make.household(), "Ani")
    )
    client = client_for(user)
    for name in (
        "programs:group_detail",
        "programs:group_edit",
        "programs:group_member_add",
        "programs:group_progress_add",
    ):
        assert client.get(reverse(name, args=[subject.pk])).status_code == 404
    remove = reverse("programs:group_member_remove", args=[membership.pk])
    assert client.post(remove).status_code == 404


def test_read_only_roles(head_of_office, facilitator_a, puskesos_a):
    subject = group()
    assert client_for(head_of_office).get(subject.get_absolute_url()).status_code == 200
    assert (
        client_for(head_of_office).get(reverse("programs:group_edit", args=[subject.pk]))
    ).status_code == 403
    # The facilitator records progress but does not change the group.
    progress_url = reverse("programs:group_progress_add", args=[subject.pk])
    assert client_for(facilitator_a).get(progress_url).status_code == 200
    member_url = reverse("programs:group_member_add", args=[subject.pk])
    assert client_for(facilitator_a).get(member_url).status_code == 403
    # The Puskesos officer does not see groups at all.
    assert client_for(puskesos_a).get(subject.get_absolute_url()).status_code == 404


# Members ---------------------------------------------------------------------------------------


def test_add_a_member_by_nik_and_by_pick(operator_a):
    subject = group()
    by_nik = make.member(make.household(desa=DESA_A1), "Siti")
    picked = make.member(make.household(desa=DESA_A1), "Wati")
    client = client_for(operator_a)
    url = reverse("programs:group_member_add", args=[subject.pk])
    page = client.get(url)
    assert {by_nik, picked} <= set(page.context["form"].fields["member"].queryset)
    assert client.post(url, {"nik": by_nik.nik}).status_code == 302
    assert client.post(url, {"member": picked.pk}).status_code == 302
    assert set(subject.memberships.values_list("member__nama", flat=True)) == {"Siti", "Wati"}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_desa", "bukan warga desa kelompok ini"),
        ("deceased", "tercatat meninggal"),
        ("already", "sudah menjadi anggota"),
        ("outside_area", "tidak ada di registri wilayah Anda"),
        ("bad_nik", "NIK"),
        ("nothing", "Isi NIK atau pilih warga."),
    ],
)
def test_bad_members_are_refused(operator_a, case, message):
    subject = group()
    nik = ""
    if case == "other_desa":
        nik = make.member(make.household(desa=DESA_A2), "Lain Desa").nik
    elif case == "deceased":
        nik = make.member(make.household(), "Almarhum", status=MemberStatus.DECEASED).nik
    elif case == "already":
        person = make.member(make.household(), "Sudah")
        GroupMembership.objects.create(group=subject, member=person)
        nik = person.nik
    elif case == "outside_area":
        nik = make.member(make.household(desa=DESA_B1), "Jauh").nik
    elif case == "bad_nik":
        nik = "12345"
    before = GroupMembership.objects.count()
    response = client_for(operator_a).post(
        reverse("programs:group_member_add", args=[subject.pk]), {"nik": nik}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert GroupMembership.objects.count() == before


def test_a_member_leaves_and_stays_in_the_history(operator_a):
    subject = group()
    membership = GroupMembership.objects.create(
        group=subject,
        member=make.member(make.household(), "Ani"),
        joined_on=TODAY - datetime.timedelta(days=30),
    )
    client = client_for(operator_a)
    url = reverse("programs:group_member_remove", args=[membership.pk])
    assert client.post(url, {"left_on": TODAY.isoformat()}).status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == TODAY
    page = client.get(subject.get_absolute_url())
    assert page.context["former"] == [membership]
    # Leaving twice is a message, not a second change.
    response = client.post(url, {"left_on": TODAY.isoformat()}, follow=True)
    assert "sudah keluar" in response.content.decode()


# Progress --------------------------------------------------------------------------------------


def test_record_progress_makes_the_group_productive(facilitator_a):
    subject = group()
    url = reverse("programs:group_progress_add", args=[subject.pk])
    response = client_for(facilitator_a).post(
        url,
        {
            "recorded_on": TODAY.isoformat(),
            "is_active": "on",
            "monthly_turnover": "1500000",
            "members_income": "400000",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert productive_groups(EmpowermentGroup.objects.all()).get() == subject
    assert GroupProgress.objects.get().recorded_by == facilitator_a


def test_progress_in_the_future_is_refused(operator_a):
    subject = group()
    response = client_for(operator_a).post(
        reverse("programs:group_progress_add", args=[subject.pk]),
        {
            "recorded_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "is_active": "on",
            "monthly_turnover": "1",
            "members_income": "0",
        },
    )
    assert response.status_code == 400
    assert "masa depan" in response.content.decode()
    assert not GroupProgress.objects.exists()


def test_other_kabupaten_group_is_not_listed(district_admin):
    group(desa=f"{OTHER_KAB}.01.2001", name="Jauh sekali")
    response = client_for(district_admin).get(reverse("programs:group_list"))
    assert "Jauh sekali" not in response.content.decode()
