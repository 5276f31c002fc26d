"""The programs section of the household page and the registry list's bulk-enrol button."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.panels import register_household_panel, register_list_action
from programs.models import Enrolment
from programs.services.components import entitlement, household_components


def household_context(household, user):
    today = timezone.localdate()
    components = household_components(household, today)
    return {
        "household": household,
        "components": components,
        "entitlement": entitlement(components, today.year),
        "enrolments": Enrolment.objects.for_user(user)
        .filter(household=household)
        .select_related("program", "member")
        .order_by("-created_at"),
        "can_enrol": user.has_perm("programs.add_enrolment") and household.status == "active",
    }


def register():
    register_household_panel(
        key="programs",
        title=_("Program dan komponen PKH"),
        template="programs/household_panel.html",
        context=household_context,
        permission="programs.view_enrolment",
        order=20,
    )
    register_list_action(
        key="enrol_bulk",
        label=_("Daftarkan ke program"),
        url_name="programs:enrol_bulk",
        permission="programs.add_enrolment",
        order=10,
    )
