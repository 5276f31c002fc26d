"""In-app notifications and the district's working-day calendar page."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Holiday, Notification
from core.notifications import notify
from tests.conftest import KAB, client_for


def test_notify_tells_each_user_once_per_key(operator_a, operator_b):
    assert notify([operator_a, operator_b, operator_a], "Rujukan terlambat", "/rujukan/", "k1") == 2
    assert notify([operator_a, operator_b], "Rujukan terlambat", "/rujukan/", "k1") == 0
    assert notify([operator_a], "Lagi", "/rujukan/", "k2") == 1
    assert Notification.objects.filter(user=operator_a).count() == 2
    # Without a key every call is a new message.
    assert notify([operator_a], "Pesan", "") == 1
    assert notify([operator_a], "Pesan", "") == 1


def test_inactive_users_are_not_told(operator_a):
    operator_a.is_active = False
    operator_a.save()
    assert notify([operator_a], "Rujukan terlambat") == 0


@pytest.mark.django_db(transaction=True)
def test_email_goes_out_when_a_mail_server_is_configured(settings, operator_a):
    settings.EMAIL_HOST = "mail.example.test"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    operator_a.email = "operator@example.test"
    operator_a.save()
    notify([operator_a], "Pengaduan terlambat", "/pengaduan/1/", "e1")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["operator@example.test"]
    assert "/pengaduan/1/" in mail.outbox[0].body


def test_no_email_without_a_mail_server(settings, operator_a):
    settings.EMAIL_HOST = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    operator_a.email = "operator@example.test"
    operator_a.save()
    notify([operator_a], "Pengaduan terlambat", "/pengaduan/1/", "e1")
    assert mail.outbox == []


def test_the_navbar_counts_unread_and_the_page_lists_them(operator_a, operator_b):
    notify([operator_a], "Rujukan RJK-1 terlambat", "/rujukan/", "a")
    notify([operator_b], "Rahasia operator B", "/rujukan/", "b")
    client = client_for(operator_a)
    home = client.get("/").content.decode()
    assert 'class="notify-count"' in home
    page = client.get(reverse("core:notifications")).content.decode()
    assert "Rujukan RJK-1 terlambat" in page
    assert "Rahasia operator B" not in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(operator_a, operator_b):
    notify([operator_a], "Rujukan terlambat", "/rujukan/", "a")
    notification = Notification.objects.get(user=operator_a)
    url = reverse("core:notification_open", args=[notification.pk])
    assert client_for(operator_b).post(url).status_code == 404
    response = client_for(operator_a).post(url)
    assert response.status_code == 302 and response["Location"] == "/rujukan/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client_for(operator_a).get(url).status_code == 405


def test_a_link_to_another_site_is_not_followed(operator_a):
    notify([operator_a], "Aneh", "https://evil.example/", "x")
    notification = Notification.objects.get(user=operator_a)
    response = client_for(operator_a).post(
        reverse("core:notification_open", args=[notification.pk])
    )
    assert response["Location"] == reverse("core:notifications")


def test_read_all(operator_a):
    notify([operator_a], "Satu", "", "1")
    notify([operator_a], "Dua", "", "2")
    client_for(operator_a).post(reverse("core:notifications_read_all"))
    assert not Notification.objects.filter(user=operator_a, read_at__isnull=True).exists()


def test_the_district_admin_adds_a_day_off_for_the_district(district_admin):
    client = client_for(district_admin)
    url = reverse("core:holiday_list")
    response = client.post(url, {"date": "07/12/2026", "name": "Cuti bersama"})
    assert response.status_code == 302
    holiday = Holiday.objects.get()
    assert holiday.region_id == KAB and holiday.date == date(2026, 12, 7)
    page = client.get(url, {"tahun": 2026}).content.decode()
    assert "07/12/2026" in page and "Cuti bersama" in page
    assert "17/08/2026" in page  # the national calendar is shown too
    again = client.post(url, {"date": "07/12/2026", "name": "Dua kali"})
    assert again.status_code == 400
    assert "sudah menjadi hari libur" in again.content.decode()
    assert Holiday.objects.count() == 1
    bad = client.post(url, {"date": "31/02/2026", "name": "Salah"})
    assert bad.status_code == 400
    assert Holiday.objects.count() == 1


def test_staff_may_read_but_not_change_the_calendar(operator_a, district_admin):
    holiday = Holiday.objects.create(date=date(2026, 12, 7), name="Cuti", region_id=KAB)
    client = client_for(operator_a)
    assert client.get(reverse("core:holiday_list")).status_code == 200
    assert (
        client.post(reverse("core:holiday_list"), {"date": "08/12/2026", "name": "x"}).status_code
        == 403
    )
    assert client.post(reverse("core:holiday_delete", args=[holiday.pk])).status_code == 403
    assert (
        client_for(district_admin)
        .post(reverse("core:holiday_delete", args=[holiday.pk]))
        .status_code
        == 302
    )
    assert not Holiday.objects.exists()


def test_another_district_neither_sees_nor_deletes_our_days(outsider_admin):
    holiday = Holiday.objects.create(date=date(2026, 12, 7), name="Cuti Malang", region_id=KAB)
    client = client_for(outsider_admin)
    assert (
        "Cuti Malang"
        not in client.get(reverse("core:holiday_list"), {"tahun": 2026}).content.decode()
    )
    assert client.post(reverse("core:holiday_delete", args=[holiday.pk])).status_code == 404
    assert Holiday.objects.filter(pk=holiday.pk).exists()
