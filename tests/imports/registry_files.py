"""Registry files of any size for the job tests: valid families of four, written as CSV.

Family ``n`` has No. KK ``350701`` + n (10 digits), a head, a spouse and two children whose NIKs
agree with their birth dates and sex, in desa 35.07.01.2001 (Donomulyo, Kabupaten Malang)."""

import datetime

from households.nik import make_nik

HEADER = [
    "kode_desa",
    "alamat",
    "no_kk",
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "hubungan_keluarga",
]
DESA = "35.07.01.2001"
KECAMATAN = "35.07.01"
MEMBERS_PER_FAMILY = 4


def no_kk(n: int) -> str:
    return f"350701{n:010d}"


def family_rows(n: int, *, alamat: str = "Jl. Merdeka") -> list[list[str]]:
    shift = datetime.timedelta(days=n // 10000)
    adult = datetime.date(1975, 1, 1) + shift
    child = datetime.date(2010, 1, 1) + shift
    members = [
        ("Kepala", 1, adult, 1),
        ("Istri", 2, adult, 2),
        ("Anak Satu", 1, child, 3),
        ("Anak Dua", 2, child, 3),
    ]
    return [
        [
            DESA,
            f"{alamat} {n}",
            no_kk(n),
            make_nik(KECAMATAN, born, sex, n),
            f"{name} {n}",
            str(sex),
            born.strftime("%d/%m/%Y"),
            str(relation),
        ]
        for name, sex, born, relation in members
    ]


def write_registry_csv(path, families: range, *, alamat: str = "Jl. Merdeka", broken=()):
    """Write the families; a family in ``broken`` gets a 15-digit NIK on its spouse row, so it
    is held back whole. Returns the path."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(";".join(HEADER) + "\n")
        for n in families:
            rows = family_rows(n, alamat=alamat)
            if n in broken:
                rows[1][3] = rows[1][3][:15]
            for row in rows:
                handle.write(";".join(row) + "\n")
    return path
