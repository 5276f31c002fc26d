"""A program's eligibility rule, evaluated in one place (enrolment forms, bulk enrolment, the
household panel). A broken rule does not refuse an enrolment: national lists are the ministry's
decision; the enrolment needs a written justification and keeps the issues as flags."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from programs.choices import EligibilityIssue, PkhComponent
from programs.services.components import age_on, disabled_member_ids, household_components


@dataclass(frozen=True)
class Finding:
    issue: str
    reason: str


def _age_band_text(program) -> str:
    if program.min_age is not None and program.max_age is not None:
        return _("%(min)s–%(max)s tahun") % {"min": program.min_age, "max": program.max_age}
    if program.min_age is not None:
        return _("minimal %(min)s tahun") % {"min": program.min_age}
    return _("maksimal %(max)s tahun") % {"max": program.max_age}


def _in_band(program, age: int) -> bool:
    return (program.min_age is None or age >= program.min_age) and (
        program.max_age is None or age <= program.max_age
    )


def evaluate(
    program, household, member=None, day: datetime.date | None = None, disabled=None
) -> list[Finding]:
    """What in ``program``'s rule ``household`` (or ``member``, for member programs) breaks;
    an empty list when it qualifies. ``disabled``: the ids of members with a disability when the
    caller found them for many households at once (``components.disabled_member_ids``)."""
    day = day or datetime.date.today()
    findings = []
    if household.status != "active":
        findings.append(
            Finding(
                EligibilityIssue.HOUSEHOLD_INACTIVE,
                _("Status keluarga di registri: %(status)s.")
                % {"status": household.get_status_display()},
            )
        )
    if program.max_desil is not None:
        if household.desil is None:
            findings.append(
                Finding(
                    EligibilityIssue.NO_DESIL,
                    _("Desil keluarga belum diketahui; program ini untuk desil 1–%(max)s.")
                    % {"max": program.max_desil},
                )
            )
        elif household.desil > program.max_desil:
            findings.append(
                Finding(
                    EligibilityIssue.ABOVE_CEILING,
                    _("Keluarga di desil %(desil)s; program ini untuk desil 1–%(max)s.")
                    % {"desil": household.desil, "max": program.max_desil},
                )
            )
    needs_members = (
        program.required_components
        or program.min_age is not None
        or program.max_age is not None
        or program.requires_disability
    )
    components = household_components(household, day, disabled) if needs_members else []
    if program.required_components:
        given = {item.component for item in components}
        if member is not None:
            given = {item.component for item in components if item.member.pk == member.pk}
        if not given & set(program.required_components):
            names = ", ".join(str(PkhComponent(c).label) for c in program.required_components)
            findings.append(
                Finding(
                    EligibilityIssue.NO_COMPONENT,
                    _("Tidak ada komponen yang disyaratkan (%(names)s).") % {"names": names},
                )
            )
    if program.min_age is not None or program.max_age is not None:
        people = [member] if member is not None else list(household.members.all())
        alive = [person for person in people if person.status == "alive"]
        if not any(_in_band(program, age_on(person.tanggal_lahir, day)) for person in alive):
            findings.append(
                Finding(
                    EligibilityIssue.AGE,
                    (
                        _("Anggota ini di luar batas usia program (%(band)s).")
                        if member is not None
                        else _("Tidak ada anggota dalam batas usia program (%(band)s).")
                    )
                    % {"band": _age_band_text(program)},
                )
            )
    if program.requires_disability:
        people = [member] if member is not None else list(household.members.all())
        alive = [person for person in people if person.status == "alive"]
        if disabled is None:
            disabled = disabled_member_ids(alive)
        if not any(person.pk in disabled for person in alive):
            findings.append(
                Finding(
                    EligibilityIssue.NO_DISABILITY,
                    _("Program ini untuk penyandang disabilitas; tidak ada yang tercatat."),
                )
            )
    return findings
