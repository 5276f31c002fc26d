"""Kepesertaan: enrolling households (or members) in programs and moving them through
proposed → active → suspended → graduated / exited, every step recorded with who and when."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.claims import claim
from households.models import Household
from programs.choices import (
    OPEN_ENROLMENT_STATUSES,
    BeneficiaryUnit,
    EligibilityIssue,
    EnrolmentSource,
    EnrolmentStatus,
)
from programs.models import Enrolment, EnrolmentStatusChange
from programs.services.components import disabled_member_ids
from programs.services.eligibility import evaluate

# Households one bulk enrolment may take when the program's rule looks at members (components,
# age, disability: evaluated in Python, household by household); a larger selection asks for a
# narrower filter. A rule on the household alone (desil ceiling, registry status) is evaluated
# and written in SQL, with no limit.
BULK_MAX = 5000


class JustificationNeeded(ValidationError):
    """The enrolment breaks the program's rule: it can go on only with a written reason."""

    def __init__(self, findings):
        self.findings = findings
        super().__init__(
            _("Kepesertaan ini tidak sesuai aturan program; tuliskan justifikasinya."),
            code="justification",
        )


@dataclass(frozen=True)
class Transition:
    key: str
    label: str
    source: tuple
    target: str
    needs_reason: bool = False
    danger: bool = False


TRANSITIONS = {
    t.key: t
    for t in (
        Transition(
            "activate",
            gettext_lazy("Aktifkan"),
            (EnrolmentStatus.PROPOSED,),
            EnrolmentStatus.ACTIVE,
        ),
        Transition(
            "suspend",
            gettext_lazy("Tangguhkan"),
            (EnrolmentStatus.ACTIVE,),
            EnrolmentStatus.SUSPENDED,
            needs_reason=True,
        ),
        Transition(
            "resume",
            gettext_lazy("Aktifkan kembali"),
            (EnrolmentStatus.SUSPENDED,),
            EnrolmentStatus.ACTIVE,
        ),
        Transition(
            "graduate",
            gettext_lazy("Graduasi"),
            (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED),
            EnrolmentStatus.GRADUATED,
            needs_reason=True,
        ),
        Transition(
            "exit",
            gettext_lazy("Keluarkan"),
            OPEN_ENROLMENT_STATUSES,
            EnrolmentStatus.EXITED,
            needs_reason=True,
            danger=True,
        ),
    )
}


def may_change(user, enrolment: Enrolment, transition: Transition) -> bool:
    """Managers (``programs.manage_enrolment``) make every step; whoever proposed an enrolment
    may withdraw (exit) it while it is still a proposal."""
    if enrolment.status not in transition.source:
        return False
    if user.has_perm("programs.manage_enrolment"):
        return True
    return (
        transition.key == "exit"
        and enrolment.status == EnrolmentStatus.PROPOSED
        and enrolment.created_by_id == user.pk
    )


def transitions_for(user, enrolment: Enrolment) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if may_change(user, enrolment, t)]


def _record(enrolment_id, from_status, to_status, user, reason="", at=None):
    return EnrolmentStatusChange(
        enrolment_id=enrolment_id,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        by=user,
        at=at or timezone.now(),
    )


def _in_area(user, household) -> Household:
    found = Household.objects.for_user(user).filter(pk=household.pk).first()
    if found is None:
        raise PermissionDenied
    return found


def open_enrolment(program, household, member=None):
    enrolments = Enrolment.objects.open().filter(program=program, household=household)
    return enrolments.filter(member=member).first() if member else enrolments.first()


def enrol(
    *,
    program,
    household,
    user,
    source=EnrolmentSource.HOUSEHOLD_PAGE,
    member=None,
    reason: str = "",
    justification: str = "",
    activate: bool = False,
    start_date: datetime.date | None = None,
) -> Enrolment:
    """Enrol ``household`` (or its ``member``, for a member program) in ``program``.

    Refuses (ValidationError) an inactive program, a member of another family, a second open
    enrolment; raises ``JustificationNeeded`` with the findings when the rule is broken and no
    justification is given. ``activate`` (managers only) skips the proposal step."""
    household = _in_area(user, household)
    if not program.active:
        raise ValidationError(_("Program ini tidak aktif."))
    if program.beneficiary_unit == BeneficiaryUnit.MEMBER:
        if member is None:
            raise ValidationError(_("Program ini untuk anggota keluarga: pilih anggotanya."))
        if member.household_id != household.pk:
            raise ValidationError(_("Anggota itu bukan anggota keluarga ini."))
    else:
        member = None
    existing = open_enrolment(program, household, member)
    if existing is not None:
        raise ValidationError(
            _("Sudah terdaftar di %(program)s (status %(status)s).")
            % {"program": program.code, "status": existing.get_status_display()}
        )
    findings = evaluate(program, household, member)
    justification = justification.strip()
    if findings and not justification:
        raise JustificationNeeded(findings)
    if activate and not user.has_perm("programs.manage_enrolment"):
        raise PermissionDenied
    status = EnrolmentStatus.ACTIVE if activate else EnrolmentStatus.PROPOSED
    today = timezone.localdate()
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                program=program,
                household=household,
                member=member,
                status=status,
                source=source,
                start_date=start_date or (today if activate else None),
                reason=reason.strip(),
                flags=[finding.issue for finding in findings],
                justification=justification if findings else "",
                created_by=user,
            )
            _record(enrolment.pk, "", status, user, reason.strip()).save()
    except IntegrityError as error:
        raise ValidationError(
            _("Sudah terdaftar di %(program)s.") % {"program": program.code}
        ) from error
    return enrolment


def change_status(enrolment: Enrolment, key: str, user, reason: str = "") -> bool:
    """Make step ``key`` of ``TRANSITIONS``; False when someone else moved the enrolment first.

    PermissionDenied when ``user`` may not make it; ValidationError for a missing reason."""
    transition = TRANSITIONS[key]
    if not may_change(user, enrolment, transition):
        raise PermissionDenied
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ValidationError(_("Tuliskan alasannya."))
    now = timezone.now()
    values = {"status": transition.target, "updated_at": now}
    if transition.target == EnrolmentStatus.ACTIVE and enrolment.start_date is None:
        values["start_date"] = timezone.localdate()
    if transition.target in (EnrolmentStatus.GRADUATED, EnrolmentStatus.EXITED):
        values["end_date"] = timezone.localdate()
    with transaction.atomic():
        if not claim(Enrolment.objects.all(), enrolment.pk, enrolment.status, **values):
            return False
        _record(enrolment.pk, enrolment.status, transition.target, user, reason, now).save()
    for name, value in values.items():
        setattr(enrolment, name, value)
    return True


@dataclass
class BulkResult:
    selected: int = 0
    created: int = 0
    already: int = 0
    flagged: int = 0
    findings: dict = field(default_factory=dict)  # issue → households


def bulk_preview(program, households) -> BulkResult:
    """What ``bulk_enrol`` would do with these households (read-only)."""
    return _bulk(program, households, user=None, justification="", reason="", write=False)


def bulk_enrol(program, households, *, user, justification="", reason="", activate=False):
    """Enrol every household of ``households`` (a queryset already cut to ``user``'s area) that
    is not yet openly enrolled; those that break the rule need ``justification`` and are
    flagged. All or nothing."""
    if activate and not user.has_perm("programs.manage_enrolment"):
        raise PermissionDenied
    if program.beneficiary_unit == BeneficiaryUnit.MEMBER:
        raise ValidationError(
            _("Program untuk anggota keluarga tidak dapat didaftarkan massal per keluarga.")
        )
    if not program.active:
        raise ValidationError(_("Program ini tidak aktif."))
    households = households & Household.objects.for_user(user)
    try:
        with transaction.atomic():
            return _bulk(
                program,
                households,
                user=user,
                justification=justification.strip(),
                reason=reason.strip(),
                write=True,
                activate=activate,
            )
    except IntegrityError as error:
        # Someone enrolled one of these households meanwhile: nothing was written.
        raise ValidationError(
            _("Sebagian keluarga baru saja didaftarkan orang lain; ulangi.")
        ) from error


def rule_needs_members(program) -> bool:
    return bool(
        program.required_components
        or program.min_age is not None
        or program.max_age is not None
        or program.requires_disability
    )


def _bulk(program, households, *, user, justification, reason, write, activate=False):
    if not rule_needs_members(program):
        return _bulk_sql(
            program,
            households,
            user=user,
            justification=justification,
            reason=reason,
            write=write,
            activate=activate,
        )
    result = BulkResult()
    ids = list(households.order_by().values_list("pk", flat=True)[: BULK_MAX + 1])
    result.selected = len(ids)
    if result.selected > BULK_MAX:
        raise ValidationError(
            _(
                "Aturan program ini diperiksa per anggota keluarga: paling banyak %(max)s "
                "keluarga sekaligus. Persempit filter (misalnya per desa) atau impor daftar "
                "penerima."
            )
            % {"max": BULK_MAX}
        )
    enrolled = set(
        Enrolment.objects.open()
        .filter(program=program, household_id__in=ids, member__isnull=True)
        .values_list("household_id", flat=True)
    )
    result.already = len(enrolled)
    todo = [pk for pk in ids if pk not in enrolled]
    status = EnrolmentStatus.ACTIVE if activate else EnrolmentStatus.PROPOSED
    now = timezone.now()
    today = timezone.localdate()
    for start in range(0, len(todo), 500):
        chunk = list(
            Household.objects.filter(pk__in=todo[start : start + 500]).prefetch_related("members")
        )
        disabled = disabled_member_ids([m for h in chunk for m in h.members.all()])
        rows = []
        for household in chunk:
            findings = evaluate(program, household, disabled=disabled)
            if findings:
                result.flagged += 1
                for finding in findings:
                    result.findings[finding.issue] = result.findings.get(finding.issue, 0) + 1
            rows.append(
                Enrolment(
                    program=program,
                    household=household,
                    status=status,
                    source=EnrolmentSource.REGISTRY_LIST,
                    start_date=today if activate else None,
                    reason=reason,
                    flags=[finding.issue for finding in findings],
                    justification=justification if findings else "",
                    created_by=user,
                    created_at=now,
                    updated_at=now,
                )
            )
        if write:
            if result.flagged and not justification:
                raise JustificationNeeded([])
            created = Enrolment.objects.bulk_create(rows)
            EnrolmentStatusChange.objects.bulk_create(
                _record(e.pk, "", status, user, reason, now) for e in created
            )
        result.created += len(rows)
    return result


# The selected households with whether each is openly enrolled already and what the household
# rule finds (the same three issues as ``eligibility.evaluate`` for a rule without member parts).
# Parameters: program, open statuses, max_desil twice, then the selection's own.
_CHECKED_SQL = """
    SELECT h.id,
           EXISTS (SELECT 1 FROM programs_enrolment e
                   WHERE e.program_id = %s AND e.household_id = h.id
                     AND e.member_id IS NULL AND e.status = ANY(%s)) AS already,
           ARRAY_REMOVE(ARRAY[
               CASE WHEN h.status <> 'active' THEN 'household_inactive' END,
               CASE WHEN %s::int IS NOT NULL AND h.desil IS NULL THEN 'no_desil'
                    WHEN h.desil > %s::int THEN 'above_ceiling' END
           ], NULL)::varchar[] AS flags
    FROM households_household h
    WHERE h.id IN ({selected})
"""

_SQL_ISSUES = (
    EligibilityIssue.HOUSEHOLD_INACTIVE,
    EligibilityIssue.NO_DESIL,
    EligibilityIssue.ABOVE_CEILING,
)


def _bulk_sql(program, households, *, user, justification, reason, write, activate):
    """``_bulk`` for a rule on the household alone: one counting query, then (``write``) one
    INSERT ... SELECT of the enrolments and their first status step."""
    selected_sql, selected_params = (
        households.order_by().values("pk").query.get_compiler(connection=connection).as_sql()
    )
    checked = _CHECKED_SQL.format(selected=selected_sql)
    checked_params = [
        program.pk,
        list(OPEN_ENROLMENT_STATUSES),
        program.max_desil,
        program.max_desil,
        *selected_params,
    ]
    issue_counts = ", ".join(
        f"count(*) FILTER (WHERE NOT already AND '{issue}' = ANY(flags))" for issue in _SQL_ISSUES
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE already),
                       count(*) FILTER (WHERE NOT already AND flags <> '{{}}'), {issue_counts}
                FROM ({checked}) c""",
            checked_params,
        )
        selected_count, already, flagged, *by_issue = cursor.fetchone()
        result = BulkResult(
            selected=selected_count,
            created=selected_count - already,
            already=already,
            flagged=flagged,
            findings={str(issue): n for issue, n in zip(_SQL_ISSUES, by_issue, strict=True) if n},
        )
        if not write or not result.created:
            return result
        if flagged and not justification:
            raise JustificationNeeded([])
        status = EnrolmentStatus.ACTIVE if activate else EnrolmentStatus.PROPOSED
        now = timezone.now()
        cursor.execute(
            f"""WITH made AS (
                    INSERT INTO programs_enrolment
                        (program_id, household_id, member_id, status, source, start_date, reason,
                         flags, justification, last_period, created_by_id, created_at, updated_at)
                    SELECT %s, c.id, NULL, %s, %s, %s, %s,
                           c.flags, CASE WHEN c.flags <> '{{}}' THEN %s ELSE '' END,
                           '', %s, %s, %s
                    FROM ({checked}) c WHERE NOT c.already
                    RETURNING id)
                INSERT INTO programs_enrolmentstatuschange
                    (enrolment_id, from_status, to_status, reason, by_id, at)
                SELECT id, '', %s, %s, %s, %s FROM made""",
            [
                program.pk,
                status,
                EnrolmentSource.REGISTRY_LIST,
                timezone.localdate() if activate else None,
                reason,
                justification,
                user.pk,
                now,
                now,
                *checked_params,
                status,
                reason,
                user.pk,
                now,
            ],
        )
        result.created = cursor.rowcount
    return result
