"""What each role reaches: menu sections, dashboard panels and pages, as one literal table.

A change of permissions (a role gains or loses a page, a new app's section or panel) changes
this table, so it shows in review. Every URL comes from the URL resolver and is opened (GET)
with objects inside the persona's area (the scope test's objects of kecamatan A); "reached"
means the page answered 200. The admin site and the public pages are left out.
"""

import pytest
from django.urls import reverse

from config.navigation import sections_for
from households.panels import dashboard_panels, render_panels
from tests import test_url_scope as scope
from tests.conftest import client_for

objects_in_a = scope.objects_in_a

# One persona per role, each with objects of kecamatan A inside their area.
PERSONA_OF_ROLE = {
    "admin_dinas": "district_admin",
    "pimpinan": "head_of_office",
    "operator_kecamatan": "operator_a",
    "petugas_puskesos": "puskesos_a",
    "pendamping": "facilitator_a",
    "petugas_pengaduan": "complaints_a",
    "mitra_layanan": "provider",
}

EXPECTED = {
    "admin_dinas": {
        "sections": [
            "data",
            "programs",
            "referrals",
            "complaints",
            "graduation",
            "reports",
            "staff",
        ],
        "panels": ["data", "data_updates"],
        "urls": [
            "accounts:password_change",
            "accounts:password_change_done",
            "accounts:staff_create",
            "accounts:staff_list",
            "accounts:staff_update",
            "complaints:category_edit",
            "complaints:category_list",
            "complaints:complaint_add",
            "complaints:complaint_detail",
            "complaints:complaint_list",
            "complaints:complaint_propose_update",
            "complaints:complaint_refer",
            "complaints:pattern_export",
            "complaints:patterns",
            "core:holiday_list",
            "core:notifications",
            "graduation:assign_bulk",
            "graduation:assign_file",
            "graduation:candidates",
            "graduation:caseload",
            "graduation:facilitator_add",
            "graduation:facilitator_detail",
            "graduation:facilitator_edit",
            "graduation:facilitator_list",
            "graduation:graduation_detail",
            "graduation:graduation_list",
            "graduation:index",
            "graduation:progress",
            "graduation:progress_export",
            "graduation:propose",
            "graduation:visit_list",
            "home",
            "households:duplicate_detail",
            "households:duplicate_list",
            "households:export_log",
            "households:household_detail",
            "households:household_edit",
            "households:household_list",
            "households:import_detail",
            "households:import_list",
            "households:import_progress",
            "households:import_template",
            "households:import_upload",
            "households:member_add",
            "households:member_edit",
            "households:my_updates",
            "households:propose_new_household",
            "households:propose_update",
            "households:registry_export",
            "households:update_approve_queue",
            "households:update_detail",
            "programs:agency_add",
            "programs:agency_detail",
            "programs:agency_edit",
            "programs:agency_list",
            "programs:benefit_rate_edit",
            "programs:benefit_rates",
            "programs:disbursement_add",
            "programs:disbursement_edit",
            "programs:disbursement_list",
            "programs:enrol_bulk",
            "programs:enrol_household",
            "programs:enrolment_detail",
            "programs:enrolment_list",
            "programs:group_add",
            "programs:group_detail",
            "programs:group_edit",
            "programs:group_list",
            "programs:group_member_add",
            "programs:group_progress_add",
            "programs:index",
            "programs:list_import_detail",
            "programs:list_import_issues",
            "programs:list_import_progress",
            "programs:list_upload",
            "programs:program_add",
            "programs:program_detail",
            "programs:program_edit",
            "programs:program_targets",
            "programs:synergy",
            "programs:synergy_concentration",
            "programs:synergy_coverage",
            "programs:synergy_exclusion",
            "programs:synergy_graduated",
            "programs:synergy_inclusion",
            "programs:synergy_productive",
            "programs:synergy_programs",
            "referrals:index",
            "referrals:intake_add",
            "referrals:intake_detail",
            "referrals:intake_list",
            "referrals:referral_detail",
            "referrals:referral_letter",
            "referrals:referral_list",
            "referrals:service_levels",
            "referrals:service_log",
            "referrals:service_point_add",
            "referrals:service_point_edit",
            "referrals:service_point_list",
            "reports",
        ],
    },
    "pimpinan": {
        "sections": ["data", "programs", "referrals", "complaints", "graduation", "reports"],
        "panels": ["data", "data_updates"],
        "urls": [
            "accounts:password_change",
            "accounts:password_change_done",
            "complaints:category_list",
            "complaints:complaint_detail",
            "complaints:complaint_list",
            "complaints:pattern_export",
            "complaints:patterns",
            "core:holiday_list",
            "core:notifications",
            "graduation:candidates",
            "graduation:caseload",
            "graduation:facilitator_detail",
            "graduation:facilitator_list",
            "graduation:graduation_detail",
            "graduation:graduation_list",
            "graduation:index",
            "graduation:progress",
            "graduation:progress_export",
            "graduation:visit_list",
            "home",
            "households:household_detail",
            "households:household_list",
            "households:import_detail",
            "households:import_list",
            "households:import_progress",
            "households:registry_export",
            "households:update_detail",
            "programs:agency_detail",
            "programs:agency_list",
            "programs:benefit_rates",
            "programs:disbursement_list",
            "programs:enrolment_detail",
            "programs:enrolment_list",
            "programs:group_detail",
            "programs:group_list",
            "programs:index",
            "programs:program_detail",
            "programs:synergy",
            "programs:synergy_concentration",
            "programs:synergy_coverage",
            "programs:synergy_exclusion",
            "programs:synergy_graduated",
            "programs:synergy_inclusion",
            "programs:synergy_productive",
            "programs:synergy_programs",
            "referrals:index",
            "referrals:intake_detail",
            "referrals:intake_list",
            "referrals:referral_detail",
            "referrals:referral_letter",
            "referrals:referral_list",
            "referrals:service_levels",
            "referrals:service_log",
            "referrals:service_point_list",
            "reports",
        ],
    },
    "operator_kecamatan": {
        "sections": ["data", "programs", "referrals", "complaints", "graduation", "reports"],
        "panels": ["data", "data_updates"],
        "urls": [
            "accounts:password_change",
            "accounts:password_change_done",
            "complaints:category_list",
            "complaints:complaint_add",
            "complaints:complaint_detail",
            "complaints:complaint_list",
            "complaints:complaint_propose_update",
            "complaints:complaint_refer",
            "complaints:pattern_export",
            "complaints:patterns",
            "core:holiday_list",
            "core:notifications",
            "graduation:candidates",
            "graduation:caseload",
            "graduation:facilitator_detail",
            "graduation:facilitator_list",
            "graduation:graduation_detail",
            "graduation:graduation_list",
            "graduation:index",
            "graduation:progress",
            "graduation:progress_export",
            "graduation:visit_list",
            "home",
            "households:duplicate_detail",
            "households:duplicate_list",
            "households:household_detail",
            "households:household_list",
            "households:my_updates",
            "households:propose_new_household",
            "households:propose_update",
            "households:registry_export",
            "households:update_detail",
            "households:update_verify_queue",
            "programs:agency_detail",
            "programs:agency_list",
            "programs:benefit_rates",
            "programs:disbursement_list",
            "programs:enrol_bulk",
            "programs:enrol_household",
            "programs:enrolment_detail",
            "programs:enrolment_list",
            "programs:group_add",
            "programs:group_detail",
            "programs:group_edit",
            "programs:group_list",
            "programs:group_member_add",
            "programs:group_progress_add",
            "programs:index",
            "programs:program_detail",
            "programs:synergy",
            "programs:synergy_concentration",
            "programs:synergy_coverage",
            "programs:synergy_exclusion",
            "programs:synergy_graduated",
            "programs:synergy_inclusion",
            "programs:synergy_productive",
            "programs:synergy_programs",
            "referrals:index",
            "referrals:intake_add",
            "referrals:intake_detail",
            "referrals:intake_list",
            "referrals:referral_detail",
            "referrals:referral_letter",
            "referrals:referral_list",
            "referrals:service_levels",
            "referrals:service_log",
            "referrals:service_point_add",
            "referrals:service_point_edit",
            "referrals:service_point_list",
            "reports",
        ],
    },
    "petugas_puskesos": {
        "sections": ["data", "programs", "referrals", "reports"],
        "panels": ["data", "data_updates"],
        "urls": [
            "accounts:password_change",
            "accounts:password_change_done",
            "core:holiday_list",
            "core:notifications",
            "home",
            "households:household_detail",
            "households:household_list",
            "households:my_updates",
            "households:propose_new_household",
            "households:propose_update",
            "households:update_detail",
            "programs:agency_detail",
            "programs:agency_list",
            "programs:enrolment_detail",
            "programs:enrolment_list",
            "programs:index",
            "programs:program_detail",
            "programs:synergy",
            "programs:synergy_concentration",
            "programs:synergy_coverage",
            "programs:synergy_exclusion",
            "programs:synergy_graduated",
            "programs:synergy_inclusion",
            "programs:synergy_productive",
            "programs:synergy_programs",
            "referrals:index",
            "referrals:intake_add",
            "referrals:intake_detail",
            "referrals:intake_list",
            "referrals:referral_detail",
            "referrals:referral_letter",
            "referrals:referral_list",
            "referrals:service_levels",
            "referrals:service_log",
            "referrals:service_point_list",
            "reports",
        ],
    },
    "pendamping": {
        "sections": ["data", "programs", "referrals", "graduation", "reports"],
        "panels": ["data", "data_updates"],
        "urls": [
            "accounts:password_change",
            "accounts:password_change_done",
            "core:notifications",
            "graduation:candidates",
            "graduation:caseload",
            "graduation:graduation_list",
            "graduation:index",
            "graduation:progress",
            "graduation:progress_export",
            "graduation:visit_list",
            "home",
            "households:household_detail",
            "households:household_list",
            "households:my_updates",
            "households:propose_new_household",
            "households:propose_update",
            "households:update_detail",
            "programs:agency_detail",
            "programs:agency_list",
            "programs:enrol_bulk",
            "programs:enrol_household",
            "programs:enrolment_detail",
            "programs:enrolment_list",
            "programs:group_detail",
            "programs:group_list",
            "programs:group_progress_add",
            "programs:index",
            "programs:program_detail",
            "programs:synergy",
            "programs:synergy_concentration",
            "programs:synergy_coverage",
            "programs:synergy_exclusion",
            "programs:synergy_graduated",
            "programs:synergy_inclusion",
            "programs:synergy_productive",
            "programs:synergy_programs",
            "referrals:index",
            "referrals:intake_add",
            "referrals:intake_detail",
            "referrals:intake_list",
            "referrals:referral_detail",
            "referrals:referral_letter",
            "referrals:referral_list",
            "referrals:service_levels",
            "referrals:service_log",
            "referrals:service_point_list",
            "reports",
        ],
    },
    "petugas_pengaduan": {
        "sections": ["data", "programs", "referrals", "complaints", "reports"],
        "panels": ["data", "data_updates"],
        "urls": [
            "accounts:password_change",
            "accounts:password_change_done",
            "complaints:category_list",
            "complaints:complaint_add",
            "complaints:complaint_detail",
            "complaints:complaint_list",
            "complaints:complaint_propose_update",
            "complaints:complaint_refer",
            "complaints:pattern_export",
            "complaints:patterns",
            "core:holiday_list",
            "core:notifications",
            "home",
            "households:household_detail",
            "households:household_list",
            "households:my_updates",
            "households:propose_new_household",
            "households:propose_update",
            "households:update_detail",
            "programs:agency_detail",
            "programs:agency_list",
            "programs:disbursement_list",
            "programs:enrolment_detail",
            "programs:enrolment_list",
            "programs:index",
            "programs:program_detail",
            "programs:synergy",
            "programs:synergy_concentration",
            "programs:synergy_coverage",
            "programs:synergy_exclusion",
            "programs:synergy_graduated",
            "programs:synergy_inclusion",
            "programs:synergy_productive",
            "programs:synergy_programs",
            "referrals:index",
            "referrals:intake_add",
            "referrals:intake_detail",
            "referrals:intake_list",
            "referrals:referral_detail",
            "referrals:referral_letter",
            "referrals:referral_list",
            "referrals:service_levels",
            "referrals:service_log",
            "reports",
        ],
    },
    "mitra_layanan": {
        "sections": ["referrals"],
        "panels": [],
        "urls": [
            "accounts:password_change",
            "accounts:password_change_done",
            "core:notifications",
            "home",
            "referrals:inbox",
            "referrals:referral_list",
            "referrals:service_levels",
        ],
    },
}


def reached(user, objects) -> dict:
    client = client_for(user)
    urls = []
    for name, route, kwargs in scope.ALL_PATTERNS:
        if route.startswith("admin/") or name in scope.PUBLIC:
            continue
        url, _object = scope.build_url(name, route, kwargs, objects)
        if client.get(url).status_code == 200:
            urls.append(name)
    home = client.get(reverse("home"))
    return {
        "sections": [section.key for section in sections_for(user)],
        "menu": [item["key"] for item in home.context["nav_items"]],
        "panels": [panel.key for panel, _context in render_panels(dashboard_panels(), user)],
        "home_panels": [panel.key for panel, _context in home.context["panels"]],
        "urls": sorted(urls),
    }


@pytest.mark.parametrize("role", list(PERSONA_OF_ROLE))
def test_what_each_role_reaches(request, role, objects_in_a):
    user = request.getfixturevalue(PERSONA_OF_ROLE[role])
    found = reached(user, objects_in_a)
    assert found["menu"] == found["sections"], "the menu shows the sections the user may open"
    assert found["home_panels"] == found["panels"]
    table = {
        "sections": found["sections"],
        "panels": found["panels"],
        "urls": found["urls"],
    }
    assert table == EXPECTED.get(role), f"{role} now reaches:\n{table!r}"


def test_a_panel_shows_only_to_users_with_its_permission(monkeypatch, operator_a, district_admin):
    """On the household page and the dashboard; the context of a hidden panel is not computed,
    so it cannot count what the user may not open."""
    from households import panels
    from tests.households import registry_factory as make

    computed = []

    def context(*args):
        computed.append(args[-1].username)
        return {}

    monkeypatch.setattr(panels, "_household_panels", {})
    monkeypatch.setattr(panels, "_dashboard_panels", {})
    requirements = [
        ("staff", "accounts.manage_staff"),
        ("any", ["households.approve_dataupdate", "households.verify_dataupdate"]),
        ("never", lambda user: False),
    ]
    for register in (panels.register_household_panel, panels.register_dashboard_panel):
        for key, permission in requirements:
            register(key, key, "core/region_options.html", context, permission=permission)
    household = make.family()
    detail = reverse("households:household_detail", args=[household.pk])
    for user, expected in ((operator_a, ["any"]), (district_admin, ["staff", "any"])):
        client = client_for(user)
        for url in (detail, reverse("home")):
            shown = [panel.key for panel, _context in client.get(url).context["panels"]]
            assert shown == expected, (user.username, url)
    assert computed == ["operator_a"] * 2 + ["district_admin"] * 4


def test_sections_of_apps_still_to_come_show_to_superusers_only(db, provider):
    """Their permissions do not exist until the app lands (see config/navigation.py)."""
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="rahasia-uji-123")
    keys = [item["key"] for item in client_for(root).get(reverse("home")).context["nav_items"]]
    assert keys == ["data", "programs", "referrals", "complaints", "graduation", "reports", "staff"]
    assert client_for(root).get(reverse("programs:index")).status_code == 200
    assert client_for(provider).get(reverse("programs:index")).status_code == 403
