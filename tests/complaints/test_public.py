"""The public pages: file a complaint without an account, get a ticket and a tracking code,
check the status with both — and nothing else. Bad input gets clear messages."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.choices import Channel, ComplaintStatus
from complaints.models import Complaint
from complaints.services import handling
from tests.complaints import factories
from tests.conftest import DESA_A1

SUBMIT = reverse("complaints:public_submit")
STATUS = reverse("complaints:public_status")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def form_data(**overrides):
    data = {
        "category": factories.category().pk,
        "desa": DESA_A1,
        "description": "Bantuan sembako bulan Mei belum saya terima.",
        "nik": "",
        "no_kk": "",
        "complainant_name": "Sumarni",
        "complainant_contact": "081234567890",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, **overrides):
    return client.post(SUBMIT, form_data(**overrides))


def test_the_form_works_without_login_and_is_light(client, db):
    response = client.get(SUBMIT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    assert 'name="website"' in html and 'class="hp"' in html
    # The desa of the district, grouped by kecamatan, in one select.
    assert "<optgroup" in html and DESA_A1 in html
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/terpadu.css").stat().st_size
    assert len(response.content) + css < 100_000, (len(response.content), css)


def test_submit_gives_ticket_and_code_once(client, db):
    response = submit(client, nik="3507014101800001")
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WEB
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.due_date > complaint.received_at.date()
    assert complaint.events.get().public
    page = client.get(response["Location"]).content.decode()
    assert complaint.ticket in page
    assert re.match(r"^ADU-\d{4}-\d{6}$", complaint.ticket)
    code = re.search(r'id="tracking-code">([A-Z0-9]+)<', page).group(1)
    assert complaint.tracking_code_matches(code)
    assert code not in complaint.tracking_hash
    # Shown once: the page does not show the code again.
    assert client.get(response["Location"]).status_code == 302


def test_status_with_the_right_code_shows_public_steps_only(client, db, complaints_a):
    complaint, code = factories.submit(nik="3507014101800001")
    handling.triage(complaint, complaints_a, category=complaint.category, priority="normal")
    handling.add_note(complaint, complaints_a, "RAHASIA catatan internal petugas", public=False)
    handling.add_note(
        complaint, complaints_a, "Kami sedang memeriksa data penyaluran.", public=True
    )

    page = client.post(STATUS, {"ticket": complaint.ticket, "code": code}).content.decode()
    assert "Ditelaah" in page
    assert "Kami sedang memeriksa data penyaluran." in page
    for secret in ("RAHASIA", "Sumarni", "081234567890", "3507014101800001", "PKH tahap 2"):
        assert secret not in page, secret
    assert complaints_a.username not in page and complaints_a.first_name not in page


@pytest.mark.parametrize("case", ["wrong_code", "other_ticket", "malformed", "next_ticket"])
def test_wrong_code_or_ticket_shows_the_same_not_found(client, db, case):
    complaint, code = factories.submit()
    other, other_code = factories.submit()
    ticket, given = {
        "wrong_code": (complaint.ticket, "AAAAAAAAAA"),
        "other_ticket": (complaint.ticket, other_code),
        "malformed": ("ADU-xx", code),
        "next_ticket": (f"ADU-{complaint.received_at.year}-{other.pk + 1:06d}", code),
    }[case]
    response = client.post(STATUS, {"ticket": ticket, "code": given})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pengaduan tidak ditemukan" in page
    assert "status-result" not in page


def test_status_form_posts_so_codes_stay_out_of_urls(client, db):
    complaint, code = factories.submit()
    page = client.get(STATUS, {"ticket": complaint.ticket, "code": code}).content.decode()
    assert 'method="post"' in page and "status-result" not in page


def test_honeypot_stores_nothing(client, db):
    response = submit(client, website="http://spam.example")
    assert response.status_code == 302
    assert not Complaint.objects.exists()
    assert "ADU-" not in client.get(response["Location"]).content.decode()


def test_rate_limit_per_address_answers_429_with_a_clear_page(client, db, settings):
    settings.COMPLAINTS_SUBMIT_RATE = "2/m"
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    response = submit(client)
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert Complaint.objects.count() == 2
    # Another address still gets through.
    assert client.post(SUBMIT, form_data(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_status_checks_are_limited_too(client, db, settings):
    settings.COMPLAINTS_STATUS_RATE = "3/m"
    complaint, _code = factories.submit()
    for _ in range(3):
        assert client.post(STATUS, {"ticket": complaint.ticket, "code": "X"}).status_code == 200
    assert client.post(STATUS, {"ticket": complaint.ticket, "code": "X"}).status_code == 429


def test_empty_fields_get_clear_messages(client, db):
    response = client.post(SUBMIT, {"website": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="field-error"') >= 4
    assert "Periksa isian yang ditandai." in page
    assert not Complaint.objects.exists()


def test_bad_numbers_and_desa_outside_the_district(client, db):
    page = submit(client, nik="12345", desa="35.08.01.2001").content.decode()
    assert "NIK harus 16 angka." in page
    assert re.search(r'field-error" role="alert">[^<]*35\.08\.01\.2001', page)
    assert not Complaint.objects.exists()


def test_anonymous_needs_no_contact_and_keeps_none(client, db):
    response = submit(client, complainant_contact="", anonymous="on")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.complainant_name == ""


def test_contact_or_anonymous_required(client, db):
    page = submit(client, complainant_contact="").content.decode()
    assert "pilih kirim tanpa nama" in page
    assert not Complaint.objects.exists()


def test_attachment_must_be_an_image_or_pdf(client, db, media):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    page = client.post(SUBMIT, {**form_data(), "attachment": fake}).content.decode()
    assert "foto (JPG/PNG) atau PDF" in page
    assert not Complaint.objects.exists()


def test_oversized_attachment_is_refused(client, db, media, settings):
    settings.COMPLAINTS_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("besar.png", PNG + b"\x00" * (1024 * 1024 + 1))
    page = client.post(SUBMIT, {**form_data(), "attachment": big}).content.decode()
    assert "Lampiran terlalu besar" in page and "maksimal 1 MB" in page
    assert not Complaint.objects.exists()


def test_good_attachment_is_stored_and_served_to_staff_only(client, db, media, complaints_a):
    photo = SimpleUploadedFile("bukti kwitansi.png", PNG, content_type="image/png")
    assert client.post(SUBMIT, {**form_data(), "attachment": photo}).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.attachment.name.endswith(".png")
    url = reverse("complaints:complaint_attachment", args=[complaint.pk])
    assert client.get(url).status_code == 302  # to the login page
    from tests.conftest import client_for

    response = client_for(complaints_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(PNG)


def test_script_in_the_description_is_escaped(client, db, complaints_a):
    from tests.conftest import client_for

    script = "<script>alert('x')</script> bantuan tidak sampai"
    assert submit(client, description=script, complainant_name="<b>Budi</b>").status_code == 302
    complaint = Complaint.objects.get()
    page = client_for(complaints_a).get(complaint.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>Budi</b>" not in page
    listing = client_for(complaints_a).get(reverse("complaints:complaint_list")).content.decode()
    assert "<script>alert" not in listing


def test_appeal_once_with_the_code(client, db, complaints_a, district_admin):
    complaint, code = factories.submit()
    handling.triage(complaint, complaints_a, category=complaint.category, priority="normal")
    handling.resolve(
        complaint, complaints_a, decision="not_upheld", public_reply="Bantuan sudah disalurkan."
    )
    # Not closed yet: no appeal.
    page = client.post(STATUS, {"ticket": complaint.ticket, "code": code}).content.decode()
    assert "Ajukan banding" not in page
    handling.change_status(complaint, "close", complaints_a)
    page = client.post(STATUS, {"ticket": complaint.ticket, "code": code}).content.decode()
    assert "Ajukan banding" in page and "Bantuan sudah disalurkan." in page
    appeal_url = reverse("complaints:public_appeal")
    wrong = client.post(appeal_url, {"ticket": complaint.ticket, "code": "ZZZZ", "reason": "x"})
    assert "tidak cocok" in wrong.content.decode()
    response = client.post(
        appeal_url, {"ticket": complaint.ticket, "code": code, "reason": "Saya belum menerima."}
    )
    assert response.status_code == 302
    appeal = Complaint.objects.get(appeal_of=complaint)
    assert appeal.priority == "high" and appeal.escalation_level == 2
    received = client.get(response["Location"]).content.decode()
    assert appeal.ticket in received
    again = client.post(
        appeal_url, {"ticket": complaint.ticket, "code": code, "reason": "Lagi."}
    ).content.decode()
    assert "tidak bisa diajukan banding" in again
    assert Complaint.objects.filter(appeal_of=complaint).count() == 1
    # The appeal is for a senior officer.
    handling.triage(appeal, district_admin, category=appeal.category, priority="high")
    assert not handling.may_resolve(complaints_a, Complaint.objects.get(pk=appeal.pk))
    assert handling.may_resolve(district_admin, Complaint.objects.get(pk=appeal.pk))
