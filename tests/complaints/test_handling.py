"""Handling: the status machine and who may move it, assignment inside the area, notes and
replies, bulk close, and the staff pages that drive them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints.choices import ComplaintStatus as S
from complaints.models import Complaint
from complaints.services import handling
from tests.complaints import factories
from tests.conftest import DESA_A1, DESA_B1, client_for


def fresh(complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


def test_the_whole_way_received_to_closed(db, complaints_a):
    complaint, _code = factories.submit()
    assert handling.triage(complaint, complaints_a, category=complaint.category, priority="high")
    assert fresh(complaint).status == S.TRIAGED
    assert handling.change_status(fresh(complaint), "start", complaints_a)
    assert handling.resolve(
        fresh(complaint), complaints_a, decision="upheld", public_reply="Bantuan disalurkan ulang."
    )
    done = fresh(complaint)
    assert (done.status, done.decision) == (S.RESOLVED, "upheld") and done.resolved_at
    assert handling.change_status(done, "close", complaints_a)
    assert fresh(complaint).status == S.CLOSED
    kinds = list(fresh(complaint).events.values_list("kind", flat=True))
    assert kinds == ["submitted", "triaged", "status", "resolved", "closed"]


def test_steps_only_from_their_statuses(db, complaints_a):
    complaint, _code = factories.submit()
    with pytest.raises(PermissionDenied):
        handling.change_status(complaint, "start", complaints_a)  # not triaged yet
    with pytest.raises(PermissionDenied):
        handling.resolve(complaint, complaints_a, decision="upheld", public_reply="x")
    with pytest.raises(PermissionDenied):
        handling.change_status(complaint, "close", complaints_a)
    assert fresh(complaint).status == S.RECEIVED


def test_a_race_is_won_once(db, complaints_a, operator_a):
    complaint, _code = factories.submit()
    stale = fresh(complaint)
    assert handling.triage(complaint, complaints_a, category=complaint.category, priority="normal")
    # The second officer's page still showed "received".
    with pytest.raises(PermissionDenied):
        handling.triage(stale, operator_a, category=stale.category, priority="normal")
    assert fresh(complaint).events.filter(kind="triaged").count() == 1


def test_reject_needs_a_reason_that_the_complainant_sees(db, complaints_a, client):
    complaint, code = factories.submit()
    with pytest.raises(ValidationError):
        handling.change_status(complaint, "reject", complaints_a, "  ")
    assert handling.change_status(complaint, "reject", complaints_a, "Bukan wewenang dinas sosial.")
    assert fresh(complaint).status == S.REJECTED
    page = client.post(
        reverse("complaints:public_status"), {"ticket": complaint.ticket, "code": code}
    ).content.decode()
    assert "Bukan wewenang dinas sosial." in page and "Ditolak" in page


def test_reopen_clears_the_decision(db, complaints_a):
    complaint, _code = factories.submit()
    handling.triage(complaint, complaints_a, category=complaint.category, priority="normal")
    handling.resolve(complaint, complaints_a, decision="not_upheld", public_reply="Tidak terbukti.")
    assert handling.change_status(fresh(complaint), "reopen", complaints_a, "Bukti baru")
    reopened = fresh(complaint)
    assert (reopened.status, reopened.decision, reopened.resolved_at) == (S.IN_PROGRESS, "", None)


@pytest.mark.parametrize("persona", ["head_of_office", "puskesos_a", "provider"])
def test_who_may_not_move_it(request, db, persona):
    user = request.getfixturevalue(persona)
    complaint, _code = factories.submit()
    with pytest.raises(PermissionDenied):
        handling.triage(complaint, user, category=complaint.category, priority="normal")
    with pytest.raises(PermissionDenied):
        handling.change_status(complaint, "reject", user, "x")


def test_another_kecamatan_cannot_act_even_through_the_service(db, operator_b):
    complaint, _code = factories.submit(desa=DESA_A1)
    with pytest.raises(PermissionDenied):
        handling.triage(complaint, operator_b, category=complaint.category, priority="normal")
    with pytest.raises(PermissionDenied):
        handling.add_note(complaint, operator_b, "x", public=True)
    assert handling.close_many(operator_b, [complaint.pk]) == 0


def test_assign_only_to_officers_of_the_area(db, complaints_a, operator_a, operator_b):
    from core.models import Notification

    complaint, _code = factories.submit()
    handling.assign(complaint, complaints_a, operator_a)
    assert fresh(complaint).assignee == operator_a
    assert Notification.objects.filter(user=operator_a).count() == 1
    with pytest.raises(ValidationError):
        handling.assign(complaint, complaints_a, operator_b)


def test_close_many_closes_resolved_ones_only(db, complaints_a):
    resolved = []
    for _ in range(3):
        complaint, _code = factories.submit()
        handling.triage(complaint, complaints_a, category=complaint.category, priority="normal")
        handling.resolve(complaint, complaints_a, decision="upheld", public_reply="Selesai.")
        resolved.append(complaint.pk)
    still_open, _code = factories.submit()
    elsewhere, _code = factories.submit(desa=DESA_B1)
    Complaint.objects.filter(pk=elsewhere.pk).update(status=S.RESOLVED)
    closed = handling.close_many(complaints_a, [*resolved, still_open.pk, elsewhere.pk])
    assert closed == 3
    assert set(Complaint.objects.filter(status=S.CLOSED).values_list("pk", flat=True)) == set(
        resolved
    )


def test_staff_pages_drive_the_steps(db, complaints_a, head_of_office):
    complaint, _code = factories.submit(nik="")
    client = client_for(complaints_a)
    detail = complaint.get_absolute_url()
    page = client.get(detail).content.decode()
    assert "Simpan telaah" in page and "Bantuan PKH tahap 2" in page
    response = client.post(
        reverse("complaints:complaint_triage", args=[complaint.pk]),
        {"category": complaint.category_id, "priority": "urgent", "number": "", "program": ""},
    )
    assert response.status_code == 302 and fresh(complaint).priority == "urgent"
    client.post(reverse("complaints:complaint_status", args=[complaint.pk]), {"action": "start"})
    client.post(
        reverse("complaints:complaint_note", args=[complaint.pk]),
        {"text": "Cek ke kantor pos", "public": ""},
    )
    response = client.post(
        reverse("complaints:complaint_resolve", args=[complaint.pk]),
        {"decision": "partly_upheld", "public_reply": "Sebagian sudah dibayar.", "note": ""},
    )
    assert fresh(complaint).status == S.RESOLVED
    response = client.post(reverse("complaints:close_many"), {"select": [str(complaint.pk)]})
    assert response.status_code == 302 and fresh(complaint).status == S.CLOSED
    # Pimpinan reads, but every step answers 403.
    boss = client_for(head_of_office)
    assert boss.get(detail).status_code == 200
    assert "Simpan telaah" not in boss.get(detail).content.decode()
    for name in ("complaint_triage", "complaint_note", "complaint_resolve", "complaint_assign"):
        assert boss.post(reverse(f"complaints:{name}", args=[complaint.pk])).status_code == 403
    assert (
        boss.post(reverse("complaints:close_many"), {"select": [complaint.pk]}).status_code == 403
    )


def test_triage_links_the_household_found_by_number(db, complaints_a):
    from tests.households import registry_factory as make

    household = make.family(desa=DESA_A1, head="Paijo")
    head = household.members.get(hubungan_keluarga=1)
    complaint, _code = factories.submit(nik="")
    client = client_for(complaints_a)
    url = reverse("complaints:complaint_triage", args=[complaint.pk])
    client.post(url, {"category": complaint.category_id, "priority": "normal", "number": "1" * 16})
    assert fresh(complaint).status == S.RECEIVED  # no such family: nothing changed
    client.post(url, {"category": complaint.category_id, "priority": "normal", "number": head.nik})
    assert fresh(complaint).household == household
    panel = client.get(household.get_absolute_url()).content.decode()
    assert complaint.ticket in panel


def test_intake_at_the_desk(db, complaints_a):
    client = client_for(complaints_a)
    url = reverse("complaints:complaint_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "channel": "whatsapp",
            "category": factories.category("pungutan-liar").pk,
            "priority": "high",
            "desa": DESA_A1,
            "description": "Ada potongan Rp 50.000 oleh oknum saat pencairan.",
            "anonymous": "on",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.created_by, complaint.service_days) == (
        "whatsapp",
        complaints_a,
        3,
    )
    assert complaint.ticket in response.content.decode()
    # Outside the officer's kecamatan: refused.
    response = client.post(
        url,
        {
            "channel": "phone",
            "category": factories.category().pk,
            "priority": "normal",
            "desa": DESA_B1,
            "description": "Pengaduan dari kecamatan lain.",
            "anonymous": "on",
        },
    )
    assert Complaint.objects.count() == 1


def test_list_is_cut_to_the_area_and_filters(db, complaints_a, operator_b, district_admin):
    mine, _code = factories.submit(desa=DESA_A1)
    theirs, _code = factories.submit(desa=DESA_B1)
    url = reverse("complaints:complaint_list")
    page = client_for(complaints_a).get(url).content.decode()
    assert mine.ticket in page and theirs.ticket not in page
    page = client_for(operator_b).get(url).content.decode()
    assert theirs.ticket in page and mine.ticket not in page
    admin = client_for(district_admin)
    both = admin.get(url).content.decode()
    assert mine.ticket in both and theirs.ticket in both
    only = admin.get(url, {"q": mine.ticket}).content.decode()
    assert mine.ticket in only and theirs.ticket not in only
    overdue = admin.get(url, {"sla": "overdue"}).content.decode()
    assert mine.ticket not in overdue
    assert client_for(operator_b).get(mine.get_absolute_url()).status_code == 404


def test_patterns_and_export(db, complaints_a, district_admin):
    import io

    from openpyxl import load_workbook

    complaint, _code = factories.submit(complainant_name="=HYPERLINK(1)")
    handling.triage(complaint, complaints_a, category=complaint.category, priority="normal")
    handling.resolve(complaint, complaints_a, decision="upheld", public_reply="Selesai.")
    factories.submit(code="pungutan-liar")
    client = client_for(district_admin)
    page = client.get(reverse("complaints:patterns")).content.decode()
    assert "Bantuan belum diterima" in page and "Pemotongan/pungutan liar" in page
    assert "100.0%" in page or "100,0%" in page
    response = client.get(reverse("complaints:pattern_export", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert "Per kategori" in book.sheetnames
    rows = list(book["Per kategori"].values)
    assert rows[0][0] == "Kelompok" and {row[0] for row in rows[1:]} >= {"Bantuan belum diterima"}
    csv = client.get(reverse("complaints:pattern_export", args=["csv"])).content.decode("utf-8")
    assert "Per desa" in csv
    assert client.get(reverse("complaints:pattern_export", args=["pdf"])).status_code == 404


def test_category_admin(db, district_admin, complaints_a):
    category = factories.category()
    url = reverse("complaints:category_edit", args=[category.code])
    assert client_for(complaints_a).get(url).status_code == 403
    response = client_for(district_admin).post(
        url,
        {
            "name": category.name,
            "description": "",
            "service_days": 7,
            "handling_unit": "linjamsos",
            "active": "on",
            "order": 1,
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.service_days == 7
    complaint, _code = factories.submit()
    assert complaint.service_days == 7


def test_pattern_figures_are_kept_per_area_for_the_cache_time(db, settings, complaints_a):
    """Kept per user area and filter; 0 seconds (the tests' default) means always live."""
    settings.COMPLAINTS_PATTERNS_CACHE_SECONDS = 60
    import uuid

    word = f"uji{uuid.uuid4().hex}"  # a filter no earlier run has cached
    client = client_for(complaints_a)
    url = reverse("complaints:patterns")
    query = {"q": word}
    factories.submit(description=f"{word} pertama, bantuan belum diterima")
    first = client.get(url, query).context["overall"].total
    factories.submit(description=f"{word} kedua, bantuan belum diterima")
    assert client.get(url, query).context["overall"].total == first == 1
    settings.COMPLAINTS_PATTERNS_CACHE_SECONDS = 0
    assert client.get(url, query).context["overall"].total == 2
