"""Write a realistic registry spreadsheet (BNBA layout, docs/registry-format.md) for tests and
benchmarks.

    python scripts/make_registry_file.py OUT.csv --rows 1000000
    python scripts/make_registry_file.py OUT.xlsx --rows 100000 --national-names

One row per member, families of 1–7 people sharing No KK and household fields, real desa codes
of the kabupaten (from the shipped region list), NIKs consistent with the kecamatan, birth date
and sex (``households.nik.make_nik``). The same seed always gives the same file, so a second
import of a regenerated file is an unchanged re-import. Needs no database.
"""

import argparse
import csv
import datetime
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COLUMNS = [
    "kode_desa",
    "alamat",
    "rt",
    "rw",
    "dusun",
    "no_kk",
    "desil",
    "status_rumah",
    "luas_lantai",
    "jenis_lantai",
    "jenis_dinding",
    "jenis_atap",
    "sumber_air_minum",
    "sumber_penerangan",
    "daya_listrik",
    "bahan_bakar_memasak",
    "fasilitas_bab",
    "nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "hubungan_keluarga",
    "status_kawin",
    "nama_ibu_kandung",
    "pendidikan",
    "partisipasi_sekolah",
    "pekerjaan",
    "disabilitas",
    "penyakit_kronis",
    "hamil",
]

NATIONAL_NAMES = {
    "nik": "NOMOR_INDUK_KEPENDUDUKAN",
    "no_kk": "NOMOR_KARTU_KELUARGA",
    "kode_desa": "KODE_KELURAHAN_DESA",
    "desil": "DESIL_NASIONAL",
    "hubungan_keluarga": "STATUS_HUBUNGAN_KELUARGA",
    "status_rumah": "STATUS_KEPEMILIKAN_RUMAH",
    "jenis_lantai": "JENIS_LANTAI_TERLUAS",
    "jenis_dinding": "JENIS_DINDING_TERLUAS",
    "jenis_atap": "JENIS_ATAP_TERLUAS",
    "sumber_air_minum": "SUMBER_AIR_MINUM_UTAMA",
    "sumber_penerangan": "SUMBER_PENERANGAN_UTAMA",
    "daya_listrik": "DAYA_TERPASANG",
    "bahan_bakar_memasak": "BAHAN_BAKAR_UTAMA_MEMASAK",
}

MALE = [
    "AHMAD",
    "BUDI",
    "SLAMET",
    "AGUS",
    "HADI",
    "JOKO",
    "RUDI",
    "SUGENG",
    "WAHYU",
    "EKO",
    "ANDI",
    "BAMBANG",
    "DEDI",
    "HERU",
    "IMAM",
    "MUHAMMAD",
    "NUR",
    "RIZKY",
    "TRI",
    "YUSUF",
]
FEMALE = [
    "SITI",
    "SRI",
    "DEWI",
    "ENDANG",
    "LESTARI",
    "NUR",
    "RATNA",
    "SUMIATI",
    "TUTIK",
    "WATI",
    "AYU",
    "DIAN",
    "FITRI",
    "INDAH",
    "KARTINI",
    "MUNAROH",
    "PUJI",
    "RINA",
    "UMI",
    "YULI",
]
FAMILY = [
    "SANTOSO",
    "WIBOWO",
    "HARTONO",
    "SUSANTO",
    "PRASETYO",
    "HIDAYAT",
    "SETIAWAN",
    "LESTARI",
    "RAHAYU",
    "PURNOMO",
    "SUPRIYADI",
    "WAHYUNI",
    "KURNIAWAN",
    "NINGSIH",
    "SAPUTRA",
    "FAUZI",
    "MAULANA",
    "ROHMAN",
    "ASTUTI",
    "SULISTYO",
]
PLACES = ["MALANG", "BLITAR", "KEDIRI", "SURABAYA", "PASURUAN", "LUMAJANG", "JEMBER", "BATU"]
FLOORS = ["Tanah", "Semen", "Keramik", "Kayu/papan", "Ubin/tegel"]
WALLS = ["Tembok", "Kayu/papan", "Bambu", "Anyaman bambu"]
ROOFS = ["Genteng", "Seng", "Asbes", "Jerami/ijuk"]
WATER = ["Sumur terlindung", "Air isi ulang", "Leding", "Mata air terlindung", "Sumur bor"]
LIGHT = ["Listrik PLN dengan meteran", "Listrik PLN tanpa meteran", "Bukan listrik"]
FUEL = ["Gas elpiji 3 kg", "Kayu bakar", "Listrik", "Minyak tanah"]
TOILET = ["Ada, digunakan hanya anggota keluarga sendiri", "Ada, digunakan bersama", "Tidak ada"]
OWNERSHIP = ["milik sendiri", "kontrak/sewa", "bebas sewa", "dinas", "lainnya"]
SCHOOLING = ["Tidak/belum sekolah", "SD/sederajat", "SMP/sederajat", "SMA/sederajat", "D3", "S1"]
WORK = [
    "Petani",
    "Buruh tani",
    "Pedagang",
    "Buruh bangunan",
    "Nelayan",
    "Tidak bekerja",
    "Karyawan swasta",
    "Ibu rumah tangga",
    "Pelajar",
]


def desa_codes(kabupaten: str) -> list[str]:
    from core.regions import region_rows

    return [
        code
        for code, _name, level, _p in region_rows()
        if level == 4 and code.startswith(kabupaten + ".")
    ]


LATEST_BIRTH = datetime.date(2025, 6, 30)


def next_serial(serials: dict, key) -> int:
    """Serials count per (kecamatan, date as the number writes it[, sex]): no two generated
    numbers collide (a NIK has a two-digit year, so 1923 and 2023 share a counter)."""
    serials[key] = serials.get(key, 0) + 1
    return serials[key]


def family_rows(rng: random.Random, desa: str, serials: dict) -> list[dict]:
    """One family: household fields repeated on every member row."""
    from households.nik import make_nik

    kecamatan = desa[:8]
    issued = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(5000))
    kk_serial = next_serial(serials, (kecamatan, issued))
    no_kk = f"{kecamatan.replace('.', '')}{issued:%d%m%y}{kk_serial:04d}"
    household = {
        "kode_desa": desa,
        "alamat": f"JL. {rng.choice(FAMILY)} NO. {rng.randrange(1, 200)}",
        "rt": f"{rng.randrange(1, 15):03d}",
        "rw": f"{rng.randrange(1, 8):03d}",
        "dusun": f"DUSUN {rng.choice(FAMILY)}",
        "no_kk": no_kk,
        "desil": rng.randrange(1, 11),
        "status_rumah": rng.choice(OWNERSHIP),
        "luas_lantai": rng.randrange(18, 150),
        "jenis_lantai": rng.choice(FLOORS),
        "jenis_dinding": rng.choice(WALLS),
        "jenis_atap": rng.choice(ROOFS),
        "sumber_air_minum": rng.choice(WATER),
        "sumber_penerangan": rng.choice(LIGHT),
        "daya_listrik": rng.choice([450, 900, 1300, 2200]),
        "bahan_bakar_memasak": rng.choice(FUEL),
        "fasilitas_bab": rng.choice(TOILET),
    }
    family_name = rng.choice(FAMILY)
    head_sex = 1 if rng.random() < 0.85 else 2
    head_born = datetime.date(1945, 1, 1) + datetime.timedelta(days=rng.randrange(18000))
    people = [(1, head_sex, head_born)]
    if head_sex == 1 and rng.random() < 0.8:
        people.append((2, 2, head_born + datetime.timedelta(days=rng.randrange(-2000, 2000))))
    for _child in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        people.append(
            (3, rng.choice([1, 2]), head_born + datetime.timedelta(days=rng.randrange(7000, 14000)))
        )
    if rng.random() < 0.1:
        people.append((6, 2, head_born - datetime.timedelta(days=rng.randrange(7000, 11000))))
    rows = []
    for relation, sex, born in people:
        if born > LATEST_BIRTH:
            born = LATEST_BIRTH - datetime.timedelta(days=rng.randrange(1, 6000))
        first = rng.choice(MALE if sex == 1 else FEMALE)
        rows.append(
            {
                **household,
                "nik": make_nik(
                    kecamatan, born, sex, next_serial(serials, (kecamatan, f"{born:%d%m%y}", sex))
                ),
                "nama": f"{first} {family_name}",
                "jenis_kelamin": sex,
                "tempat_lahir": rng.choice(PLACES),
                "tanggal_lahir": born,
                "hubungan_keluarga": relation,
                "status_kawin": "kawin" if relation in (1, 2, 6) else "belum kawin",
                "nama_ibu_kandung": f"{rng.choice(FEMALE)} {rng.choice(FAMILY)}",
                "pendidikan": rng.choice(SCHOOLING),
                "partisipasi_sekolah": rng.choice(
                    ["tidak sekolah lagi", "masih sekolah", "tidak/belum pernah sekolah"]
                ),
                "pekerjaan": rng.choice(WORK),
                "disabilitas": "" if rng.random() < 0.97 else "Disabilitas fisik",
                "penyakit_kronis": "" if rng.random() < 0.9 else "Hipertensi",
                "hamil": "ya" if sex == 2 and relation == 2 and rng.random() < 0.05 else "tidak",
            }
        )
    return rows


def registry_rows(rows: int, *, seed: int = 7, kabupaten: str = "35.07"):
    """Yield ``rows`` member rows (whole families, the last one cut to fit)."""
    rng = random.Random(seed)
    desas = desa_codes(kabupaten)
    serials: dict = {}
    written = 0
    while written < rows:
        for row in family_rows(rng, rng.choice(desas), serials):
            if written >= rows:
                return
            yield row
            written += 1


def csv_value(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def write_csv(path: Path, rows, columns, delimiter=","):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(columns[name] for name in COLUMNS)
        for row in rows:
            writer.writerow([csv_value(row[name]) for name in COLUMNS])


def write_xlsx_openpyxl(path: Path, rows, columns, title=None):
    """openpyxl write-only: inline strings, dates as date cells (~7,000 rows/s)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import NamedStyle

    book = Workbook(write_only=True)
    sheet = book.create_sheet("BNBA")
    date_style = NamedStyle(name="tanggal", number_format="DD/MM/YYYY")
    book.add_named_style(date_style)
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append([columns[name] for name in COLUMNS])
    for row in rows:
        values = []
        for name in COLUMNS:
            value = row[name]
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value)
                cell.style = "tanggal"
                values.append(cell)
            else:
                values.append(value)
        sheet.append(values)
    book.save(path)


XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="BNBA" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ),
}


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(path: Path, rows, columns, title=None):
    """As Excel stores a sheet: text in the shared-string table (NIK and No KK as text cells),
    numbers as numbers, dates as serial numbers with a date format. Written directly as XML
    (~100,000 rows/s), so a district-sized file takes seconds, not minutes."""
    import zipfile
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    letters = [_letters(i) for i in range(len(COLUMNS))]
    epoch = datetime.date(1899, 12, 30)

    def cell(ref, value):
        if isinstance(value, datetime.date):
            return f'<c r="{ref}" s="1"><v>{(value - epoch).days}</v></c>'
        if isinstance(value, int):
            return f'<c r="{ref}"><v>{value}</v></c>'
        if value == "":
            return ""
        index = strings.setdefault(value, len(strings))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in XLSX_PARTS.items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            number = 0
            lines = []
            if title:
                number += 1
                lines.append(f'<row r="{number}">{cell(f"A{number}", title)}</row>')
                number += 1
            number += 1
            header = "".join(
                cell(f"{letters[i]}{number}", columns[name]) for i, name in enumerate(COLUMNS)
            )
            lines.append(f'<row r="{number}">{header}</row>')
            for row in rows:
                number += 1
                cells = "".join(
                    cell(f"{letters[i]}{number}", row[name]) for i, name in enumerate(COLUMNS)
                )
                lines.append(f'<row r="{number}">{cells}</row>')
                if len(lines) >= 5000:
                    sheet.write("".join(lines).encode())
                    lines = []
            sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
            table.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://'
                f'schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
                f'uniqueCount="{len(strings)}">'.encode()
            )
            chunk = []
            for text in strings:
                chunk.append(f"<si><t>{escape(text)}</t></si>")
                if len(chunk) >= 10000:
                    table.write("".join(chunk).encode())
                    chunk = []
            table.write(("".join(chunk) + "</sst>").encode())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kabupaten", default="35.07")
    parser.add_argument("--national-names", action="store_true", help="national header names")
    parser.add_argument("--delimiter", default=",", help="csv delimiter (, or ;)")
    parser.add_argument("--title", help="a title row above the header (xlsx)")
    parser.add_argument(
        "--openpyxl", action="store_true", help="write the .xlsx with openpyxl (inline strings)"
    )
    args = parser.parse_args(argv)
    columns = {name: name for name in COLUMNS}
    if args.national_names:
        columns.update(NATIONAL_NAMES)
    rows = registry_rows(args.rows, seed=args.seed, kabupaten=args.kabupaten)
    if args.out.suffix == ".xlsx":
        writer = write_xlsx_openpyxl if args.openpyxl else write_xlsx
        writer(args.out, rows, columns, title=args.title)
    else:
        write_csv(args.out, rows, columns, delimiter=args.delimiter)
    print(f"{args.out}: {args.rows} baris")


if __name__ == "__main__":
    main()
