"""The graduation section of the household page and the registry list's bulk-assign button."""

from django.utils.translation import gettext_lazy as _

from graduation.models import Assignment, Graduation, MonitoringVisit
from graduation.services.graduations import caseload_households
from households.panels import register_household_panel, register_list_action


def household_context(household, user):
    in_caseload = caseload_households(user).filter(pk=household.pk).exists()
    graduations = (
        Graduation.objects.for_user(user)
        .filter(household=household)
        .select_related("program", "next_program", "facilitator__user")
        .order_by("-created_at")
    )
    return {
        "household": household,
        "in_caseload": in_caseload,
        "graduations": graduations,
        "visits": MonitoringVisit.objects.for_user(user)
        .filter(graduation__household=household)
        .order_by("due_on"),
        "facilitators": Assignment.objects.filter(household=household, active=True)
        .select_related("facilitator__user")
        .order_by("facilitator__kind"),
        "can_propose": in_caseload and user.has_perm("graduation.add_graduation"),
    }


def register():
    register_household_panel(
        key="graduation",
        title=_("Graduasi dan pemantauan"),
        template="graduation/household_panel.html",
        context=household_context,
        permission="graduation.view_graduation",
        order=40,
    )
    register_list_action(
        key="assign_facilitator",
        label=_("Tugaskan ke pendamping"),
        url_name="graduation:assign_bulk",
        permission="graduation.manage_facilitator",
        order=20,
    )
