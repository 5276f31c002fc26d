"""The complaints section of the household page and of a data-update proposal's page."""

from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from households.panels import register_household_panel, register_update_panel


def household_context(household, user):
    return {
        "complaints": Complaint.objects.for_user(user)
        .filter(household=household)
        .select_related("category")
        .order_by("-received_at")[:20]
    }


def update_context(update, user):
    """Empty (the panel is left out) when no complaint asked for this proposal."""
    complaints = list(
        Complaint.objects.for_user(user).filter(data_update=update).select_related("category")
    )
    return {"complaints": complaints} if complaints else {}


def register():
    register_household_panel(
        key="complaints",
        title=_("Pengaduan"),
        template="complaints/household_panel.html",
        context=household_context,
        permission="complaints.view_complaint",
        order=40,
    )
    register_update_panel(
        key="complaints",
        title=_("Pengaduan terkait"),
        template="complaints/update_panel.html",
        context=update_context,
        permission="complaints.view_complaint",
        order=10,
    )
