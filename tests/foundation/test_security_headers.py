"""Response headers of every page (Content-Security-Policy, Permissions-Policy), no caching of
what a signed-in user sees, sessions that end after inactivity, and the login lock per username
across addresses (config/middleware.py, config/login_lock.py)."""

import time

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from config.middleware import IdleSessionMiddleware
from households.models.updates import UpdateKind
from tests.conftest import PASSWORD, client_for
from tests.households.update_factories import make_household, propose
from tests.imports.jobs import PREVIEW, make_job

LAST_ACTIVITY = IdleSessionMiddleware.SESSION_KEY


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


# Content-Security-Policy and Permissions-Policy ------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_a_policy_without_inline_script_or_style(db, operator_a, signed_in):
    client = client_for(operator_a) if signed_in else Client()
    path = reverse("households:household_list") if signed_in else reverse("login")
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    text = response["Content-Security-Policy"]
    for loophole in ("unsafe-inline", "unsafe-eval", "*", "data:", "http:"):
        assert loophole not in text, loophole


def test_htmx_is_told_not_to_inject_its_indicator_style(db, operator_a):
    page = client_for(operator_a).get(reverse("households:household_list")).content.decode()
    assert '<meta name="htmx-config"' in page
    assert '"includeIndicatorStyles": false' in page and '"allowEval": false' in page


@pytest.mark.parametrize("path", ["/masuk/", "/data/"])
def test_browser_features_are_switched_off(db, operator_a, path):
    response = client_for(operator_a).get(path)
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


# Cache-Control: no-store ------------------------------------------------------------------------


def assert_not_stored(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_household_page_is_not_stored(db, operator_a):
    household = make_household()
    response = client_for(operator_a).get(
        reverse("households:household_detail", args=[household.pk])
    )
    assert_not_stored(response)


def test_evidence_download_is_not_stored(db, puskesos_a, operator_a):
    household = make_household()
    update = propose(
        puskesos_a,
        household,
        UpdateKind.CORRECT,
        {"target": "household", "changes": {"alamat": [household.alamat, "Jl. Kenanga 10"]}},
    )
    response = client_for(operator_a).get(reverse("households:update_evidence", args=[update.pk]))
    assert_not_stored(response)
    assert "attachment" in response["Content-Disposition"]


def test_import_error_report_is_not_stored(db, district_admin):
    job = make_job(district_admin, counts={"preview": PREVIEW})
    job.error_report.save("r.xlsx", ContentFile(b"PK-report"))
    response = client_for(district_admin).get(
        reverse("households:import_error_report", args=[job.pk])
    )
    assert_not_stored(response)
    assert b"".join(response.streaming_content) == b"PK-report"


def test_htmx_partials_of_signed_in_users_are_not_stored_either(db, operator_a):
    response = client_for(operator_a).get(
        reverse("households:household_list"), {"q": "Budi"}, HTTP_HX_REQUEST="true"
    )
    assert_not_stored(response)


def test_pages_for_visitors_keep_their_own_caching(db):
    # The login page forbids caching itself (Django's never_cache); the public pages of later
    # apps (the complaint form) are not touched by the middleware.
    response = Client().get(reverse("login"))
    assert "no-store" in response["Cache-Control"]
    assert "Pragma" not in response


# Idle sessions ---------------------------------------------------------------------------------


def signed_in_client(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def set_last_activity(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds_ago
    session.save()


def test_login_starts_the_activity_clock(db, operator_a):
    client = signed_in_client(operator_a)
    assert abs(client.session[LAST_ACTIVITY] - time.time()) < 5


def test_a_session_idle_past_the_limit_ends_with_a_message(db, operator_a, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client = signed_in_client(operator_a)
    household_list = reverse("households:household_list")
    set_last_activity(client, 31 * 60)

    response = client.get(household_list)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={household_list}"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak ada aktivitas selama 30 menit" in login_page
    # Still logged out on the next request: the old session is gone for good.
    assert client.get(household_list).status_code == 302


def test_activity_within_the_limit_keeps_the_session_and_moves_the_clock(db, operator_a, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client = signed_in_client(operator_a)
    set_last_activity(client, 29 * 60)

    assert client.get(reverse("households:household_list")).status_code == 200
    assert abs(client.session[LAST_ACTIVITY] - time.time()) < 5
    # Another 29 minutes later it is still alive: the limit counts from the last request.
    set_last_activity(client, 29 * 60)
    assert client.get(reverse("households:household_list")).status_code == 200


def test_the_limit_is_configurable(db, operator_a, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = signed_in_client(operator_a)
    set_last_activity(client, 6 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_clock_is_written_at_most_once_a_minute(db, operator_a):
    client = signed_in_client(operator_a)
    set_last_activity(client, 20)
    stamped = client.session[LAST_ACTIVITY]
    client.get(reverse("home"))
    assert client.session[LAST_ACTIVITY] == stamped


def test_an_idle_htmx_request_redirects_the_whole_page(db, operator_a, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client = signed_in_client(operator_a)
    set_last_activity(client, 31 * 60)
    response = client.get(
        reverse("households:household_list"), {"q": "Budi"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


# Login lock per username across addresses -----------------------------------------------------


def attempt(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_slow_guessing_from_many_addresses_locks_the_username(db, operator_a, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 20
    # Two guesses from each address: the pair rule (5) never trips.
    for guess in range(19):
        response = attempt(f"203.0.113.{guess // 2}", operator_a.username, f"tebakan-{guess}")
        assert response.status_code == 200, guess
        assert "kata sandi salah" in response.content.decode()

    twentieth = attempt("198.51.100.1", operator_a.username, "tebakan-20")
    assert twentieth.status_code == 429
    assert "Terlalu banyak percobaan masuk" in twentieth.content.decode()

    # The right password from a fresh address is refused too, with the same page.
    right = attempt("192.0.2.55", operator_a.username, PASSWORD)
    assert right.status_code == 429
    assert "Terlalu banyak percobaan masuk" in right.content.decode()
    assert "_auth_user_id" not in Client().session


def test_the_username_lock_leaves_other_users_alone(db, operator_a, operator_b, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 6
    for guess in range(6):
        attempt(f"203.0.113.{guess}", operator_a.username, "salah")
    assert attempt("192.0.2.1", operator_a.username, PASSWORD).status_code == 429

    response = attempt("192.0.2.1", operator_b.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_refused_attempts_while_locked_by_address_do_not_count(db, operator_a, settings):
    """One address hammering after the pair lock must not lock the username for everybody."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    for _n in range(30):
        attempt("203.0.113.7", operator_a.username, "salah")
    assert attempt("203.0.113.7", operator_a.username, PASSWORD).status_code == 429

    response = attempt("198.51.100.20", operator_a.username, PASSWORD)
    assert response.status_code == 302


def test_a_successful_login_clears_the_username_count(db, operator_a, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 4
    for guess in range(3):
        attempt(f"203.0.113.{guess}", operator_a.username, "salah")
    assert attempt("192.0.2.1", operator_a.username, PASSWORD).status_code == 302
    for guess in range(3):
        response = attempt(f"203.0.113.{10 + guess}", operator_a.username, "salah")
        assert response.status_code == 200
