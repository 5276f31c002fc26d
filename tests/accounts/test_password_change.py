"""The password change page: works, and speaks Indonesian."""

from django.urls import reverse

from tests.conftest import PASSWORD, client_for

CHANGE_URL = reverse("accounts:password_change")
NEW_PASSWORD = "Kenanga-Tujuh-77"


def test_page_is_indonesian(operator_a):
    response = client_for(operator_a).get(CHANGE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    for text in ("Ubah kata sandi", "Sandi lama", "Sandi baru", "Konfirmasi sandi baru"):
        assert text in html


def test_change_password(operator_a):
    client = client_for(operator_a)
    response = client.post(
        CHANGE_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    operator_a.refresh_from_db()
    assert operator_a.check_password(NEW_PASSWORD)
    done = client.get(response["Location"])
    assert "Kata sandi sudah diubah" in done.content.decode(), "the session survives the change"


def test_wrong_old_password_is_explained_in_indonesian(operator_a):
    response = client_for(operator_a).post(
        CHANGE_URL,
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Sandi lama Anda yang dimasukkan salah" in response.content.decode()
    operator_a.refresh_from_db()
    assert operator_a.check_password(PASSWORD)


def test_mismatched_new_passwords_are_refused(operator_a):
    response = client_for(operator_a).post(
        CHANGE_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "lain-lain-99"},
    )
    assert "Dua bidang sandi tidak cocok." in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(CHANGE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
