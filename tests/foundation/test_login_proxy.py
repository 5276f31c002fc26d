"""Login throttling behind the HTTPS reverse proxy: every request reaches gunicorn from the
proxy's address, so django-axes must lock the client named in X-Forwarded-For, not the proxy."""

import pytest
from django.test import Client, RequestFactory

from config.client_ip import client_ip
from tests.conftest import PASSWORD

PROXY = "172.18.0.1"


def through_proxy(client_address: str) -> Client:
    """A browser whose requests the proxy forwards, appending the address it saw."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def log_in(client: Client, username: str, password: str):
    return client.post("/masuk/", {"username": username, "password": password})


def test_one_client_behind_the_proxy_cannot_lock_the_user_out_for_everyone(settings, operator_a):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = through_proxy("203.0.113.7")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(attacker, operator_a.username, "tebak-tebakan")
    locked = log_in(attacker, operator_a.username, PASSWORD)
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()

    # The real operator, behind the same proxy from another address, still gets in.
    colleague = through_proxy("198.51.100.20")
    response = log_in(colleague, operator_a.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"


def test_a_spoofed_forwarded_for_entry_does_not_escape_the_lock(settings, operator_a):
    """The proxy appends: whatever the client put in front is not trusted."""
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(through_proxy(f"10.9.9.{attempt}, 203.0.113.7"), operator_a.username, "salah")
    again = log_in(through_proxy("10.9.9.99, 203.0.113.7"), operator_a.username, PASSWORD)
    assert again.status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # no proxy configured: the header is the client's own text
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # came in through the inner proxy only
        (1, "", PROXY),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
