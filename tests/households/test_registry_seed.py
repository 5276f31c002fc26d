"""seed_demo grows a realistic demo district; running it again duplicates nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from accounts.demo import DEMO_PASSWORD
from households.choices import Relationship
from households.demo import DEMO_SOURCE
from households.models import ChangeLog, Household, KKHistory, Member
from households.nik import check_nik


# seed_demo commits and vacuums, which needs a real transaction per statement.
def test_seed_builds_consistent_families_and_is_idempotent(transactional_db):
    call_command("seed_demo", households=120, quiet=True)
    households = Household.objects.filter(data_source=DEMO_SOURCE)
    assert households.count() == 120
    members = Member.objects.filter(household__in=households)
    assert 120 * 2.5 < members.count() < 120 * 4.5
    sizes = set(members.values("household").annotate(n=Count("pk")).values_list("n", flat=True))
    assert min(sizes) >= 1 and max(sizes) <= 7
    assert all(code.startswith("35.07.") for code in households.values_list("desa", flat=True))
    assert households.values("desa__parent").distinct().count() > 10

    # Every family has exactly one head; NIK flags are what the NIK check says.
    heads = members.filter(hubungan_keluarga=Relationship.HEAD)
    assert heads.values("household").distinct().count() == heads.count() == 120
    for member in members:
        assert sorted(check_nik(member.nik, member.tanggal_lahir, member.jenis_kelamin).flags) == (
            sorted(member.nik_flags)
        ), member
    assert members.filter(nik=None).exists()
    assert KKHistory.objects.filter(household__in=households).count() == 120
    assert ChangeLog.objects.filter(household__in=households).count() >= 120
    assert members.filter(nama="Siti Aminnah").exists()

    call_command("seed_demo", households=120, quiet=True)
    assert Household.objects.filter(data_source=DEMO_SOURCE).count() == 120

    call_command("seed_demo", households=150, quiet=True)
    assert Household.objects.filter(data_source=DEMO_SOURCE).count() == 150
    assert Member.objects.exclude(nik=None).values("nik").distinct().count() == (
        Member.objects.exclude(nik=None).count()
    )
    # The sequences follow the copied ids: the next household gets a fresh registry id.
    created = Household.objects.create(no_kk="3507010101990001", desa_id="35.07.01.2001")
    assert created.pk > max(households.values_list("pk", flat=True))


def test_demo_staff_can_log_in_and_see_the_registry(transactional_db, client):
    call_command("seed_demo", households=20, quiet=True)
    operator = get_user_model().objects.get(username="operator.a")
    assert operator.check_password(DEMO_PASSWORD)
    client.force_login(operator)
    response = client.get("/data/")
    assert response.status_code == 200
    shown = response.context["table"].paginator.count
    assert 0 < shown == Household.objects.filter(desa__code__startswith="35.07.01.").count()
