"""The rules of intakes and referrals: who may do what, which status follows which, due dates,
consent, the daily overdue job and the service log. Views, tasks and commands call these."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.claims import claim
from core.notifications import notify
from core.scope import area_of, code_in_area
from core.workdays import WorkCalendar, add_working_days
from households.models import Household, Member
from households.models.updates import UpdateKind
from households.services import updates as update_service
from households.services.update_apply import UpdateError
from programs.models import Agency, AgencyStaff
from referrals.choices import (
    DEFAULT_SERVICE_DAYS,
    OPEN_STATUSES,
    ConsentBasis,
    ReferralStatus,
)
from referrals.models import (
    Intake,
    IntakeNeed,
    Referral,
    ReferralEvent,
    ServiceLevel,
    ServicePoint,
)


class ReferralError(Exception):
    """A step refused, with a message for the user."""


# Intake ----------------------------------------------------------------------------------------


@dataclass
class UnregisteredPerson:
    """What a front office records of someone not in the registry: enough for a new-household
    proposal (``households.services.updates``), which the kecamatan and district then check."""

    household: dict
    member: dict
    nik_warnings: list


def record_intake(
    *,
    user,
    service_point: ServicePoint,
    channel: str,
    story: str,
    needs: list[tuple[str, str]],
    consent: str,
    consent_note: str = "",
    member: Member | None = None,
    person: UnregisteredPerson | None = None,
    desa_code: str | None = None,
    contact: str = "",
    submission: uuid.UUID | None = None,
) -> tuple[Intake, bool]:
    """Record a resident's contact and needs; (intake, created). The same ``submission`` token
    twice gives the first intake back (a double click, a re-sent form) instead of a copy."""
    if not user.has_perm("referrals.add_intake"):
        raise PermissionDenied
    if submission is not None:
        earlier = Intake.objects.filter(submission=submission).first()
        if earlier is not None:
            return earlier, False
    if not needs:
        raise ReferralError(_("Catat paling sedikit satu kebutuhan warga."))
    if not ServicePoint.objects.for_user(user).filter(pk=service_point.pk, active=True).exists():
        raise ReferralError(_("Puskesos ini tidak aktif atau di luar wilayah kerja Anda."))
    if member is None and person is None:
        raise ReferralError(_("Pilih warga dari registri atau catat warga yang belum terdaftar."))
    _check_consent(consent, consent_note)
    household = None
    if member is not None:
        household = (
            Household.objects.for_user(user).filter(pk=member.household_id).first()
            if user.has_perm("households.view_household")
            else None
        )
        if household is None:
            raise ReferralError(_("Warga ini di luar wilayah kerja Anda."))
        desa_code = household.desa_id
    elif not desa_code or not code_in_area(desa_code, area_of(user)):
        raise ReferralError(_("Desa/kelurahan ini di luar wilayah kerja Anda."))
    try:
        with transaction.atomic():
            intake = Intake.objects.create(
                service_point=service_point,
                desa_id=desa_code,
                household=household,
                member=member,
                person_name=person.member.get("nama", "") if person else "",
                contact=contact,
                channel=channel,
                story=story,
                consent=consent,
                consent_note=consent_note if consent != ConsentBasis.RESIDENT else "",
                created_by=user,
                submission=submission,
            )
            seen = set()
            for need, description in needs:
                if need in seen:
                    continue
                seen.add(need)
                IntakeNeed.objects.create(intake=intake, need=need, description=description)
            if person is not None:
                intake.data_update = _propose_person(user, intake, desa_code, person)
                intake.save(update_fields=["data_update"])
    except IntegrityError:
        earlier = Intake.objects.filter(submission=submission).first() if submission else None
        if earlier is None:
            raise
        return earlier, False
    return intake, True


def _propose_person(user, intake, desa_code, person: UnregisteredPerson):
    try:
        return update_service.propose(
            user=user,
            kind=UpdateKind.NEW_HOUSEHOLD,
            desa_code=desa_code,
            payload={
                "household": person.household,
                "members": [person.member],
                "nik_warnings": person.nik_warnings,
            },
            reason=_(
                "Warga belum terdaftar, dicatat pada layanan Puskesos %(point)s "
                "(layanan #%(intake)s)."
            )
            % {"point": intake.service_point.name, "intake": intake.pk},
            evidence="",
        )
    except UpdateError as error:
        raise ReferralError(str(error)) from error


def _check_consent(consent: str, note: str):
    if consent in (ConsentBasis.CHILD, ConsentBasis.EMERGENCY) and not note.strip():
        raise ReferralError(
            _("Tulis alasan berbagi data tanpa persetujuan warga (anak atau keadaan darurat).")
        )


# Referral --------------------------------------------------------------------------------------


def service_days(need: str) -> int:
    level = ServiceLevel.objects.filter(need=need).first()
    return level.working_days if level else DEFAULT_SERVICE_DAYS.get(need, 10)


def refer(
    *,
    user,
    need: IntakeNeed,
    agency: Agency,
    reason: str,
    document=None,
    consent: str | None = None,
    consent_note: str = "",
) -> Referral:
    """Send one need of an intake to an agency. The resident's data goes to the agency only
    with the consent recorded at intake, or an officer's override with a written reason."""
    if not user.has_perm("referrals.manage_referral"):
        raise PermissionDenied
    intake = Intake.objects.for_user(user).filter(pk=need.intake_id).first()
    if intake is None:
        raise ReferralError(_("Layanan ini di luar wilayah kerja Anda."))
    if not agency.active:
        raise ReferralError(
            _("%(agency)s tidak aktif; pilih OPD/lembaga lain.") % {"agency": agency.name}
        )
    if not Agency.objects.for_user(user).filter(pk=agency.pk).exists():
        raise ReferralError(_("OPD/lembaga ini di luar wilayah kerja Anda."))
    consent = consent if consent is not None else intake.consent
    consent_note = consent_note or intake.consent_note
    if not consent:
        raise ReferralError(
            _(
                "Rujukan membagikan data warga ke lembaga lain: catat dulu persetujuan warga, "
                "atau alasan tanpa persetujuan (anak atau keadaan darurat)."
            )
        )
    _check_consent(consent, consent_note)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                reference=f"tmp-{uuid.uuid4()}",
                intake=intake,
                need=need,
                desa_id=intake.desa_id,
                household_id=intake.household_id,
                agency=agency,
                service_point_id=intake.service_point_id,
                reason=reason,
                document=document or "",
                consent=consent,
                consent_note=consent_note if consent != ConsentBasis.RESIDENT else "",
                sent_on=today,
                due_date=add_working_days(today, service_days(need.need), intake.desa_id),
                created_by=user,
            )
            referral.reference = reference_for(referral)
            referral.save(update_fields=["reference"])
            ReferralEvent.objects.create(
                referral=referral, to_status=ReferralStatus.SENT, user=user, note=reason
            )
    except IntegrityError as error:
        raise ReferralError(
            _("Kebutuhan ini sudah dirujuk dan rujukannya masih berjalan.")
        ) from error
    notify(
        [staff.user for staff in agency.staff.select_related("user")],
        _("Rujukan baru %(reference)s: %(need)s")
        % {"reference": referral.reference, "need": need.get_need_display()},
        reverse("referrals:referral_detail", args=[referral.pk]),
        key=f"referral-new:{referral.pk}",
    )
    return referral


def reference_for(referral: Referral) -> str:
    """The number on the recommendation letter: ``RJK/<desa code>/<year>/<6-digit id>``."""
    return f"RJK/{referral.desa_id}/{referral.sent_on.year}/{referral.pk:06d}"


# Status steps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    from_statuses: tuple
    to_status: str
    # "provider": the agency's staff (respond_referral); "office": the sending side
    # (manage_referral).
    actor: str
    # The text the step must carry (a rejection's reason, the service given), if any.
    needs_note: bool = False


def _steps():
    return {
        "accept": Step("accept", _("Terima"), (ReferralStatus.SENT,), "accepted", "provider"),
        "reject": Step(
            "reject", _("Tolak"), (ReferralStatus.SENT,), "rejected", "provider", needs_note=True
        ),
        "start": Step(
            "start", _("Mulai layanan"), (ReferralStatus.ACCEPTED,), "in_service", "provider"
        ),
        "complete": Step(
            "complete",
            _("Selesai dilayani"),
            (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE),
            "completed",
            "provider",
            needs_note=True,
        ),
        "unresolved": Step(
            "unresolved",
            _("Tutup tanpa penyelesaian"),
            (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE),
            "unresolved",
            "provider",
            needs_note=True,
        ),
        "revoke": Step(
            "revoke",
            _("Batalkan rujukan"),
            (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE),
            "revoked",
            "office",
            needs_note=True,
        ),
    }


def steps() -> dict[str, Step]:
    return _steps()


def may_act(user, referral: Referral, step: Step) -> bool:
    if step.actor == "provider":
        return (
            user.has_perm("referrals.respond_referral")
            and referral.agency.staff.filter(user=user).exists()
        )
    return user.has_perm("referrals.manage_referral")


def steps_for(user, referral: Referral) -> list[Step]:
    return [
        step
        for step in steps().values()
        if referral.status in step.from_statuses and may_act(user, referral, step)
    ]


def change_status(user, referral: Referral, step_name: str, note: str = "") -> Referral:
    step = steps().get(step_name)
    if step is None:
        raise ReferralError(_("Langkah tidak dikenal."))
    if not Referral.objects.for_user(user).filter(pk=referral.pk).exists():
        raise ReferralError(_("Rujukan ini di luar wilayah kerja Anda."))
    if not may_act(user, referral, step):
        raise PermissionDenied
    note = note.strip()
    if step.needs_note and not note:
        messages = {
            "reject": _("Tulis alasan penolakan."),
            "complete": _("Tulis layanan yang diberikan."),
            "unresolved": _("Tulis alasan rujukan ditutup tanpa penyelesaian."),
            "revoke": _("Tulis alasan pembatalan."),
        }
        raise ReferralError(messages[step.name])
    values = {"status": step.to_status, "updated_at": timezone.now()}
    if step.name == "complete":
        values["outcome"] = note
    elif step.needs_note:
        values["closing_reason"] = note
    with transaction.atomic():
        if not claim(Referral.objects, referral.pk, step.from_statuses, **values):
            referral.refresh_from_db()
            raise ReferralError(
                _("Rujukan ini sudah berstatus %(status)s; langkah '%(step)s' tidak bisa.")
                % {"status": referral.get_status_display(), "step": step.label}
            )
        ReferralEvent.objects.create(
            referral=referral,
            from_status=referral.status,
            to_status=step.to_status,
            user=user,
            note=note,
        )
    referral.refresh_from_db()
    if step.actor == "provider":
        notify(
            [referral.created_by],
            _("Rujukan %(reference)s: %(status)s")
            % {"reference": referral.reference, "status": referral.get_status_display()},
            reverse("referrals:referral_detail", args=[referral.pk]),
        )
    elif step.name == "revoke":
        notify(
            [staff.user for staff in referral.agency.staff.select_related("user")],
            _("Rujukan %(reference)s dibatalkan: %(reason)s")
            % {"reference": referral.reference, "reason": note},
            reverse("referrals:inbox"),
        )
    return referral


# Follow-up -------------------------------------------------------------------------------------


def mark_overdue(today: datetime.date | None = None) -> dict:
    """The daily job: flag referrals past their due date that are still open, and tell, once a
    day, each sender and each agency's staff how many of theirs are late. Set-based: one UPDATE
    marks them however many there are."""
    today = today or timezone.localdate()
    marked = (
        Referral.objects.overdue(today)
        .filter(overdue_since__isnull=True)
        .update(overdue_since=today)
    )
    late = Referral.objects.overdue(today)
    by_sender = dict(
        late.values("created_by").annotate(n=Count("pk")).values_list("created_by", "n")
    )
    by_agency = dict(late.values("agency").annotate(n=Count("pk")).values_list("agency", "n"))
    told = 0
    users = get_user_model().objects.in_bulk(list(by_sender))
    for user_id, count in by_sender.items():
        told += notify(
            [users[user_id]],
            ngettext(
                "%(count)s rujukan yang Anda kirim melewati batas waktu.",
                "%(count)s rujukan yang Anda kirim melewati batas waktu.",
                count,
            )
            % {"count": count},
            reverse("referrals:referral_list") + "?terlambat=1",
            key=f"referrals-overdue-sent:{today.isoformat()}",
        )
    staff_by_agency = defaultdict(list)
    for staff in AgencyStaff.objects.filter(agency_id__in=list(by_agency)).select_related("user"):
        staff_by_agency[staff.agency_id].append(staff.user)
    for agency_id, count in by_agency.items():
        told += notify(
            staff_by_agency[agency_id],
            ngettext(
                "%(count)s rujukan untuk lembaga Anda melewati batas waktu.",
                "%(count)s rujukan untuk lembaga Anda melewati batas waktu.",
                count,
            )
            % {"count": count},
            reverse("referrals:inbox"),
            key=f"referrals-overdue-agency:{today.isoformat()}",
        )
    return {"marked": marked, "overdue": sum(by_agency.values()), "notified": told}


def overdue_by_service_point(user, today=None):
    """(service point, open referrals past due) of the user's area, most late first."""
    today = today or timezone.localdate()
    return (
        Referral.objects.for_user(user)
        .overdue(today)
        .values("service_point", "service_point__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "service_point__name")
    )


def provider_agencies(user):
    return Agency.objects.filter(staff__user=user)


# Daily service log -----------------------------------------------------------------------------


def service_log(service_point: ServicePoint, day: datetime.date) -> dict:
    """What a Puskesos reports upward for one day: residents served, needs, proposals for the
    registry, referrals sent, and services the agencies reported given."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    intakes = Intake.objects.filter(
        service_point=service_point, created_at__gte=start, created_at__lt=end
    )
    referrals = Referral.objects.filter(service_point=service_point)
    completed = ReferralEvent.objects.filter(
        referral__service_point=service_point,
        to_status=ReferralStatus.COMPLETED,
        at__gte=start,
        at__lt=end,
    )
    return {
        "intakes": intakes.count(),
        "needs": IntakeNeed.objects.filter(intake__in=intakes).count(),
        "proposals": intakes.filter(data_update__isnull=False).count(),
        "referrals_sent": referrals.filter(sent_on=day).count(),
        "services_completed": completed.count(),
        "open": referrals.filter(status__in=OPEN_STATUSES).count(),
        "overdue": referrals.overdue().count(),
        "rows": intakes.select_related("member", "household").prefetch_related(
            "needs", "referrals__agency"
        ),
    }


def due_in_working_days(referral: Referral, calendar: WorkCalendar | None = None) -> int:
    calendar = calendar or WorkCalendar(referral.desa_id)
    return calendar.working_days_between(timezone.localdate(), referral.due_date)


def ensure_service_levels():
    for need, days in DEFAULT_SERVICE_DAYS.items():
        ServiceLevel.objects.get_or_create(need=need, defaults={"working_days": days})
