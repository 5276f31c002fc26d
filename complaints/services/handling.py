"""Handling a complaint: triage, assignment, notes and replies, status steps, resolution,
closing in bulk, the appeal and the data-update proposal opened from a complaint.

Status machine (every step claimed with ``core.claims.claim``, so of two clicks one wins)::

    received → triaged → in_progress → resolved → closed
        └──────────┴───────────┴→ rejected (with reason)     resolved → in_progress (reopen)

Who: ``complaints.change_complaint`` triages, assigns, starts and writes notes/replies;
``complaints.resolve_complaint`` resolves, rejects, closes and reopens. An appeal is for a
senior officer: its resolving steps also need ``complaints.handle_appeal``. Every service
re-reads the complaint inside the user's area, so a view that forgot to cannot act outside it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.choices import (
    OPEN_STATUSES,
    Channel,
    ComplaintStatus,
    Decision,
    EscalationLevel,
    EventKind,
    Priority,
)
from complaints.models import Complaint, ComplaintEvent
from complaints.services import officers
from complaints.services.intake import Submitted, district_code_of, find_for_status_page
from complaints.services.sla import due_date_for
from core.claims import claim
from core.notifications import notify

S = ComplaintStatus


@dataclass(frozen=True)
class Transition:
    key: str
    label: str
    source: tuple
    target: str
    permission: str
    needs_reason: bool = False
    danger: bool = False
    resolving: bool = False


TRANSITIONS = {
    t.key: t
    for t in (
        Transition(
            "start",
            gettext_lazy("Mulai tangani"),
            (S.TRIAGED,),
            S.IN_PROGRESS,
            "complaints.change_complaint",
        ),
        Transition(
            "close",
            gettext_lazy("Tutup"),
            (S.RESOLVED,),
            S.CLOSED,
            "complaints.resolve_complaint",
            resolving=True,
        ),
        Transition(
            "reopen",
            gettext_lazy("Buka kembali"),
            (S.RESOLVED,),
            S.IN_PROGRESS,
            "complaints.resolve_complaint",
            needs_reason=True,
            resolving=True,
        ),
        Transition(
            "reject",
            gettext_lazy("Tolak"),
            OPEN_STATUSES,
            S.REJECTED,
            "complaints.resolve_complaint",
            needs_reason=True,
            danger=True,
            resolving=True,
        ),
    )
}

EVENT_OF_TARGET = {
    S.CLOSED: EventKind.CLOSED,
    S.REJECTED: EventKind.REJECTED,
    S.RESOLVED: EventKind.RESOLVED,
}


def in_area(user, complaint) -> Complaint:
    """The complaint re-read inside the user's area; PermissionDenied outside it."""
    found = Complaint.objects.for_user(user).filter(pk=complaint.pk).first()
    if found is None:
        raise PermissionDenied
    return found


def _may_resolve(user, complaint) -> bool:
    if not user.has_perm("complaints.resolve_complaint"):
        return False
    return complaint.appeal_of_id is None or user.has_perm("complaints.handle_appeal")


def may_change(user, complaint, transition: Transition) -> bool:
    if complaint.status not in transition.source or not user.has_perm(transition.permission):
        return False
    return not transition.resolving or _may_resolve(user, complaint)


def transitions_for(user, complaint) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if may_change(user, complaint, t)]


def may_triage(user, complaint) -> bool:
    return complaint.status == S.RECEIVED and user.has_perm("complaints.change_complaint")


def may_resolve(user, complaint) -> bool:
    return complaint.status in (S.TRIAGED, S.IN_PROGRESS) and _may_resolve(user, complaint)


def _event(complaint, kind, user, *, text="", public=False, from_status="", to_status=""):
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        text=text,
        public=public,
        by=user,
        from_status=from_status,
        to_status=to_status,
    )


def _touch(**values) -> dict:
    return {**values, "updated_at": timezone.now()}


@transaction.atomic
def triage(complaint, user, *, category, priority, household=None, program=None) -> bool:
    """Ditelaah: category (its service level moves the due date), priority and the household and
    program the complaint is about. False when someone else triaged it first."""
    complaint = in_area(user, complaint)
    if not may_triage(user, complaint):
        raise PermissionDenied
    due = complaint.due_date
    if category.pk != complaint.category_id:
        due = due_date_for(
            timezone.localdate(complaint.received_at), category.service_days, complaint.desa_id
        )
    if not claim(
        Complaint.objects,
        complaint.pk,
        S.RECEIVED,
        **_touch(
            status=S.TRIAGED,
            category=category,
            priority=priority,
            household=household,
            program=program,
            service_days=category.service_days,
            due_date=due,
        ),
    ):
        return False
    _event(
        complaint, EventKind.TRIAGED, user, public=True, from_status=S.RECEIVED, to_status=S.TRIAGED
    )
    return True


@transaction.atomic
def assign(complaint, user, assignee) -> None:
    """Give the complaint to an officer whose area covers its desa; they get a notification."""
    complaint = in_area(user, complaint)
    if not user.has_perm("complaints.change_complaint") or not complaint.is_open:
        raise PermissionDenied
    if not officers.officers_for(complaint.desa_id).filter(pk=assignee.pk).exists():
        raise ValidationError(_("Petugas ini tidak menangani pengaduan di desa ini."))
    Complaint.objects.filter(pk=complaint.pk).update(**_touch(assignee=assignee))
    name = assignee.get_full_name() or assignee.username
    _event(complaint, EventKind.ASSIGNED, user, text=name)
    if assignee.pk != user.pk:
        notify(
            [assignee],
            _("Pengaduan %(ticket)s ditugaskan kepada Anda.") % {"ticket": complaint.ticket},
            url=complaint.get_absolute_url(),
        )


def add_note(complaint, user, text: str, *, public: bool) -> ComplaintEvent:
    """An internal note, or (``public``) a reply the complainant reads on the status page."""
    complaint = in_area(user, complaint)
    if not user.has_perm("complaints.change_complaint"):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError(_("Isi catatan tidak boleh kosong."))
    kind = EventKind.REPLY if public else EventKind.NOTE
    return _event(complaint, kind, user, text=text, public=public)


@transaction.atomic
def change_status(complaint, key: str, user, reason: str = "") -> bool:
    """One of ``TRANSITIONS``; False when the complaint moved on in the meantime."""
    complaint = in_area(user, complaint)
    transition = TRANSITIONS.get(key)
    if transition is None or not may_change(user, complaint, transition):
        raise PermissionDenied
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ValidationError(_("Tuliskan alasannya."))
    values = {"status": transition.target}
    now = timezone.now()
    if transition.target in (S.CLOSED, S.REJECTED):
        values["closed_at"] = now
    if transition.target == S.REJECTED:
        values["status_reason"] = reason
    if key == "reopen":
        values.update(resolved_at=None, decision="")
    if not claim(Complaint.objects, complaint.pk, transition.source, **_touch(**values)):
        return False
    _event(
        complaint,
        EVENT_OF_TARGET.get(transition.target, EventKind.STATUS),
        user,
        text=reason,
        public=True,
        from_status=complaint.status,
        to_status=transition.target,
    )
    return True


@transaction.atomic
def resolve(complaint, user, *, decision: str, public_reply: str, note: str = "") -> bool:
    """Selesai ditangani: the decision and the reply the complainant reads."""
    complaint = in_area(user, complaint)
    if not may_resolve(user, complaint):
        raise PermissionDenied
    public_reply = public_reply.strip()
    if decision not in Decision.values:
        raise ValidationError(_("Pilih keputusan."))
    if not public_reply:
        raise ValidationError(_("Tuliskan jawaban untuk pelapor."))
    if not claim(
        Complaint.objects,
        complaint.pk,
        (S.TRIAGED, S.IN_PROGRESS),
        **_touch(
            status=S.RESOLVED,
            decision=decision,
            public_reply=public_reply,
            resolved_at=timezone.now(),
        ),
    ):
        return False
    _event(
        complaint,
        EventKind.RESOLVED,
        user,
        text=public_reply,
        public=True,
        from_status=complaint.status,
        to_status=S.RESOLVED,
    )
    if note.strip():
        _event(complaint, EventKind.NOTE, user, text=note.strip())
    return True


@transaction.atomic
def close_many(user, ids) -> int:
    """Close the resolved complaints among ``ids`` that the user may close; how many closed."""
    if not user.has_perm("complaints.resolve_complaint"):
        raise PermissionDenied
    candidates = Complaint.objects.for_user(user).filter(pk__in=list(ids), status=S.RESOLVED)
    if not user.has_perm("complaints.handle_appeal"):
        candidates = candidates.filter(appeal_of__isnull=True)
    now = timezone.now()
    # Locked rows only: a complaint another officer is reopening right now stays as it is.
    closed = list(
        candidates.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)
    )
    Complaint.objects.filter(pk__in=closed).update(status=S.CLOSED, closed_at=now, updated_at=now)
    ComplaintEvent.objects.bulk_create(
        ComplaintEvent(
            complaint_id=pk,
            kind=EventKind.CLOSED,
            public=True,
            by=user,
            from_status=S.RESOLVED,
            to_status=S.CLOSED,
            at=now,
        )
        for pk in closed
    )
    return len(closed)


def may_appeal(complaint) -> bool:
    return (
        complaint.status == S.CLOSED
        and complaint.appeal_of_id is None
        and not _has_appeal(complaint)
    )


def _has_appeal(complaint) -> bool:
    return Complaint.objects.filter(appeal_of=complaint).exists()


def appeal(ticket: str, code: str, reason: str) -> Submitted:
    """Banding: the complainant (with the tracking code) asks once for a closed complaint to be
    looked at again; a new complaint linked to it goes to the district's senior officers."""
    original = find_for_status_page(ticket, code)
    if original is None:
        raise ValidationError(_("Nomor tiket atau kode pelacakan tidak cocok."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tuliskan alasan banding."))
    if not may_appeal(original):
        raise ValidationError(_("Pengaduan ini tidak bisa diajukan banding."))
    now = timezone.now()
    appeal_complaint = Complaint(
        channel=Channel.WEB,
        category=original.category,
        priority=Priority.HIGH,
        description=reason,
        nik=original.nik,
        no_kk=original.no_kk,
        desa_id=original.desa_id,
        anonymous=original.anonymous,
        complainant_name=original.complainant_name,
        complainant_contact=original.complainant_contact,
        household_id=original.household_id,
        program_id=original.program_id,
        service_days=original.service_days,
        due_date=due_date_for(timezone.localdate(now), original.service_days, original.desa_id),
        escalation_level=EscalationLevel.DISTRICT,
        appeal_of=original,
        received_at=now,
        updated_at=now,
    )
    new_code = appeal_complaint.set_tracking_code()
    try:
        with transaction.atomic():
            appeal_complaint.save()
    except IntegrityError:
        raise ValidationError(_("Pengaduan ini sudah pernah diajukan banding.")) from None
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(
                complaint=appeal_complaint,
                kind=EventKind.SUBMITTED,
                to_status=S.RECEIVED,
                public=True,
            ),
            ComplaintEvent(
                complaint=original,
                kind=EventKind.APPEALED,
                text=appeal_complaint.ticket,
                public=True,
            ),
        ]
    )
    notify(
        officers.officers_of_area(district_code_of(original.desa_id), "handle_appeal"),
        _("Banding %(ticket)s atas pengaduan %(original)s menunggu penanganan.")
        % {"ticket": appeal_complaint.ticket, "original": original.ticket},
        url=appeal_complaint.get_absolute_url(),
        key=f"complaints:appeal:{appeal_complaint.pk}",
    )
    return Submitted(appeal_complaint, new_code)


@transaction.atomic
def open_data_update(complaint, user, *, kind, payload, reason, evidence, member=None):
    """A data-update proposal for the complaint's household, linked back to the complaint."""
    from households.services import updates as update_service
    from households.services.update_apply import UpdateError

    complaint = in_area(user, complaint)
    if not user.has_perm("complaints.change_complaint") or not complaint.is_open:
        raise PermissionDenied
    if complaint.household is None:
        raise ValidationError(_("Hubungkan pengaduan dengan keluarga terlebih dulu."))
    try:
        update = update_service.propose(
            user=user,
            kind=kind,
            desa_code=complaint.household.desa_id,
            household=complaint.household,
            member=member,
            payload=payload,
            reason=reason,
            evidence=evidence,
        )
    except UpdateError as error:
        raise ValidationError(str(error)) from None
    Complaint.objects.filter(pk=complaint.pk).update(**_touch(data_update=update))
    _event(complaint, EventKind.DATA_UPDATE, user, text=f"#{update.pk} {update.get_kind_display()}")
    return update


@transaction.atomic
def open_referral(complaint, user, **intake):
    """A Puskesos intake of the complaint's household head with the needs to refer
    (``referrals.services.record_intake``), linked back to the complaint."""
    from households.choices import MemberStatus
    from referrals.services import ReferralError, record_intake

    complaint = in_area(user, complaint)
    if not user.has_perm("complaints.change_complaint") or not complaint.is_open:
        raise PermissionDenied
    if complaint.household is None:
        raise ValidationError(_("Hubungkan pengaduan dengan keluarga terlebih dulu."))
    # The head of the family (relationship 1) first, else the next member still listed.
    head = (
        complaint.household.members.filter(status=MemberStatus.ALIVE)
        .order_by("hubungan_keluarga", "pk")
        .first()
    )
    if head is None:
        raise ValidationError(_("Keluarga ini tidak punya anggota yang masih tercatat."))
    try:
        made, created = record_intake(user=user, member=head, **intake)
    except ReferralError as error:
        raise ValidationError(str(error)) from None
    if created:
        Complaint.objects.filter(pk=complaint.pk).update(**_touch(intake=made))
        _event(complaint, EventKind.REFERRAL, user, text=_("Layanan #%(id)s") % {"id": made.pk})
    return made
