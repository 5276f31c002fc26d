"""Facilitators, PKH households and graduations for the graduation tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from graduation.models import Assignment, Facilitator
from graduation.services import graduations as service
from households.choices import Relationship, Sex
from programs.models import Enrolment
from tests.conftest import KEC_A
from tests.households import registry_factory as make
from tests.programs import factories as programs

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="pernyataan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def not_a_pdf(name="pernyataan.pdf"):
    return SimpleUploadedFile(
        name, b"MZ\x90\x00 this is an executable", content_type="application/pdf"
    )


def pkh():
    from programs.models import Program

    return Program.objects.filter(code="PKH").first() or programs.pkh()


def empowerment(code="PENA"):
    from programs.models import Program

    found = Program.objects.filter(code=code).first()
    return found or programs.program(
        code, kind="pemberdayaan", cluster="pemberdayaan_umkm", max_desil=4
    )


def facilitator(user, area=KEC_A, kind="pkh") -> Facilitator:
    return Facilitator.objects.create(user=user, area_id=area, kind=kind)


def assign(facilitator_obj, household) -> Assignment:
    return Assignment.objects.create(facilitator=facilitator_obj, household=household)


def pkh_household(desa=None, *, enrol=True, **fields):
    """A family (head 45, wife 40, a 15-year-old in school) with an active PKH enrolment."""
    household = make.household(**({"desa": desa} if desa else {}), **fields)
    make.member(household, "Budi Santoso", make.years_old(45), Sex.MALE, Relationship.HEAD)
    make.member(household, "Sri Wahyuni", make.years_old(40), Sex.FEMALE, Relationship.SPOUSE)
    make.member(
        household,
        "Rizky Pratama",
        make.years_old(15),
        Sex.MALE,
        Relationship.CHILD,
        partisipasi_sekolah="masih_sekolah",
    )
    if enrol:
        Enrolment.objects.create(
            program=pkh(), household=household, status="active", source="system"
        )
    return household


def propose(household, user, kind="sejahtera_mandiri", **fields):
    fields.setdefault("graduation_date", timezone.localdate())
    fields.setdefault("reasons", "Usaha warung sudah mencukupi kebutuhan keluarga")
    if kind == "sejahtera_mandiri":
        fields.setdefault("statement", pdf())
    return service.propose(household=household, user=user, kind=kind, **fields)


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
