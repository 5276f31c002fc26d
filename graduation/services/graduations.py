"""Graduasi: proposed (facilitator) → verified (kecamatan) → approved (district), or rejected.

Approval ends the household's enrolment in the program it leaves as *graduated* and proposes
the empowerment enrolment chosen on the record (``programs.services.enrolments``), and sets the
follow-up visits 6 and 12 months after the approval date — all in one transaction, so a
refusal on the way (the enrolment ended meanwhile, the program closed) leaves nothing written.
Every step is one conditional update (``core.claims.claim``) plus a timeline row.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.claims import claim
from graduation.choices import (
    GraduationKind,
    GraduationStatus,
    MonitoringRound,
)
from graduation.models import (
    Assignment,
    Facilitator,
    Graduation,
    GraduationEvidence,
    GraduationStatusChange,
    MonitoringVisit,
    assigned_household_ids,
    is_caseload_user,
)
from graduation.services.candidates import GRADUATING_STATUSES, pkh_program
from households.models import Household
from programs.choices import EnrolmentSource, ProgramKind
from programs.models import Enrolment
from programs.services import enrolments as enrolment_service


def caseload_households(user):
    """The households ``user`` may act on in this app: their area, and for a facilitator only
    those assigned to them."""
    households = Household.objects.for_user(user)
    if is_caseload_user(user):
        households = households.filter(pk__in=assigned_household_ids(user))
    return households


def leaving_enrolment(household, program) -> Enrolment | None:
    return Enrolment.objects.filter(
        program=program, household=household, member__isnull=True, status__in=GRADUATING_STATUSES
    ).first()


def facilitator_of(household, user) -> Facilitator | None:
    """Whose graduation it is (their target): the proposer when they are a facilitator, else
    the household's assigned PKH facilitator."""
    own = Facilitator.objects.filter(user=user).first()
    if own is not None:
        return own
    assignment = (
        Assignment.objects.filter(household=household, active=True)
        .select_related("facilitator")
        .order_by("facilitator__kind", "pk")
        .first()
    )
    return assignment.facilitator if assignment else None


def propose(
    *,
    household,
    user,
    kind: str,
    graduation_date: datetime.date,
    reasons: str,
    readiness: dict | None = None,
    readiness_notes: str = "",
    statement=None,
    evidence=(),
    next_program=None,
    program=None,
) -> Graduation:
    """Propose ``household``'s graduation from ``program`` (PKH by default).

    ValidationError, with nothing written, for a household not in the program, one already
    proposed or graduated, a date in the future, a *sejahtera mandiri* graduation without the
    signed statement, or a next program that is not an empowerment program."""
    if not user.has_perm("graduation.add_graduation"):
        raise PermissionDenied
    household = caseload_households(user).filter(pk=household.pk).first()
    if household is None:
        raise PermissionDenied
    program = program or pkh_program()
    if program is None:
        raise ValidationError(_("Program PKH belum ada di katalog program."))
    standing = Graduation.objects.standing().filter(household=household, program=program).first()
    if standing is not None:
        raise ValidationError(
            _(
                "Keluarga ini sudah diusulkan graduasi dari %(program)s (graduasi #%(pk)s, "
                "status %(status)s)."
            )
            % {"program": program.code, "pk": standing.pk, "status": standing.get_status_display()}
        )
    enrolment = leaving_enrolment(household, program)
    if enrolment is None:
        raise ValidationError(
            _("Keluarga ini bukan peserta aktif %(program)s: tidak ada yang dapat digraduasi.")
            % {"program": program.code}
        )
    if graduation_date > timezone.localdate():
        raise ValidationError(_("Tanggal graduasi tidak boleh di masa depan."))
    if kind == GraduationKind.SELF_RELIANT and not statement:
        raise ValidationError(
            _("Graduasi sejahtera mandiri memerlukan surat pernyataan yang ditandatangani.")
        )
    if next_program is not None and next_program.kind != ProgramKind.EMPOWERMENT:
        raise ValidationError(_("Program berikutnya harus program pemberdayaan."))
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError(_("Tuliskan alasan graduasi."))
    now = timezone.now()
    try:
        with transaction.atomic():
            graduation = Graduation.objects.create(
                household=household,
                program=program,
                enrolment=enrolment,
                facilitator=facilitator_of(household, user),
                kind=kind,
                graduation_date=graduation_date,
                reasons=reasons,
                readiness_notes=readiness_notes.strip(),
                statement=statement or "",
                next_program=next_program,
                proposed_by=user,
                created_at=now,
                updated_at=now,
                **(readiness or {}),
            )
            GraduationStatusChange.objects.create(
                graduation=graduation, to_status=GraduationStatus.PROPOSED, by=user, at=now
            )
            for upload in evidence:
                GraduationEvidence.objects.create(
                    graduation=graduation, file=upload, uploaded_by=user
                )
    except IntegrityError as error:
        raise ValidationError(
            _("Keluarga ini baru saja diusulkan graduasi oleh orang lain.")
        ) from error
    return graduation


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    source: tuple
    target: str
    needs_note: bool = False
    danger: bool = False


STEPS = {
    step.key: step
    for step in (
        Step(
            "verify",
            gettext_lazy("Verifikasi"),
            (GraduationStatus.PROPOSED,),
            GraduationStatus.VERIFIED,
        ),
        Step(
            "approve",
            gettext_lazy("Setujui graduasi"),
            (GraduationStatus.VERIFIED,),
            GraduationStatus.APPROVED,
        ),
        Step(
            "reject",
            gettext_lazy("Tolak"),
            (GraduationStatus.PROPOSED, GraduationStatus.VERIFIED),
            GraduationStatus.REJECTED,
            needs_note=True,
            danger=True,
        ),
    )
}


def may_step(user, graduation: Graduation, step: Step) -> bool:
    """The kecamatan (``verify_graduation``) verifies or rejects a proposal; the district
    (``approve_graduation``) approves or rejects a verified one (or a proposal). A facilitator
    never does either, and nobody checks their own proposal."""
    if graduation.status not in step.source or is_caseload_user(user):
        return False
    if graduation.proposed_by_id == user.pk:
        return False
    may_verify = user.has_perm("graduation.verify_graduation")
    may_approve = user.has_perm("graduation.approve_graduation")
    if step.key == "verify":
        return may_verify
    if step.key == "approve":
        return may_approve
    return may_approve or (may_verify and graduation.status == GraduationStatus.PROPOSED)


def steps_for(user, graduation: Graduation) -> list[Step]:
    return [step for step in STEPS.values() if may_step(user, graduation, step)]


def take_step(graduation: Graduation, key: str, user, note: str = "") -> bool:
    """Make step ``key``; False when someone else moved the graduation first. PermissionDenied
    when ``user`` may not; ValidationError for a missing note or an approval that cannot end the
    enrolment (nothing is written then)."""
    step = STEPS[key]
    if not may_step(user, graduation, step):
        raise PermissionDenied
    note = note.strip()
    if step.needs_note and not note:
        raise ValidationError(_("Tuliskan alasannya."))
    now = timezone.now()
    values = {"status": step.target, "updated_at": now}
    if step.target == GraduationStatus.APPROVED:
        values["approved_on"] = timezone.localdate()
    if step.target == GraduationStatus.REJECTED:
        values["rejection_reason"] = note
    with transaction.atomic():
        if not claim(Graduation.objects.all(), graduation.pk, graduation.status, **values):
            return False
        GraduationStatusChange.objects.create(
            graduation=graduation,
            from_status=graduation.status,
            to_status=step.target,
            note=note,
            by=user,
            at=now,
        )
        for name, value in values.items():
            setattr(graduation, name, value)
        if step.target == GraduationStatus.APPROVED:
            _complete(graduation, user)
    return True


def _complete(graduation: Graduation, user) -> None:
    """End the enrolment as graduated, propose the empowerment enrolment, set the visits."""
    reason = _("Graduasi #%(pk)s: %(kind)s") % {
        "pk": graduation.pk,
        "kind": graduation.get_kind_display(),
    }
    enrolment = leaving_enrolment(graduation.household, graduation.program)
    if enrolment is None or not enrolment_service.change_status(
        enrolment, "graduate", user, reason
    ):
        raise ValidationError(
            _(
                "Kepesertaan %(program)s keluarga ini sudah tidak aktif; graduasi tidak dapat "
                "disetujui (tolak usulan ini)."
            )
            % {"program": graduation.program.code}
        )
    update = {"enrolment": enrolment}
    if graduation.next_program is not None:
        next_enrolment = enrolment_service.open_enrolment(
            graduation.next_program, graduation.household
        ) or enrolment_service.enrol(
            program=graduation.next_program,
            household=graduation.household,
            user=user,
            source=EnrolmentSource.SYSTEM,
            reason=reason,
            justification=reason,
        )
        update["next_enrolment"] = next_enrolment
    Graduation.objects.filter(pk=graduation.pk).update(**update)
    for name, value in update.items():
        setattr(graduation, name, value)
    MonitoringVisit.objects.bulk_create(
        MonitoringVisit(
            graduation=graduation,
            round=visit_round,
            due_on=visit_due(graduation.approved_on, visit_round),
        )
        for visit_round in MonitoringRound.values
    )


def visit_due(approved_on: datetime.date, months: int) -> datetime.date:
    """6 or 12 months after approval (31 August + 6 months → 28/29 February)."""
    return approved_on + relativedelta(months=months)


def record_visit(
    visit: MonitoringVisit,
    user,
    *,
    visited_on: datetime.date,
    still_self_reliant: bool,
    income_source: str = "",
    needs: str = "",
) -> MonitoringVisit:
    if not user.has_perm("graduation.change_monitoringvisit"):
        raise PermissionDenied
    if visited_on > timezone.localdate():
        raise ValidationError(_("Tanggal kunjungan tidak boleh di masa depan."))
    approved_on = visit.graduation.approved_on
    if approved_on and visited_on < approved_on:
        raise ValidationError(_("Tanggal kunjungan tidak boleh sebelum graduasi disetujui."))
    visit.visited_on = visited_on
    visit.still_self_reliant = still_self_reliant
    visit.income_source = income_source.strip()
    visit.needs = needs.strip()
    visit.recorded_by = user
    visit.save()
    return visit
