"""The referral section of the household page: its intakes and referrals."""

from django.utils.translation import gettext_lazy as _

from households.choices import MemberStatus, Relationship
from households.panels import register_household_panel
from referrals.models import Intake, Referral


def household_context(household, user):
    return {
        "household": household,
        "intakes": Intake.objects.for_user(user)
        .filter(household=household)
        .select_related("service_point", "member")
        .prefetch_related("needs")[:20],
        "referrals": Referral.objects.for_user(user)
        .filter(household=household)
        .select_related("agency", "need")
        .order_by("-sent_on", "-pk")[:50],
        "can_add": user.has_perm("referrals.add_intake"),
        "head": household.members.filter(
            hubungan_keluarga=Relationship.HEAD, status=MemberStatus.ALIVE
        ).first(),
    }


def register():
    register_household_panel(
        key="referrals",
        title=_("Layanan Puskesos dan rujukan"),
        template="referrals/household_panel.html",
        context=household_context,
        permission="referrals.view_referral",
        order=30,
    )
