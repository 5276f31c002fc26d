"""Demo registry for Kabupaten Malang (35.07): realistic families, loaded with ``COPY``.

Every household is generated from its own index with its own random generator, so a run that
asks for more households than exist adds the missing ones and a run that asks for fewer or as
many changes nothing. 300,000 households (about a million people) load in a few minutes:
rows are generated in Python and streamed with PostgreSQL ``COPY`` in chunks.
"""

import datetime
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from accounts.demo import DEMO_DESA_A, DEMO_KABUPATEN, DEMO_KECAMATAN_A
from core.models import Region, RegionLevel
from households.choices import (
    ChangeAction,
    ChangeSource,
    HomeOwnership,
    HouseholdStatus,
    MaritalStatus,
    MemberStatus,
    Relationship,
    SchoolParticipation,
    Sex,
)
from households.models import ChangeLog, Household, KKHistory, Member
from households.nik import check_nik, make_nik

DEMO_SOURCE = "DTSEN 2025 (demo)"
CHUNK = 5_000


def words(text: str) -> list[str]:
    return text.split()


MALE_FIRST = words(
    "Ahmad Agus Bambang Budi Slamet Sugeng Sutrisno Suparman Joko Eko Dwi Hadi Heru Imam "
    "Mulyono Muhammad Rudi Sholeh Suyanto Wahyu Yusuf Abdul Ali Arif Bayu Dedi Didik Edi Fajar "
    "Gunawan Hendra Irfan Kusnadi Lukman Miftahul Rahmat Ridwan Samsul Saiful Sunarto Supriyadi "
    "Teguh Untung Wawan Yanto Zainal Andi Rizky Dimas Fikri Bagus Aditya Fahmi Hasan Ilham Kholil "
    "Sumarno Paimin Kasiman Tukiran Misdi Sukardi"
)
FEMALE_FIRST = words(
    "Siti Siti Siti Sri Sri Dewi Nur Endang Tri Sumiati Suparmi Sulastri Wati Yuni Ani Rina Lilik "
    "Umi Tutik Sumarni Kasiyem Painem Suwarni Fatimah Aminah Khotimah Lestari Mariyam Ninik Puji "
    "Rini Sholikhah Titik Winarsih Yuli Zulaikha Ayu Dian Eka Fitri Indah Laila Nia Putri Ratna "
    "Sari Tika Anisa Nabila Aisyah Zahra Salsabila Nurul Tumini Sarinah Juwariyah"
)
MALE_LAST = words(
    "Santoso Hidayat Prasetyo Setiawan Wibowo Purnomo Susanto Hartono Kurniawan Saputra Nugroho "
    "Suprapto Wijaya Firmansyah Hermawan Rahman Hakim Maulana Syahputra Effendi Mustofa Arifin "
    "Sholikhin Fauzi Junaedi Anwar Hasyim Basuki Riyadi Wahyudi"
)
FEMALE_LAST = words(
    "Rahayu Wahyuni Lestari Handayani Susanti Astuti Kurniasih Purwanti Ningsih Yulianti Suryani "
    "Hidayati Mulyani Aminah Aminah Khasanah Fitriani Rohmah Anggraini Safitri Maghfiroh "
    "Nurhayati Sulistyowati Wulandari Utami Setyaningsih Rahmawati Hasanah Musyarofah Zubaidah"
)
# Spellings the same name gets in different offices; name search must find them all.
SPELLING_VARIANTS = {
    "Aminah": "Aminnah",
    "Muhammad": "Muhamad",
    "Ahmad": "Achmad",
    "Siti": "Sitti",
    "Khotimah": "Hotimah",
    "Sholeh": "Soleh",
    "Mustofa": "Mustafa",
    "Sholikhah": "Solikah",
    "Fatimah": "Fatimmah",
    "Yusuf": "Yusup",
}
DUSUN = words(
    "Krajan Sumberejo Sukorejo Karangrejo Tegalrejo Wonorejo Purworejo Sidomulyo Sumbersari "
    "Kedungsari Ngadirejo Sumberagung Jatirejo Bendo Kebonsari Tlogosari"
)
STREETS = (
    "Raya", "Mawar", "Melati", "Kenanga", "Diponegoro", "Sudirman", "Kartini", "Masjid",
    "Pattimura", "Brawijaya", "Flamboyan", "Anggrek",
)  # fmt: skip
OTHER_BIRTHPLACES = ("Malang", "Kota Malang", "Blitar", "Pasuruan", "Surabaya", "Lumajang", "Batu")
DISABILITIES = [
    ("Disabilitas fisik", "berjalan_atau_naik_tangga"),
    ("Disabilitas sensorik netra", "penglihatan"),
    ("Disabilitas sensorik rungu/wicara", "pendengaran"),
    ("Disabilitas intelektual", "belajar_kemampuan_intelektual"),
    ("Disabilitas mental", "pengendalian_perilaku"),
]
CHRONIC = (
    "Hipertensi", "Diabetes melitus", "TBC", "Penyakit jantung", "Asma", "Stroke",
    "Gagal ginjal", "Kanker",
)  # fmt: skip
WORK_ADULT = [
    ("Petani", "Berusaha sendiri", 18),
    ("Buruh tani", "Buruh/karyawan", 20),
    ("Buruh harian lepas", "Buruh/karyawan", 14),
    ("Pedagang", "Berusaha sendiri", 8),
    ("Peternak", "Berusaha sendiri", 5),
    ("Tukang bangunan", "Buruh/karyawan", 6),
    ("Karyawan swasta", "Buruh/karyawan", 8),
    ("Sopir", "Buruh/karyawan", 3),
    ("Wiraswasta", "Berusaha sendiri", 5),
    ("Nelayan", "Berusaha sendiri", 1),
    ("Guru", "Buruh/karyawan", 1),
    ("Tidak bekerja", "Tidak bekerja", 11),
]
SCHOOLING = [
    "Tidak/belum sekolah",
    "SD/sederajat",
    "SMP/sederajat",
    "SMA/sederajat",
    "D1/D2/D3",
    "D4/S1",
]
HOUSING = {
    # (poor, better-off) choices for each material, picked by desil.
    "jenis_lantai": (("Tanah", "Semen/bata merah", "Kayu/papan"), ("Keramik", "Semen/bata merah")),
    "jenis_dinding": (
        ("Anyaman bambu", "Kayu/papan", "Tembok tanpa plester"),
        ("Tembok", "Tembok"),
    ),
    "jenis_atap": (("Seng", "Asbes", "Genteng"), ("Genteng", "Beton")),
    "sumber_air_minum": (
        ("Sumur tak terlindung", "Mata air", "Sumur terlindung"),
        ("Sumur bor/pompa", "Leding", "Air isi ulang"),
    ),
    "sumber_penerangan": (
        ("Listrik PLN tanpa meteran", "Listrik PLN dengan meteran"),
        ("Listrik PLN dengan meteran",),
    ),
    "bahan_bakar_memasak": (("Kayu bakar", "Gas 3 kg"), ("Gas 3 kg", "Gas 5,5 kg/12 kg")),
    "fasilitas_bab": (("Bersama", "Umum", "Tidak ada"), ("Sendiri",)),
    "jenis_kloset": (("Cemplung/cubluk", "Plengsengan"), ("Leher angsa",)),
    "pembuangan_akhir_tinja": (
        ("Lubang tanah", "Kolam/sawah/sungai", "Pantai/tanah lapang"),
        ("Tangki septik", "IPAL"),
    ),
}
ASSETS = ("sepeda_motor", "lemari_es", "televisi", "telepon_genggam", "sepeda", "lahan", "emas")
LIVESTOCK = ("sapi", "kambing", "ayam", "domba")
DESIL_WEIGHTS = (25, 22, 18, 14, 10, 5, 3, 1.5, 1, 0.5)
SIZE_WEIGHTS = (10, 18, 25, 24, 13, 7, 3)  # 1 to 7 members: about 3.45 per family


@dataclass
class Regions:
    desa: list[str]
    desa_weights: list[float]
    kecamatan_names: dict[str, str]
    nik_kecamatan: list[str]  # kecamatan codes (dotted) of other districts, for people who moved

    @classmethod
    def load(cls) -> "Regions":
        desa = list(
            Region.objects.filter(level=RegionLevel.DESA, code__startswith=DEMO_KABUPATEN + ".")
            .order_by("code")
            .values_list("code", flat=True)
        )
        if not desa:
            raise RuntimeError("Daftar wilayah belum dimuat: jalankan `manage.py load_regions`.")
        # The demo users of kecamatan A and desa A should have plenty of families to look at.
        weights = [
            12.0 if code == DEMO_DESA_A else 4.0 if code.startswith(DEMO_KECAMATAN_A) else 1.0
            for code in desa
        ]
        kecamatan = dict(
            Region.objects.filter(
                level=RegionLevel.KECAMATAN, code__startswith=DEMO_KABUPATEN + "."
            ).values_list("code", "name")
        )
        others = list(
            Region.objects.filter(
                level=RegionLevel.KECAMATAN,
                parent_id__in=["35.73", "35.05", "35.79", "35.14", "35.78"],
            ).values_list("code", flat=True)
        )
        return cls(desa, weights, kecamatan, others)


@dataclass
class Taken:
    """Numbers already used, so that generated NIKs and No KKs never collide."""

    niks: set = field(default_factory=set)
    no_kks: set = field(default_factory=set)

    @classmethod
    def load(cls) -> "Taken":
        return cls(
            set(Member.objects.exclude(nik=None).values_list("nik", flat=True)),
            set(Household.objects.values_list("no_kk", flat=True)),
        )


def _date_of_age(rng: random.Random, today: datetime.date, age: int) -> datetime.date:
    born = today - datetime.timedelta(days=int(age * 365.25) + rng.randint(0, 364))
    return born


def _name(rng: random.Random, sex: int, old: bool) -> str:
    first = rng.choice(MALE_FIRST if sex == Sex.MALE else FEMALE_FIRST)
    last_pool = MALE_LAST if sex == Sex.MALE else FEMALE_LAST
    roll = rng.random()
    if old and roll < 0.3 or roll < 0.1:
        parts = [first]  # many older Javanese have one name only
    elif roll < 0.85:
        parts = [first, rng.choice(last_pool)]
    else:
        middle = rng.choice(MALE_FIRST if sex == Sex.MALE else FEMALE_FIRST)
        parts = [first, middle, rng.choice(last_pool)]
    if rng.random() < 0.06:
        parts = [SPELLING_VARIANTS.get(part, part) for part in parts]
    return " ".join(dict.fromkeys(parts))


@dataclass
class Person:
    relationship: int
    sex: int
    age: int
    name: str = ""


def _family(rng: random.Random) -> list[Person]:
    size = rng.choices(range(1, 8), weights=SIZE_WEIGHTS)[0]
    if size == 1:
        head_age = rng.randint(55, 88) if rng.random() < 0.7 else rng.randint(24, 54)
        head_sex = Sex.FEMALE if rng.random() < 0.55 else Sex.MALE
    else:
        head_age = rng.randint(24, 78)
        head_sex = Sex.FEMALE if rng.random() < 0.14 else Sex.MALE
    people = [Person(Relationship.HEAD, head_sex, head_age)]
    if size >= 2 and head_sex == Sex.MALE and rng.random() < 0.92:
        people.append(
            Person(Relationship.SPOUSE, Sex.FEMALE, max(18, head_age - rng.randint(0, 8)))
        )
    mother_age = people[-1].age if people[-1].relationship == Relationship.SPOUSE else head_age
    while len(people) < size:
        roll = rng.random()
        if (
            roll < 0.08
            and head_age < 55
            and not any(p.relationship == Relationship.PARENT for p in people)
        ):
            people.append(
                Person(Relationship.PARENT, rng.choice(Sex.values), head_age + rng.randint(22, 32))
            )
        elif roll < 0.2 and head_age >= 48:
            people.append(
                Person(Relationship.GRANDCHILD, rng.choice(Sex.values), rng.randint(0, 12))
            )
        else:
            oldest = max(0, min(mother_age - 18, 30))
            people.append(
                Person(Relationship.CHILD, rng.choice(Sex.values), rng.randint(0, oldest))
            )
    for person in people:
        person.age = min(person.age, 97)
    return people


def _school(rng, age, desil):
    if age < 5:
        return SchoolParticipation.NEVER, "Tidak/belum sekolah"
    if age <= 18:
        level = SCHOOLING[1] if age <= 12 else SCHOOLING[2] if age <= 15 else SCHOOLING[3]
        if rng.random() < 0.06 + 0.02 * (5 - min(desil, 5)):
            return SchoolParticipation.LEFT, SCHOOLING[1 if age <= 13 else 2]
        return SchoolParticipation.IN_SCHOOL, level
    top = 2 if age > 55 else 4 if desil <= 3 else 6
    weights = (3, 6, 4, 3, 1, 1)[:top]
    level = rng.choices(SCHOOLING[:top], weights=weights)[0]
    if level == SCHOOLING[0]:
        return SchoolParticipation.NEVER, level
    return SchoolParticipation.LEFT, level


def _nik(rng, regions, taken, kecamatan, born, sex) -> str | None:
    roll = rng.random()
    if roll < 0.88:
        issued_in = kecamatan
    elif roll < 0.95:
        issued_in = rng.choice(list(regions.kecamatan_names))
    elif roll < 0.997:
        issued_in = rng.choice(regions.nik_kecamatan)
    else:
        issued_in = "35.07.99"  # issued before a boundary change: an unknown prefix warning
    nik_born, nik_sex = born, sex
    roll = rng.random()
    if roll < 0.01:
        nik_born = born + datetime.timedelta(days=rng.choice((-31, -1, 1, 10, 365)))
    elif roll < 0.013:
        nik_sex = Sex.FEMALE if sex == Sex.MALE else Sex.MALE
    serial = rng.randint(1, 9999)
    for step in range(10000):
        nik = make_nik(issued_in, nik_born, nik_sex, (serial + step) % 9999 + 1)
        if nik not in taken.niks:
            taken.niks.add(nik)
            return nik
    return None


def _no_kk(rng, taken, kecamatan, today) -> str:
    code = kecamatan.replace(".", "")
    while True:
        issued = today - datetime.timedelta(days=rng.randint(200, 7300))
        no_kk = f"{code}{issued:%d%m%y}{rng.randint(1, 9999):04d}"
        if no_kk not in taken.no_kks:
            taken.no_kks.add(no_kk)
            return no_kk


def _housing(rng, desil) -> dict:
    poor = desil <= 4
    values = {name: rng.choice(choices[0 if poor else 1]) for name, choices in HOUSING.items()}
    if rng.random() < 0.15:
        values = {name: rng.choice(choices[1]) for name, choices in HOUSING.items()}
    values["status_rumah"] = rng.choices(
        [c.value for c in HomeOwnership], weights=(80, 8, 9, 1, 2)
    )[0]
    values["luas_lantai"] = round(rng.uniform(18, 45) if poor else rng.uniform(36, 140), 2)
    values["daya_listrik"] = (
        None
        if values["sumber_penerangan"] == "Listrik PLN tanpa meteran"
        else rng.choice((450, 450, 900, 900, 1300) if poor else (900, 1300, 2200))
    )
    values["assets"] = {
        name: True
        for name in ASSETS
        if rng.random() < (0.25 if poor else 0.6) + 0.3 * (name == "telepon_genggam")
    }
    values["livestock"] = {
        name: rng.randint(1, 3 if name != "ayam" else 20)
        for name in LIVESTOCK
        if rng.random() < (0.18 if name != "ayam" else 0.4)
    }
    return values


@dataclass
class Batch:
    households: list = field(default_factory=list)
    members: list = field(default_factory=list)
    kk_history: list = field(default_factory=list)
    changes: list = field(default_factory=list)


def _household(index, pk, regions, taken, today, now, admin_id, batch: Batch):
    rng = random.Random(7_919 * index + 17)
    desa = DEMO_DESA_A if index == 0 else rng.choices(regions.desa, regions.desa_weights)[0]
    kecamatan = desa[:8]
    desil = rng.choices(range(1, 11), weights=DESIL_WEIGHTS)[0]
    people = _family(rng)
    if index == 0:
        # A family every demo shows: the spelling-tolerant search finds "Siti Aminah" here.
        people = [
            Person(Relationship.HEAD, Sex.MALE, 46, "Slamet Riyadi"),
            Person(Relationship.SPOUSE, Sex.FEMALE, 41, "Siti Aminnah"),
            Person(Relationship.CHILD, Sex.FEMALE, 17, "Dewi Lestari"),
            Person(Relationship.CHILD, Sex.MALE, 4, "Muhammad Rizky"),
        ]
        desil = 2
    no_kk = _no_kk(rng, taken, kecamatan, today)
    created = now - datetime.timedelta(days=rng.randint(60, 900), minutes=rng.randint(0, 1439))
    status = rng.choices(
        (HouseholdStatus.ACTIVE, HouseholdStatus.MOVED, HouseholdStatus.INACTIVE),
        weights=(97.5, 1.5, 1),
    )[0]
    if index == 0:
        status = HouseholdStatus.ACTIVE
    housing = _housing(rng, desil)
    dusun = rng.choice(DUSUN)
    batch.households.append(
        {
            "id": pk,
            "no_kk": no_kk,
            "desa_id": desa,
            "alamat": f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 150)}, Dusun {dusun}",
            "rt": f"{rng.randint(1, 12):03d}",
            "rw": f"{rng.randint(1, 6):03d}",
            "dusun": dusun,
            "desil": desil,
            "status": status,
            "last_verified": (now - datetime.timedelta(days=rng.randint(10, 720))).date(),
            "data_source": DEMO_SOURCE,
            "pbi_nas": desil <= 4 and rng.random() < 0.8,
            "pbi_pemda": desil <= 5 and rng.random() < 0.1,
            "version": 1,
            "created_at": created,
            "updated_at": created,
            **housing,
        }
    )
    batch.kk_history.append(
        {"household_id": pk, "no_kk": no_kk, "valid_from": created, "reason": ""}
    )
    batch.changes.append(
        {
            "household_id": pk,
            "object_label": f"KLG-{pk:07d} · KK {no_kk}",
            "action": ChangeAction.CREATE,
            "changes": {},
            "source": ChangeSource.SYSTEM,
            "created_at": created,
        }
    )
    if admin_id and rng.random() < 0.08:
        old_desil = min(10, desil + rng.choice((1, 1, 2)))
        batch.changes.append(
            {
                "household_id": pk,
                "object_label": f"KLG-{pk:07d} · KK {no_kk}",
                "action": ChangeAction.UPDATE,
                "changes": {"desil": [old_desil, desil]},
                "source": ChangeSource.FORM,
                "user_id": admin_id,
                "created_at": created + datetime.timedelta(days=rng.randint(1, 50)),
            }
        )
    kecamatan_name = regions.kecamatan_names.get(kecamatan, "Malang").title()
    mother = next((p for p in people if p.relationship == Relationship.SPOUSE), None)
    for person in people:
        sex = person.sex
        name = person.name or _name(rng, sex, person.age >= 55)
        person.name = name
        born = _date_of_age(rng, today, person.age)
        adult = person.age >= 17
        nik = None
        if not (rng.random() < (0.09 if person.age < 6 else 0.012)):
            nik = _nik(rng, regions, taken, kecamatan, born, sex)
        participation, schooling = _school(rng, person.age, desil)
        work, work_status = ("", "")
        if adult and person.age < 70:
            if person.relationship == Relationship.SPOUSE and rng.random() < 0.45:
                work, work_status = "Mengurus rumah tangga", "Tidak bekerja"
            elif person.age <= 22 and participation == SchoolParticipation.IN_SCHOOL:
                work, work_status = "Pelajar/mahasiswa", "Tidak bekerja"
            else:
                jobs = rng.choices(WORK_ADULT, weights=[w for _job, _st, w in WORK_ADULT])[0]
                work, work_status = jobs[0], jobs[1]
        elif person.age >= 70:
            work, work_status = "Tidak bekerja", "Tidak bekerja"
        elif person.age >= 7:
            work, work_status = "Pelajar/mahasiswa", "Tidak bekerja"
        disability, difficulties = "", {}
        if rng.random() < (0.02 if person.age < 60 else 0.08):
            disability, item = rng.choice(DISABILITIES)
            difficulties = {item: rng.choice((1, 2, 2))}
        chronic = ""
        if rng.random() < (0.02 if person.age < 40 else 0.07 if person.age < 60 else 0.18):
            chronic = rng.choice(CHRONIC)
        married = person.relationship in (Relationship.HEAD, Relationship.SPOUSE) and adult
        if married and len(people) == 1:
            marital = MaritalStatus.WIDOWED if person.age >= 50 else MaritalStatus.DIVORCED
        elif married:
            marital = MaritalStatus.MARRIED
        elif person.relationship == Relationship.PARENT:
            marital = MaritalStatus.WIDOWED
        else:
            marital = MaritalStatus.SINGLE
        pregnant = (
            sex == Sex.FEMALE
            and marital == MaritalStatus.MARRIED
            and 18 <= person.age <= 42
            and rng.random() < 0.05
        )
        member_status = MemberStatus.ALIVE
        died = None
        if person.relationship != Relationship.HEAD and person.age >= 65 and rng.random() < 0.04:
            member_status = MemberStatus.DECEASED
            died = today - datetime.timedelta(days=rng.randint(5, 300))
        mothers_name = (
            mother.name
            if mother and mother.name and person.relationship == Relationship.CHILD
            else _name(rng, Sex.FEMALE, True)
        )
        checked = check_nik(nik, born, sex)
        batch.members.append(
            {
                "household_id": pk,
                "nik": nik,
                "nama": name,
                "jenis_kelamin": sex,
                "tempat_lahir": kecamatan_name
                if rng.random() < 0.8
                else rng.choice(OTHER_BIRTHPLACES),
                "tanggal_lahir": born,
                "hubungan_keluarga": person.relationship,
                "status_kawin": marital,
                "nama_ibu_kandung": mothers_name,
                "partisipasi_sekolah": participation,
                "pendidikan": schooling,
                "pekerjaan": work,
                "status_bekerja": work_status,
                "disabilitas": disability,
                "functional_difficulties": difficulties,
                "penyakit_kronis": chronic,
                "hamil": pregnant,
                "kondisi_gizi": (
                    rng.choices(("Normal", "Stunting", "Gizi kurang"), weights=(90, 6, 4))[0]
                    if person.age < 5
                    else ""
                ),
                "status": member_status,
                "tanggal_meninggal": died,
                "nik_flags": list(checked.flags),
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )


def _copy(model, rows: list[dict]):
    """COPY rows into the model's table; columns the generator leaves out get the field's
    default, so a column added later does not break the demo."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in rows[0])]
    columns = [f.column for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    keys = [f.attname for f in fields]
    json_keys = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    sql = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(c) for c in columns),
    )
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            values = []
            for key in keys:
                value = row[key] if key in row else defaults[key]
                if key in json_keys:
                    value = json.dumps(value)
                values.append(value)
            copy.write_row(values)


def demo_household_count() -> int:
    return Household.objects.filter(
        desa__code__startswith=DEMO_KABUPATEN + ".", data_source=DEMO_SOURCE
    ).count()


def seed_households(target: int, admin=None, progress=None) -> int:
    """Grow the demo registry to ``target`` households; returns how many were added."""
    existing = demo_household_count()
    if existing >= target:
        return 0
    regions = Regions.load()
    taken = Taken.load()
    today = timezone.localdate()
    now = timezone.now()
    admin_id = admin.pk if admin else None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE households_household IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SELECT coalesce(max(id), 0) FROM households_household")
            next_pk = cursor.fetchone()[0] + 1
        for start in range(existing, target, CHUNK):
            batch = Batch()
            for index in range(start, min(start + CHUNK, target)):
                _household(index, next_pk, regions, taken, today, now, admin_id, batch)
                next_pk += 1
            _copy(Household, batch.households)
            _copy(Member, batch.members)
            _copy(KKHistory, batch.kk_history)
            _copy(ChangeLog, batch.changes)
            if progress:
                progress(min(start + CHUNK, target))
        with connection.cursor() as cursor:
            for model in (Household, Member, KKHistory, ChangeLog):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
    return target - existing


def analyze():
    """Fresh statistics and visibility maps after a bulk load (index-only scans need them)."""
    with connection.cursor() as cursor:
        for model in (Household, Member, KKHistory, ChangeLog):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")


# Apps that build on the registry add their demo data here (households never imports them):
# each registers, in its ``AppConfig.ready()``, a callable ``seeder(admin) -> str`` that runs
# after the demo households exist, must be safe to repeat, and returns one line for the
# command's output.
_demo_seeders: dict[str, tuple[int, Callable]] = {}


def register_demo_seeder(key: str, seeder: Callable, order: int = 100):
    _demo_seeders[key] = (order, seeder)


def run_demo_seeders(admin=None) -> list[str]:
    """Run the registered seeders in order; their output lines."""
    lines = []
    for _order, seeder in sorted(_demo_seeders.values(), key=lambda item: item[0]):
        line = seeder(admin)
        if line:
            lines.append(line)
    return lines
