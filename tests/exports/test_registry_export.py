"""Export of the registry list to CSV and xlsx: filter, area scope, neutralised cells, log."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import neutralise
from households.models import ExportLog
from households.resources import EXPORT_COLUMNS
from tests.conftest import DESA_B1, KEC_A, KEC_B, client_for

CSV_URL = reverse("households:registry_export", args=["csv"])
XLSX_URL = reverse("households:registry_export", args=["xlsx"])


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def xlsx_sheet(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def sheet_rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62812", "'+62812"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Siti", "Siti"),
        ("", ""),
        (None, None),
        (5, 5),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_is_the_import_layout_one_row_per_living_member(registry, district_admin):
    rows = csv_rows(client_for(district_admin).get(CSV_URL))

    assert list(rows[0].keys()) == EXPORT_COLUMNS
    names = {row["nama"] for row in rows}
    assert "Almarhum Kakek" not in names, "a deceased member is no longer on the family card"
    assert len(rows) == 5
    siti = next(row for row in rows if row["nama"] == "Siti Aminah")
    assert siti["nik"] == "3507015507100002"
    assert siti["no_kk"] == "3507010101800001"
    assert siti["kode_desa"] == "35.07.01.2001"
    assert siti["tanggal_lahir"] == "15/07/2010"
    assert siti["jenis_kelamin"] == "2"
    assert siti["hubungan_keluarga"] == "3"
    assert siti["luas_lantai"] == "36.5"
    assert siti["daya_listrik"] == "900"
    assert siti["status_rumah"] == "Milik sendiri"
    assert siti["hamil"] == "tidak"
    # Rows of one family stay together, the head first.
    family = [row["nama"] for row in rows if row["no_kk"] == "3507010101800001"]
    assert family[0].startswith("'=HYPERLINK")


def test_csv_neutralises_formula_cells(registry, district_admin):
    rows = csv_rows(client_for(district_admin).get(CSV_URL))

    names = {row["nama"] for row in rows}
    assert """'=HYPERLINK("http://contoh.test","klik")""" in names
    assert "'@SUM(A1:A9)" in names
    siti = next(row for row in rows if row["nama"] == "Siti Aminah")
    assert siti["tempat_lahir"] == "'+6281234567890"
    assert siti["alamat"] == "'-1+2 Jl. Kenanga"
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_xlsx_neutralises_and_keeps_numbers_as_text(registry, district_admin):
    sheet = xlsx_sheet(client_for(district_admin).get(XLSX_URL, {"desil": "1"}))
    rows = sheet_rows(sheet)

    assert [cell.value for cell in next(sheet.iter_rows())] == EXPORT_COLUMNS
    head = next(row for row in rows if row["hubungan_keluarga"].value == 1)
    assert head["nama"].value == """'=HYPERLINK("http://contoh.test","klik")"""
    assert head["nama"].data_type == "s", "a formula cell would run in Excel"
    assert head["alamat"].value == "'-1+2 Jl. Kenanga"
    for column in ("nik", "no_kk", "kode_desa", "rt"):
        assert head[column].data_type == "s"
        assert head[column].number_format == "@"
    assert head["nik"].value == "3507011705800001"
    assert head["rt"].value == "001"
    born = head["tanggal_lahir"]
    assert born.value == datetime.datetime(1980, 5, 17)
    assert born.number_format == "DD/MM/YYYY"
    siti = next(row for row in rows if row["nama"].value == "Siti Aminah")
    assert siti["tempat_lahir"].value == "'+6281234567890"
    no_papers = next(row for row in rows if row["nama"].value == "'@SUM(A1:A9)")
    assert no_papers["nik"].value is None


def test_filter_on_screen_is_applied(registry, district_admin):
    rows = csv_rows(client_for(district_admin).get(CSV_URL, {"desil": "5"}))
    assert [row["nama"] for row in rows] == ["Budi Santoso"]

    rows = csv_rows(client_for(district_admin).get(CSV_URL, {"kecamatan": KEC_A, "desil": "1"}))
    assert {row["no_kk"] for row in rows} == {"3507010101800001"}


def test_operator_only_gets_own_area(registry, operator_a):
    rows = csv_rows(client_for(operator_a).get(CSV_URL))
    assert {row["no_kk"] for row in rows} == {"3507010101800001", "3507010202800002"}

    sheet = xlsx_sheet(client_for(operator_a).get(XLSX_URL, {"desil": "1"}))
    assert {row["no_kk"].value for row in sheet_rows(sheet)} == {"3507010101800001"}


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
@pytest.mark.parametrize("params", [{"kecamatan": KEC_B, "desa": DESA_B1}, {"desa": DESA_B1}])
def test_operator_asking_for_a_desa_of_another_kecamatan_gets_nothing_of_it(
    registry, operator_a, url, params
):
    response = client_for(operator_a).get(url, params)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("households:household_list"))
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "Filter tidak valid" in message
    assert not ExportLog.objects.exists()


def test_export_is_logged_with_filter_and_count(registry, operator_a):
    client = client_for(operator_a)
    csv_rows(client.get(CSV_URL, {"q": "", "desil": "1", "desa": "", "page": "3"}))
    xlsx_sheet(client.get(XLSX_URL))

    logs = list(ExportLog.objects.order_by("pk"))
    assert [(log.file_format, log.row_count) for log in logs] == [("csv", 3), ("xlsx", 4)]
    assert logs[0].user == operator_a
    assert logs[0].area_code == KEC_A
    assert logs[0].what == "registri"
    assert logs[0].filters == "desil=1", "neither the page nor empty fields are the filter"
    assert logs[1].filters == ""


def test_too_large_export_asks_to_narrow_the_filter(registry, district_admin, settings):
    settings.EXPORT_MAX_ROWS = 3
    response = client_for(district_admin).get(XLSX_URL, {"desil": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("households:household_list") + "?desil=1"
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "Persempit filter" in message
    assert "4 baris, lebih dari batas ekspor 3 baris" in message
    assert not ExportLog.objects.exists()


def test_export_queries_do_not_grow_with_rows(
    registry, district_admin, django_assert_max_num_queries
):
    client = client_for(district_admin)
    client.get(CSV_URL)  # warm up the session and permission caches of this client
    with django_assert_max_num_queries(12):
        b"".join(client.get(CSV_URL).streaming_content)


def test_export_needs_permission(registry, puskesos_a):
    response = client_for(puskesos_a).get(CSV_URL)
    assert response.status_code == 403
    assert not ExportLog.objects.exists()


def test_unknown_format_is_404(district_admin):
    response = client_for(district_admin).get(reverse("households:registry_export", args=["pdf"]))
    assert response.status_code == 404


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_anonymous_is_sent_to_login(client, url, db):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def render_buttons(user, querystring):
    request = RequestFactory().get("/data/" + querystring)
    request.user = user
    return render_to_string("households/exports/export_buttons.html", request=request)


def test_buttons_carry_the_querystring_without_page(operator_a):
    html = render_buttons(operator_a, "?desil=1&page=4")
    assert "Unduh Excel" in html and "Unduh CSV" in html
    assert f'href="{XLSX_URL}?desil=1"' in html
    assert f'href="{CSV_URL}?desil=1"' in html


def test_buttons_hidden_without_export_permission(puskesos_a):
    assert "Unduh" not in render_buttons(puskesos_a, "")
