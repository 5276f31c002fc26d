"""Intake: a complaint from the public form or recorded by an officer at the desk.

Both give the complainant a ticket number and a secret tracking code; the code is shown once
(on the result page or to the officer, who passes it on) and only its HMAC is stored."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.choices import Channel, EventKind, Priority
from complaints.models import Category, Complaint, ComplaintEvent
from complaints.models.complaints import parse_ticket
from complaints.services.sla import due_date_for
from core.models import Region, RegionLevel
from core.scope import area_of, code_in_area
from households.models import Household, Member


@dataclass(frozen=True)
class Submitted:
    complaint: Complaint
    tracking_code: str


def district_code() -> str:
    """The kabupaten/kota whose residents the public form serves."""
    return settings.COMPLAINTS_DISTRICT_CODE


def public_desa_choices():
    """The desa of the district grouped by kecamatan: one select that works without script.
    The region list only changes when it is reloaded, so each process reads it once."""
    groups = _desa_groups(district_code())
    if not groups:
        # Regions not loaded yet (a fresh database): ask again next time.
        _desa_groups.cache_clear()
    return groups


@functools.cache
def _desa_groups(district: str):
    from core.widgets import RegionPicker

    return RegionPicker(area=district).desa_groups(within=district)


def households_matching(nik: str, no_kk: str, area: str):
    """Households of ``area`` with the complaint's No KK or a member with its NIK."""
    if not nik and not no_kk:
        return Household.objects.none()
    condition = Q()
    if no_kk:
        condition |= Q(no_kk=no_kk)
    if nik:
        condition |= Q(pk__in=Member.objects.filter(nik=nik).values("household_id"))
    return Household.objects.in_area(area).filter(condition)


def _create(*, channel, category, desa_code, description, user=None, **fields) -> Submitted:
    if not Region.objects.filter(code=desa_code, level=RegionLevel.DESA).exists():
        raise ValidationError(_("Desa/kelurahan tidak dikenal."))
    if not category.active:
        raise ValidationError(_("Kategori ini tidak dipakai lagi."))
    received = timezone.now()
    complaint = Complaint(
        channel=channel,
        category=category,
        desa_id=desa_code,
        description=description,
        service_days=category.service_days,
        due_date=due_date_for(timezone.localdate(received), category.service_days, desa_code),
        received_at=received,
        updated_at=received,
        created_by=user,
        **fields,
    )
    if complaint.anonymous:
        complaint.complainant_name = ""
        complaint.complainant_contact = ""
    code = complaint.set_tracking_code()
    with transaction.atomic():
        matches = list(
            households_matching(complaint.nik, complaint.no_kk, district_code_of(desa_code))[:2]
        )
        if len(matches) == 1:
            complaint.household = matches[0]
        complaint.save()
        ComplaintEvent.objects.create(
            complaint=complaint,
            kind=EventKind.SUBMITTED,
            to_status=complaint.status,
            public=True,
            by=user,
            at=received,
        )
    return Submitted(complaint, code)


def district_code_of(desa_code: str) -> str:
    return ".".join(desa_code.split(".")[:2])


def submit_public(
    *,
    category: Category,
    desa_code: str,
    description: str,
    nik: str = "",
    no_kk: str = "",
    anonymous: bool = False,
    complainant_name: str = "",
    complainant_contact: str = "",
    attachment=None,
) -> Submitted:
    """A complaint from the public web form (no account): only desa of the district."""
    if not code_in_area(desa_code, district_code()):
        raise ValidationError(_("Desa/kelurahan ini di luar wilayah layanan."))
    return _create(
        channel=Channel.WEB,
        category=category,
        desa_code=desa_code,
        description=description,
        nik=nik,
        no_kk=no_kk,
        anonymous=anonymous,
        complainant_name=complainant_name,
        complainant_contact=complainant_contact,
        attachment=attachment or "",
    )


def staff_intake(
    *,
    user,
    channel: str,
    category: Category,
    desa_code: str,
    description: str,
    priority: str = Priority.NORMAL,
    nik: str = "",
    no_kk: str = "",
    anonymous: bool = False,
    complainant_name: str = "",
    complainant_contact: str = "",
    attachment=None,
) -> Submitted:
    """A walk-in, phone, WhatsApp, letter or LAPOR! complaint recorded by an officer."""
    if not user.has_perm("complaints.add_complaint"):
        raise PermissionDenied
    if not code_in_area(desa_code, area_of(user)):
        raise ValidationError(_("Desa/kelurahan ini di luar wilayah kerja Anda."))
    if channel not in Channel.values or channel == Channel.WEB:
        raise ValidationError(_("Saluran tidak dikenal."))
    return _create(
        channel=channel,
        category=category,
        desa_code=desa_code,
        description=description,
        user=user,
        priority=priority,
        nik=nik,
        no_kk=no_kk,
        anonymous=anonymous,
        complainant_name=complainant_name,
        complainant_contact=complainant_contact,
        attachment=attachment or "",
    )


def find_for_status_page(ticket: str, code: str) -> Complaint | None:
    """The complaint of ``ticket`` if ``code`` is its tracking code; None for a wrong code, an
    unknown ticket or anything malformed alike (one answer, so nothing is learnt by guessing)."""
    parsed = parse_ticket(ticket)
    if parsed is None:
        return None
    year, pk = parsed
    complaint = (
        Complaint.objects.filter(pk=pk, received_at__year=year).select_related("category").first()
    )
    if complaint is None or not complaint.tracking_code_matches(code or ""):
        return None
    return complaint
