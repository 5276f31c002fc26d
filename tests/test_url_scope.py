"""Every URL of the project, requested by people who must not get in.

The patterns are read from the URL resolver (not a hand list), so a view added tomorrow is
checked the day it is added:

- anonymous visitors are sent to a login page (or get 404/405), except on the public pages of
  ``PUBLIC``;
- for a URL that names an object of kecamatan A, an operator of kecamatan B and an Admin Dinas of
  another kabupaten (who holds every permission) get a 404 for GET and POST — never the page,
  never a 403 that tells them the record exists;
- the district admin of A does reach those URLs (so the test cannot pass by filling in an id
  that does not exist);
- every persona, the in-area Mitra layanan without permissions and the other kabupaten's admin
  included, opens every URL (lists, exports, htmx partials, pickers, with filter values) and
  never sees a canary household of an area it must not see (see "Canaries" below).

How a URL is filled: each keyword argument is looked up in ``FILL`` first as
``"<url name>:<kwarg>"`` (for ``pk``, whose model depends on the view), then as the bare kwarg
name (``household_pk`` means a household everywhere). A value in ``OBJECTS`` is an object of
kecamatan A created by the ``objects_in_a`` fixture; anything else is used as it is (a slug, a
file format). A new pattern with a kwarg this table does not know makes the test fail and name
the URL: add a line to ``FILL`` (and, for a new kind of object, build one in ``objects_in_a``).
"""

import io
import re
import zipfile
from datetime import date, timedelta
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape

from core.models import Holiday, Notification
from households.choices import Relationship, Sex
from households.models import DataUpdate, DuplicateCandidate, Household, ImportJob
from households.models.updates import DuplicateReason, UpdateKind
from information.models import Report
from tests.conftest import DESA_A1, KEC_A, client_for
from tests.households import registry_factory as make

# URLs anybody may open without logging in (the admin site has its own login page).
PUBLIC = {
    "login",
    "set_language",
    "admin:login",
    "admin:logout",
    # The public complaint pages (no account): file, result, status check, appeal.
    "complaints:public_submit",
    "complaints:public_received",
    "complaints:public_status",
    "complaints:public_appeal",
}

# The objects of kecamatan A that object URLs are filled with (built by ``objects_in_a``).
OBJECTS = {
    "household",
    "member",
    "staff",
    "data_update",
    "duplicate",
    "import_job",
    "agency",
    "agency_staff",
    "program",
    "enrolment",
    "disbursement",
    "group",
    "group_membership",
    "list_import_job",
    "complaint",
    "graduation",
    "graduation_evidence",
    "facilitator",
    "assignment",
    "visit",
    "holiday",
    "notification",
    "service_point",
    "intake",
    "intake_need",
    "referral",
    "report",
}

FILL = {
    # by kwarg name, where it means the same thing in every URL
    "household_pk": "household",
    "member_pk": "member",
    # ``pk`` per URL
    "accounts:staff_update:pk": "staff",
    "accounts:staff_set_active:pk": "staff",
    "households:household_detail:pk": "household",
    "households:household_edit:pk": "household",
    "households:member_add:pk": "household",
    "households:member_edit:pk": "member",
    "households:update_detail:pk": "data_update",
    "households:update_evidence:pk": "data_update",
    "households:update_verify:pk": "data_update",
    "households:update_approve:pk": "data_update",
    "households:update_reject:pk": "data_update",
    "households:duplicate_detail:pk": "duplicate",
    "households:duplicate_merge:pk": "duplicate",
    "households:duplicate_dismiss:pk": "duplicate",
    "households:import_detail:pk": "import_job",
    "households:import_progress:pk": "import_job",
    "households:import_confirm:pk": "import_job",
    "households:import_cancel:pk": "import_job",
    "households:import_rerun:pk": "import_job",
    "households:import_error_report:pk": "import_job",
    "enrolment": "enrolment",
    "programs:enrolment_detail:pk": "enrolment",
    "programs:list_import_detail:pk": "list_import_job",
    "programs:list_import_progress:pk": "list_import_job",
    "programs:list_import_confirm:pk": "list_import_job",
    "programs:list_import_cancel:pk": "list_import_job",
    "programs:list_import_issues:pk": "list_import_job",
    "programs:enrolment_status:pk": "enrolment",
    "programs:program_detail:pk": "program",
    "programs:program_edit:pk": "program",
    "programs:program_targets:pk": "program",
    "programs:agency_detail:pk": "agency",
    "programs:agency_edit:pk": "agency",
    "programs:agency_staff_add:pk": "agency",
    "programs:agency_staff_remove:pk": "agency_staff",
    "programs:disbursement_edit:pk": "disbursement",
    "programs:group_detail:pk": "group",
    "programs:group_edit:pk": "group",
    "programs:group_member_add:pk": "group",
    "programs:group_progress_add:pk": "group",
    "programs:group_member_remove:pk": "group_membership",
    "complaints:complaint_detail:pk": "complaint",
    "complaints:complaint_triage:pk": "complaint",
    "complaints:complaint_assign:pk": "complaint",
    "complaints:complaint_status:pk": "complaint",
    "complaints:complaint_resolve:pk": "complaint",
    "complaints:complaint_note:pk": "complaint",
    "complaints:complaint_attachment:pk": "complaint",
    "complaints:complaint_refer:pk": "complaint",
    "complaints:complaint_propose_update:pk": "complaint",
    "graduation:graduation_detail:pk": "graduation",
    "graduation:graduation_step:pk": "graduation",
    "graduation:statement_download:pk": "graduation",
    "graduation:evidence_download:pk": "graduation",
    "evidence_pk": "graduation_evidence",
    "graduation:visit_record:pk": "visit",
    "graduation:facilitator_detail:pk": "facilitator",
    "graduation:facilitator_edit:pk": "facilitator",
    "graduation:target_set:pk": "facilitator",
    "graduation:assignment_end:pk": "assignment",
    "core:holiday_delete:pk": "holiday",
    "referrals:intake_detail:pk": "intake",
    "referrals:refer:pk": "intake",
    "need_pk": "intake_need",
    "referrals:referral_detail:pk": "referral",
    "referrals:referral_step:pk": "referral",
    "referrals:referral_letter:pk": "referral",
    "referrals:service_point_edit:pk": "service_point",
    "referrals:referral_step:step": "accept",
    "core:notification_open:pk": "notification",
    "information:report_detail:pk": "report",
    "information:report_progress:pk": "report",
    "information:report_download:pk": "report",
    # values that are not objects
    "complaints:complaint_propose_update:slug": "tinjau-desil",
    "complaints:pattern_export:file_format": "xlsx",
    # a seeded category (``build_complaints`` puts the seeds back after a truncating test)
    "complaints:category_edit:code": "lainnya",
    "programs:benefit_rate_edit:year": "2025",
    "households:propose_update:slug": "perbaikan",
    "households:registry_export:file_format": "xlsx",
}

# Object URLs that answer 404 even to the district admin of A for the object the fixture
# builds, with the reason (the scope check above still applies to them).
ADMIN_404 = {
    "households:update_evidence": "the proposal built here has no evidence file",
    "households:import_error_report": "the import job built here has no error report yet",
    "complaints:complaint_attachment": "the complaint built here has no attachment",
    "graduation:statement_download": "the graduation built here has no statement file",
    "graduation:evidence_download": "the evidence row built here has no file on disk",
    "core:notification_open": "a notification is its owner's (operator_a's) alone",
    "information:report_download": "the monthly recap built here has no file yet",
}

ADMIN_KWARGS = {
    "app_label": "auth",
    "object_id": "1",
    "id": "1",
    "content_type_id": 1,
    "url": "x/",
}


def walk(patterns, namespace="", prefix=""):
    """(url name, route, kwarg names) for every pattern, namespaces joined with ':'."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            kwargs = list(re.compile(route.replace("^", "")).groupindex) if "(?P<" in route else []
            kwargs += re.findall(r"<(?:\w+:)?(\w+)>", route)
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, route, kwargs


ALL_PATTERNS = list(walk(get_resolver().url_patterns))


@pytest.fixture
def objects_in_a(operator_a, district_admin):
    return build_objects_in_a(operator_a)


def build_objects_in_a(operator_a) -> dict:
    """One object of each kind in kecamatan A; ``operator_a`` proposes and imports."""
    household = make.household(desa=DESA_A1)
    head = make.member(household, "Budi Santoso", make.years_old(45), Sex.MALE, Relationship.HEAD)
    other = make.household(desa=DESA_A1)
    twin = make.member(other, "Budi Santosa", head.tanggal_lahir, Sex.MALE, Relationship.HEAD)
    update = DataUpdate.objects.create(
        kind=UpdateKind.DECILE_REVIEW,
        household=household,
        desa_id=DESA_A1,
        payload={"desil_before": household.desil, "desil": 1},
        reason="Hasil musyawarah desa",
        proposed_by=operator_a,
    )
    duplicate = DuplicateCandidate.objects.create(
        member_a=head, member_b=twin, reason=DuplicateReason.SIMILAR_NAME, score=0.9
    )
    job = ImportJob.objects.create(original_name="registri.xlsx", user=operator_a, area_code=KEC_A)
    # A day off of kecamatan A only (districts add theirs at kabupaten level; the view allows
    # any region, and scope must hold for it too).
    holiday = Holiday.objects.create(date=date(2026, 6, 2), name="Libur uji", region_id=KEC_A)
    notification = Notification.objects.create(user=operator_a, message="Rujukan terlambat")
    # A monthly recap of kecamatan A (asked by nobody: everyone of A may open it).
    report = Report.objects.create(
        kind="registry_recap",
        area_id=KEC_A,
        year=2026,
        month=1,
        expires_at=timezone.now() + timedelta(days=30),
    )
    return {
        **build_programs(household, head, KEC_A),
        **build_referrals(head, operator_a),
        "complaint": build_complaint(household),
        "household": household,
        "member": head,
        "staff": operator_a,
        "data_update": update,
        "duplicate": duplicate,
        "import_job": job,
        "holiday": holiday,
        "notification": notification,
        "report": report,
    }


def build_referrals(member, user) -> dict:
    """A Puskesos of the member's desa, an intake of the member with one need, and that need
    referred to an agency of the desa's kecamatan (nobody of the personas works there)."""
    import uuid

    from programs.models import Agency
    from referrals import services as referral_services
    from referrals.models import ServicePoint

    desa = member.household.desa_id
    point = ServicePoint.objects.create(name=f"Puskesos {desa}", region_id=desa)
    intake, _created = referral_services.record_intake(
        user=user,
        service_point=point,
        channel="datang",
        story=f"Cerita {member.nama}",
        needs=[("kesehatan", "")],
        consent="warga",
        member=member,
        submission=uuid.uuid4(),
    )
    agency = Agency.objects.create(
        code=f"rujukan-{member.pk}", name="Puskesmas Rujukan", kind="kesehatan", region_id=desa[:8]
    )
    need = intake.needs.get()
    referral = referral_services.refer(user=user, need=need, agency=agency, reason="Periksa")
    return {
        "service_point": point,
        "intake": intake,
        "intake_need": need,
        "referral": referral,
    }


def build_programs(household, head, kecamatan) -> dict:
    """A program of an agency of the kecamatan, an enrolment of the household with a
    disbursement, a group of its desa with the head as member, and a partner user linked to
    the agency."""
    from accounts.roles import Role
    from programs.models import (
        Agency,
        AgencyStaff,
        Disbursement,
        EmpowermentGroup,
        Enrolment,
        GroupMembership,
        Program,
    )
    from tests.conftest import make_persona

    suffix = str(household.pk)
    agency = Agency.objects.create(
        code=f"lembaga-{suffix}", name="Puskesmas", kind="kesehatan", region_id=kecamatan
    )
    program = Program.objects.create(
        code=f"PROG-{suffix}",
        name="Program kecamatan",
        kind="bansos",
        cluster="bantuan_sosial",
        agency=agency,
        funding_source="apbd_kabupaten",
        periods_per_year=4,
    )
    enrolment = Enrolment.objects.create(
        program=program, household=household, status="active", source="system"
    )
    disbursement = Disbursement.objects.create(
        enrolment=enrolment, year=2025, period=1, amount=750_000
    )
    group = EmpowermentGroup.objects.create(
        name="KUBE", desa_id=household.desa_id, business_type="Ternak"
    )
    partner = make_persona(f"mitra_{suffix}", Role.MITRA_LAYANAN, kecamatan)
    list_import = ImportJob.objects.create(
        kind="enrolments",
        options={"program": program.code},
        original_name="daftar-penerima.xlsx",
        area_code=kecamatan,
        status="validated",
    )
    return {
        **build_graduation(household, program, enrolment, kecamatan),
        "list_import_job": list_import,
        "agency": agency,
        "agency_staff": AgencyStaff.objects.create(agency=agency, user=partner),
        "program": program,
        "enrolment": enrolment,
        "disbursement": disbursement,
        "group": group,
        "group_membership": GroupMembership.objects.create(group=group, member=head),
    }


def build_complaint(household):
    """A complaint about the household, in its desa (so its proposal page opens), with the
    categories seeded as the migration does (a transactional test before may have truncated
    them)."""
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from complaints.models import Category, Complaint

    importlib.import_module("complaints.migrations.0002_seed_categories").seed(apps, None)
    complaint = Complaint(
        channel="web",
        category=Category.objects.get(code="lainnya"),
        description="Pengaduan uji untuk pemeriksaan wilayah.",
        desa_id=household.desa_id,
        no_kk=household.no_kk,
        anonymous=True,
        household=household,
        service_days=10,
        due_date=timezone.localdate(),
    )
    complaint.set_tracking_code()
    complaint.save()
    return complaint


def build_graduation(household, program, enrolment, kecamatan) -> dict:
    """A facilitator of the kecamatan with the household in their caseload, an approved
    graduation of it (with an evidence row and the two monitoring visits)."""
    from django.utils import timezone

    from accounts.roles import Role
    from graduation.models import (
        Assignment,
        Facilitator,
        Graduation,
        GraduationEvidence,
        MonitoringVisit,
    )
    from tests.conftest import make_persona

    suffix = str(household.pk)
    user = make_persona(f"pendamping_{suffix}", Role.PENDAMPING, kecamatan)
    facilitator = Facilitator.objects.create(user=user, area_id=kecamatan)
    assignment = Assignment.objects.create(facilitator=facilitator, household=household)
    today = timezone.localdate()
    graduation = Graduation.objects.create(
        household=household,
        program=program,
        enrolment=enrolment,
        facilitator=facilitator,
        kind="alamiah",
        graduation_date=today,
        reasons="Tidak ada komponen",
        status="approved",
        approved_on=today,
        proposed_by=user,
    )
    visit = MonitoringVisit.objects.create(graduation=graduation, round=6, due_on=today)
    MonitoringVisit.objects.create(graduation=graduation, round=12, due_on=today)
    return {
        "graduation": graduation,
        "graduation_evidence": GraduationEvidence.objects.create(
            graduation=graduation, file="graduation/tidak-ada.pdf"
        ),
        "facilitator": facilitator,
        "assignment": assignment,
        "visit": visit,
    }


def build_url(name, route, kwargs, objects) -> tuple[str, bool]:
    """(URL, whether it names an object of kecamatan A)."""
    if name and name.startswith("admin:") or route.startswith("admin/"):
        values = {k: ADMIN_KWARGS[k] for k in kwargs if k in ADMIN_KWARGS}
        unknown = [k for k in kwargs if k not in ADMIN_KWARGS]
        assert not unknown, f"admin URL {route!r}: no value for {unknown}; add it to ADMIN_KWARGS"
        return (reverse(name, kwargs=values) if name else "/admin/x/"), False
    assert name, f"URL pattern {route!r} has no name; name it so the scope test can build it"
    values, names_object = {}, False
    for kwarg in kwargs:
        key = FILL.get(f"{name}:{kwarg}", FILL.get(kwarg))
        assert key is not None, (
            f"URL {name!r} ({route!r}): the scope test does not know what to put in <{kwarg}>. "
            "Add it to FILL in tests/test_url_scope.py."
        )
        if key in OBJECTS:
            values[kwarg] = objects[key].pk
            names_object = True
        else:
            values[kwarg] = key
    return reverse(name, kwargs=values), names_object


def test_every_pattern_can_be_filled(objects_in_a):
    for name, route, kwargs in ALL_PATTERNS:
        build_url(name, route, kwargs, objects_in_a)
    assert len(ALL_PATTERNS) > 40  # the walk really went through the includes


def login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith("/masuk/") or location.startswith("/admin/login/")
    )


def test_anonymous_is_sent_to_login_everywhere_but_public_pages(client, objects_in_a):
    problems = []
    for name, route, kwargs in ALL_PATTERNS:
        if name in PUBLIC:
            continue
        url, _object = build_url(name, route, kwargs, objects_in_a)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if not (login_redirect(response) or response.status_code in (404, 405)):
                problems.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
    assert not problems, "anonymous got in:\n" + "\n".join(problems)


OBJECT_PATTERNS = [
    (name, route, kwargs)
    for name, route, kwargs in ALL_PATTERNS
    if not route.startswith("admin/")
    and any(FILL.get(f"{name}:{k}", FILL.get(k)) in OBJECTS for k in kwargs)
]


@pytest.mark.parametrize("persona", ["operator_b", "outsider_admin"])
@pytest.mark.parametrize(
    ("name", "route", "kwargs"), OBJECT_PATTERNS, ids=[name for name, _r, _k in OBJECT_PATTERNS]
)
def test_objects_of_another_area_are_404(request, objects_in_a, persona, name, route, kwargs):
    client = client_for(request.getfixturevalue(persona))
    url, _object = build_url(name, route, kwargs, objects_in_a)
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    # GET-only views may answer POST with 405 and POST-only views GET; the other must be 404.
    assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (
        f"{persona} asked for {url} ({name}), an object of kecamatan A, and got {statuses}; "
        "outside the area it must be 404 (look the object up in the user's area before "
        "checking permissions)"
    )


@pytest.mark.parametrize("persona", ["operator_b", "outsider_admin"])
def test_admin_site_is_closed_to_staff_without_admin_access(request, objects_in_a, persona):
    client = client_for(request.getfixturevalue(persona))
    problems = []
    for name, route, kwargs in ALL_PATTERNS:
        if not route.startswith("admin/") or name in PUBLIC:
            continue
        url, _object = build_url(name, route, kwargs, objects_in_a)
        response = client.get(url)
        if not login_redirect(response):
            problems.append(f"GET {url} ({name}) → {response.status_code}")
    assert not problems, f"{persona} got into the admin site:\n" + "\n".join(problems)


def test_object_patterns_are_found():
    assert len(OBJECT_PATTERNS) >= 10
    assert "households:household_detail" in {name for name, _r, _k in OBJECT_PATTERNS}


def test_district_admin_of_a_reaches_every_object_url(district_admin, objects_in_a):
    """The control: the same URLs are real for someone inside the area."""
    client = client_for(district_admin)
    problems = []
    for name, route, kwargs in ALL_PATTERNS:
        url, names_object = build_url(name, route, kwargs, objects_in_a)
        if not names_object or name in ADMIN_404:
            continue
        status = client.get(url).status_code
        if status == 404:
            problems.append(f"GET {url} ({name}) → 404")
    assert not problems, "object URLs that do not find the object of A:\n" + "\n".join(problems)


# Canaries ---------------------------------------------------------------------------------------
#
# A household with a name and numbers found nowhere else lives in kecamatan A; another one lives
# in the other kabupaten (35.08), whose admin has imported a file and filed a proposal that
# collide with people of kecamatan A (same NIK). Every persona opens every URL — lists, exports,
# htmx partials, pickers, with every filter value that names the canary or its area, and every
# object URL filled with the objects of A, of the other kabupaten and of the collision — and no
# response body may show a canary to someone outside its area (or inside it without the right
# to see the registry). One world per module: building it runs a real import.

CANARY_A = "KANARIJAUH"
CANARY_OTHER = "KANARISEBERANG"
OTHER_DESA = "35.08.01.2001"
OTHER_KEC = OTHER_DESA[:8]

# Who must never see which canary.
KEPT_FROM = {
    "a": ["operator_b", "outsider_admin", "provider"],
    "other": [
        "district_admin",
        "head_of_office",
        "operator_a",
        "puskesos_a",
        "facilitator_a",
        "complaints_a",
        "provider",
    ],
}
# The duplicate queue, where the other kabupaten's refused import rows would land (issue 12).
DUPLICATE_URLS = {"households:duplicate_list", "households:duplicate_detail"}


def build_world(folder) -> dict:
    from households.importer import process
    from households.models.imports import ImportStatus
    from households.services import updates as update_service
    from tests.conftest import PERSONAS, persona
    from tests.households.update_factories import evidence
    from tests.imports.files import family, sheet, write_csv
    from tests.imports.jobs import make_job

    users = {name: persona(name, f"scan_{name}") for name in PERSONAS}
    born = make.years_old(44)

    canary = make.household(desa=DESA_A1, no_kk="3507010101269901")
    canary_head = make.member(canary, CANARY_A, born, Sex.MALE, Relationship.HEAD)
    # The collisions carry the NIK of the canary's wife, whose name is a canary too: what the
    # other kabupaten typed it may see again, but never who holds that NIK here.
    wife = make.member(
        canary, f"SITI {CANARY_A}", make.years_old(40), Sex.FEMALE, Relationship.SPOUSE
    )
    objects_a = build_objects_in_a(users["operator_a"])

    outsider = users["outsider_admin"]
    imported = family(1, desa=OTHER_DESA, size=2)
    imported[0]["nama"] = CANARY_OTHER
    collision = family(2, desa=OTHER_DESA, size=1)
    collision[0].update(nama=f"{CANARY_OTHER} KEDUA", nik=wife.nik)
    path = write_csv(folder / "kabupaten-lain.csv", sheet(imported + collision))
    job = make_job(outsider, ImportStatus.VALIDATED, original_name="kabupaten-lain.csv")
    process(path, user=outsider, dry_run=False, job=job)

    other_household = Household.objects.get(no_kk=imported[0]["no_kk"])
    other_head = other_household.members.get(nama=CANARY_OTHER)
    other_twin = make.member(other_household, f"{CANARY_OTHER} KEMBAR", other_head.tanggal_lahir)
    proposal = update_service.propose(
        user=outsider,
        kind=UpdateKind.NEW_HOUSEHOLD,
        desa_code=OTHER_DESA,
        payload={
            "household": {"no_kk": "3508010101269902", "alamat": "Dusun Kulon", "rt": ""},
            "members": [
                {
                    "nik": wife.nik,
                    "nama": f"{CANARY_OTHER} KETIGA",
                    "jenis_kelamin": Sex.FEMALE,
                    "tempat_lahir": "Malang",
                    "tanggal_lahir": wife.tanggal_lahir.isoformat(),
                    "hubungan_keluarga": Relationship.HEAD,
                    "status_kawin": "kawin",
                }
            ],
        },
        reason="Keluarga pindahan",
        evidence=evidence(),
    )
    conflict = DuplicateCandidate.objects.filter(member_a=wife).first()
    assert conflict is not None, "the colliding import row was not queued; the world is wrong"
    objects_other = {
        "household": other_household,
        "member": other_head,
        "staff": outsider,
        "data_update": proposal,
        "duplicate": DuplicateCandidate.objects.create(
            member_a=other_head,
            member_b=other_twin,
            reason=DuplicateReason.SIMILAR_NAME,
            score=0.9,
        ),
        "import_job": job,
        "holiday": Holiday.objects.create(
            date=date(2026, 6, 3), name=CANARY_OTHER, region_id=OTHER_KEC
        ),
        "notification": Notification.objects.create(user=outsider, message=CANARY_OTHER),
        "report": Report.objects.create(
            kind="registry_recap",
            area_id=OTHER_KEC,
            year=2026,
            month=1,
            expires_at=timezone.now() + timedelta(days=30),
        ),
        "complaint": build_complaint(other_household),
        **build_programs(other_household, other_head, OTHER_KEC),
        **build_referrals(other_head, outsider),
    }
    return {
        "users": users,
        "objects": {
            "a": {
                **objects_a,
                **build_programs(canary, canary_head, KEC_A),
                **build_referrals(canary_head, users["operator_a"]),
                "complaint": build_complaint(canary),
                "household": canary,
                "member": canary_head,
            },
            "other": objects_other,
            "collision": {**objects_a, "duplicate": conflict},
        },
        "secrets": {
            "a": [CANARY_A, canary_head.nik, canary.no_kk],
            "other": [
                CANARY_OTHER,
                other_head.nik,
                other_household.no_kk,
                collision[0]["no_kk"],
                "3508010101269902",
            ],
        },
        "filters": filter_values(canary, canary_head, other_household, other_head, proposal),
    }


def filter_values(canary, canary_head, other_household, other_head, proposal) -> list[dict]:
    """Query strings for every list: the parameters of the project's FilterSets (``q``,
    ``kecamatan``, ``desa``, ``wilayah``, ``status``, the pickers' ``parent``) with values that
    name each canary, its family card, its area, or the other kabupaten's proposal."""
    values = [{}, {"q": str(proposal.pk)}, {"q": f"#{proposal.pk}"}, {"status": "open"}]
    for person, household in ((canary_head, canary), (other_head, other_household)):
        desa = household.desa_id
        kecamatan = desa[:8]
        # Region filters go apart from the search: a region outside the asker's area makes the
        # filter form invalid, and the search would then not run at all.
        values += [
            {"q": person.nik},
            {"q": person.nama},
            {"q": household.no_kk, "parent": kecamatan},
            {"kecamatan": kecamatan, "desa": desa},
            {"wilayah": kecamatan},
            {"desa": desa, "parent": desa[:5]},
        ]
    return values


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end; each
    test runs in a savepoint of it (pytest-django's ``db``), so what a POST changes is undone."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(tmp_path_factory.mktemp("scan"))
        transaction.set_rollback(True)


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # an .xlsx: its text is in the zipped XML parts
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            content = b"".join(book.read(n) for n in book.namelist() if n.endswith(".xml"))
    return content.decode("utf-8", "replace")


def scan(client, world, only=None, skip=()) -> list[tuple[str, str, int, str]]:
    """(url name, URL, status, body) of every URL with every filter value and object set."""
    seen = []
    # Exports last: the export log lists the asker's own exports with the filters they typed.
    patterns = sorted(ALL_PATTERNS, key=lambda pattern: pattern[0] == "households:registry_export")
    for name, route, kwargs in patterns:
        if route.startswith("admin/") or name in PUBLIC or name in skip:
            continue
        if only is not None and name not in only:
            continue
        variants = set()
        for objects in world["objects"].values():
            url, names_object = build_url(name, route, kwargs, objects)
            if names_object:
                variants.add(url)
        if not variants:
            url, _object = build_url(name, route, kwargs, world["objects"]["a"])
            variants = {f"{url}?{urlencode(values)}" for values in world["filters"]}
            if name == "households:registry_export":
                csv_url = reverse(name, kwargs={"file_format": "csv"})
                variants |= {f"{csv_url}?{urlencode(values)}" for values in world["filters"]}
        for url in sorted(variants):
            response = client.get(url)
            seen.append((name, url, response.status_code, without_echo(body_of(response), url)))
    return seen


def without_echo(body: str, url: str) -> str:
    """The body without what the request itself put there: a search box shows what was typed,
    links keep the query string. Those are the asker's own words, not data of the area."""
    for key, value in parse_qsl(urlsplit(url).query):
        body = body.replace(f"{key}={quote_plus(value)}", "").replace(f"{key}={value}", "")
        body = body.replace(f'value="{escape(value)}"', "")
    return body


def leaks(persona, side, world, only=None, skip=()) -> list[str]:
    """What ``persona`` is shown of the canary of ``side``; a page that breaks (500) is
    reported too, as it would hide a leak."""
    client = client_for(world["users"][persona])
    client.raise_request_exception = False
    found = []
    for name, url, status, body in scan(client, world, only, skip):
        shown = [secret for secret in world["secrets"][side] if secret in body]
        if shown:
            found.append(f"GET {url} ({name}) → {status} shows {shown}")
        elif status >= 500:
            found.append(f"GET {url} ({name}) → {status}")
    return found


@pytest.mark.parametrize("persona", KEPT_FROM["a"])
def test_the_canary_of_kecamatan_a_stays_in_its_area(db, world, persona):
    found = leaks(persona, "a", world)
    assert not found, f"{persona} sees the canary of kecamatan A:\n" + "\n".join(found)


@pytest.mark.parametrize("persona", KEPT_FROM["other"])
def test_the_canary_of_the_other_kabupaten_stays_there(db, world, persona):
    found = leaks(persona, "other", world, skip=DUPLICATE_URLS)
    assert not found, f"{persona} sees the other kabupaten's canary:\n" + "\n".join(found)


@pytest.mark.parametrize("persona", KEPT_FROM["other"])
def test_refused_import_rows_of_the_other_kabupaten_stay_there(db, world, persona):
    """The duplicate queue of kecamatan A after the other kabupaten's import collided with it."""
    found = leaks(persona, "other", world, only=DUPLICATE_URLS)
    assert not found, f"{persona} sees the other kabupaten's canary:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "name, persona",
    [
        ("households:my_updates", "district_admin"),
        ("households:update_verify_queue", "operator_a"),
        ("households:update_approve_queue", "district_admin"),
    ],
)
def test_proposal_queues_filter_by_region(personas, name, persona):
    response = client_for(personas[persona]).get(reverse(name), {"wilayah": KEC_A})
    assert response.status_code == 200
