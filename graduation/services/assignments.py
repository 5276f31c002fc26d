"""Penugasan: households put into a facilitator's caseload by the district, in bulk from the
registry list as filtered on screen or from a spreadsheet of No KK / registry ids.

A KPM has one facilitator of each kind: assigning a household to a pendamping PKH ends its
assignment to another pendamping PKH (a TKSK's assignment stays)."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from graduation.models import Assignment, Facilitator
from households.models import Household

# Households one bulk assignment may take (a caseload is a few hundred; a larger selection is
# almost certainly a filter forgotten).
ASSIGN_MAX = 5000
REGISTRY_ID = re.compile(r"^(?:KLG-?)?0*(\d{1,12})$", re.IGNORECASE)
NO_KK = re.compile(r"^\d{16}$")
MAX_ROWS = 10000


@dataclass
class AssignResult:
    selected: int = 0
    created: int = 0
    already: int = 0
    outside: int = 0
    moved: int = 0
    errors: list = field(default_factory=list)


def _check(user, facilitator):
    if not user.has_perm("graduation.manage_facilitator"):
        raise PermissionDenied
    if not Facilitator.objects.for_user(user).filter(pk=facilitator.pk).exists():
        raise PermissionDenied


def assign(facilitator: Facilitator, households, *, user, write=True) -> AssignResult:
    """Put ``households`` (cut to the user's area here again) into ``facilitator``'s caseload;
    households outside the facilitator's own area are left out and counted. All or nothing."""
    _check(user, facilitator)
    households = households & Household.objects.for_user(user)
    ids = list(households.order_by().values_list("pk", flat=True)[: ASSIGN_MAX + 1])
    result = AssignResult(selected=len(ids))
    if len(ids) > ASSIGN_MAX:
        raise ValidationError(
            _("Paling banyak %(max)s keluarga sekaligus; persempit filternya.")
            % {"max": ASSIGN_MAX}
        )
    inside = set(
        Household.objects.filter(
            pk__in=ids, desa__code__startswith=facilitator.area_id
        ).values_list("pk", flat=True)
    )
    result.outside = len(ids) - len(inside)
    already = set(
        Assignment.objects.filter(
            facilitator=facilitator, active=True, household_id__in=inside
        ).values_list("household_id", flat=True)
    )
    result.already = len(already)
    todo = sorted(inside - already)
    result.created = len(todo)
    if not write or not todo:
        return result
    today = timezone.localdate()
    with transaction.atomic():
        result.moved = (
            Assignment.objects.filter(
                household_id__in=todo, active=True, facilitator__kind=facilitator.kind
            )
            .exclude(facilitator=facilitator)
            .update(active=False, end_date=today)
        )
        Assignment.objects.bulk_create(
            [Assignment(facilitator=facilitator, household_id=pk, assigned_by=user) for pk in todo],
            batch_size=1000,
            ignore_conflicts=True,
        )
    return result


def end_assignment(assignment: Assignment, user) -> bool:
    if not user.has_perm("graduation.manage_facilitator"):
        raise PermissionDenied
    return bool(
        Assignment.objects.filter(pk=assignment.pk, active=True).update(
            active=False, end_date=timezone.localdate()
        )
    )


def read_identifiers(upload) -> list[tuple[int, str]]:
    """(row number, value) of the first column of an .xlsx or .csv (a header row is skipped
    when its first cell is not a number)."""
    name = (upload.name or "").lower()
    upload.seek(0)
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(upload, read_only=True, data_only=True)
        except Exception as error:
            raise ValidationError(_("File tidak dapat dibaca sebagai .xlsx.")) from error
        rows = (
            (index, row[0] if row else None)
            for index, row in enumerate(book.active.iter_rows(values_only=True), start=1)
        )
    elif name.endswith(".csv") or name.endswith(".txt"):
        text = upload.read().decode("utf-8-sig", errors="replace")
        rows = (
            (index, re.split(r"[;,\t]", line)[0] if line else None)
            for index, line in enumerate(text.splitlines(), start=1)
        )
    else:
        raise ValidationError(_("Unggah file .xlsx atau .csv."))
    values = []
    for index, cell in rows:
        if index > MAX_ROWS:
            raise ValidationError(_("Paling banyak %(n)s baris.") % {"n": MAX_ROWS})
        if cell is None:
            continue
        text = str(cell).strip().strip("'").replace(" ", "")
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        if not text:
            continue
        values.append((index, text))
    if values and not (NO_KK.match(values[0][1]) or REGISTRY_ID.match(values[0][1])):
        values = values[1:]
    return values


def households_from_file(upload, user) -> tuple[list[int], list[str]]:
    """Household ids named in the file (No KK of an active household, or registry id), in the
    user's area, and one error per row that names nothing there."""
    area_households = Household.objects.for_user(user)
    ids, errors = [], []
    numbers = {}
    registry_ids = {}
    for row, value in read_identifiers(upload):
        if NO_KK.match(value):
            numbers[value] = row
        elif match := REGISTRY_ID.match(value):
            registry_ids[int(match.group(1))] = row
        else:
            errors.append(
                _("Baris %(row)s: %(value)s bukan No. KK (16 angka) atau ID registri.")
                % {"row": row, "value": value[:40]}
            )
    by_kk = dict(
        area_households.filter(no_kk__in=list(numbers), status="active").values_list("no_kk", "pk")
    )
    found = set(area_households.filter(pk__in=list(registry_ids)).values_list("pk", flat=True))
    for number, row in numbers.items():
        if number in by_kk:
            ids.append(by_kk[number])
        else:
            errors.append(
                _("Baris %(row)s: No. KK %(value)s tidak ditemukan di wilayah Anda.")
                % {"row": row, "value": number}
            )
    for pk, row in registry_ids.items():
        if pk in found:
            ids.append(pk)
        else:
            errors.append(
                _("Baris %(row)s: ID registri KLG-%(value)07d tidak ditemukan di wilayah Anda.")
                % {"row": row, "value": pk}
            )
    return sorted(set(ids)), sorted(errors, key=_row_number)


def _row_number(message: str) -> int:
    match = re.search(r"\d+", message)
    return int(match.group()) if match else 0


def assign_from_file(facilitator, upload, *, user, write=True) -> AssignResult:
    _check(user, facilitator)
    ids, errors = households_from_file(upload, user)
    result = assign(facilitator, Household.objects.filter(pk__in=ids), user=user, write=write)
    result.errors = errors
    return result
