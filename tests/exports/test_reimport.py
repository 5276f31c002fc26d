"""An export is a valid import file: the importer reads it back and finds nothing to change."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from households.choices import Relationship, Sex
from tests.conftest import DESA_A1, DESA_A2, client_for
from tests.exports.conftest import make_family


@pytest.fixture
def clean_registry(db):
    make_family(
        "3507010101800001",
        DESA_A1,
        [
            {"nik": "3507011705800001", "nama": "Slamet Riyadi", "tempat_lahir": "Malang"},
            {
                "nik": "3507015708820002",
                "nama": "Siti Aminah",
                "jenis_kelamin": Sex.FEMALE,
                "tanggal_lahir": datetime.date(1982, 8, 17),
                "hubungan_keluarga": Relationship.SPOUSE,
                "status_kawin": "kawin",
                "hamil": True,
            },
            {
                "nik": "3507010203100003",
                "nama": "Budi",
                "tanggal_lahir": datetime.date(2010, 3, 2),
                "partisipasi_sekolah": "masih_sekolah",
                "functional_difficulties": {"penglihatan": 3},
            },
        ],
        desil=2,
        alamat="Jl. Kenanga 7",
        rt="001",
        rw="002",
        dusun="Krajan",
        luas_lantai="36.50",
        daya_listrik=900,
        status_rumah="milik_sendiri",
        jenis_lantai="Tanah",
        pbi_nas=True,
    )
    make_family(
        "3507010202800002",
        DESA_A2,
        [{"nik": "3507012002800004", "nama": "Warno", "tanggal_lahir": datetime.date(1980, 2, 20)}],
        desil=5,
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_reimports_unchanged(clean_registry, district_admin, tmp_path, file_format):
    response = client_for(district_admin).get(
        reverse("households:registry_export", args=[file_format])
    )
    path = tmp_path / f"ekspor.{file_format}"
    path.write_bytes(b"".join(response.streaming_content))

    out = StringIO()
    call_command(
        "import_registry",
        str(path),
        "--dry-run",
        "--user",
        district_admin.username,
        "--format",
        "json",
        stdout=out,
    )
    report = json.loads(out.getvalue())

    assert report["errors"] == [] and report["warnings"] == []
    assert report["unknown_columns"] == [], "every exported column is one the importer knows"
    assert report["rows"] == 4 and report["unchanged"] == 4
    assert report["households_created"] == 0 and report["members_created"] == 0
    assert report["households_updated"] == 0 and report["members_updated"] == 0
