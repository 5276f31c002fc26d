"""Small builders for the data-update and duplicate tests: households with NIK-consistent
members, evidence files, and proposals walked through the workflow."""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from households.choices import Relationship, Sex
from households.models import Household, KKHistory, Member
from households.nik import make_nik
from households.services import updates as service

_serial = itertools.count(1)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

FAMILY = [
    ("Budi Santoso", Sex.MALE, datetime.date(1978, 3, 14), Relationship.HEAD),
    ("Siti Aminah", Sex.FEMALE, datetime.date(1982, 7, 2), Relationship.SPOUSE),
    ("Rizky Pratama", Sex.MALE, datetime.date(2006, 11, 20), Relationship.CHILD),
]


def new_no_kk(desa_code: str) -> str:
    return f"{desa_code.replace('.', '')[:6]}{next(_serial):010d}"


def make_household(desa_code="35.07.01.2001", people=FAMILY, **fields):
    household = Household.objects.create(
        desa_id=desa_code,
        no_kk=new_no_kk(desa_code),
        alamat="Jl. Melati 3",
        rt="001",
        rw="002",
        **fields,
    )
    KKHistory.objects.create(household=household, no_kk=household.no_kk)
    for name, sex, born, relationship in people:
        make_member(household, name, sex, born, relationship)
    return household


def make_member(household, name, sex, born, relationship=Relationship.CHILD, with_nik=True):
    nik = make_nik(household.desa_id[:8], born, sex, next(_serial)) if with_nik else None
    return Member.objects.create(
        household=household,
        nik=nik,
        nama=name,
        jenis_kelamin=sex,
        tanggal_lahir=born,
        hubungan_keluarga=relationship,
    )


def evidence(name="berita-acara.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def propose(user, household, kind, payload, member=None, reason="Hasil musyawarah desa"):
    return service.propose(
        user=user,
        kind=kind,
        desa_code=household.desa_id,
        household=household,
        member=member,
        payload=payload,
        reason=reason,
        evidence=evidence(),
    )


def verified(update, operator):
    return service.verify(update, operator)
