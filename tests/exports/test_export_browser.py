"""In the browser: filter the registry list (htmx), then download what is on screen."""

import csv

import pytest

pytestmark = pytest.mark.browser


def test_download_follows_the_filter_applied_on_screen(
    registry, operator_a, login_page, live_server
):
    page = login_page(operator_a)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/data/")
    page.select_option("select[name=desil]", "5")
    page.click("form.registry-filters button[type=submit]")
    # The list swaps its results with htmx and pushes the filter into the address bar only.
    page.wait_for_url("**desil=5**")

    with page.expect_download() as download:
        page.click("a:has-text('Unduh CSV')")
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [row["nama"] for row in rows] == ["Budi Santoso"]

    with page.expect_download() as download:
        page.click("a:has-text('Unduh Excel')")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert "desil=5" in download.value.url
