"""Referrals: the office's list and overview, the provider's inbox, one referral with its
timeline and the steps the user may take, and the printable recommendation letter."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.figures import cached_figures
from core.scope import area_of
from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from referrals import services
from referrals.choices import ReferralStatus
from referrals.filtersets import InboxFilterSet, ReferralFilterSet
from referrals.forms import StepForm
from referrals.models import Intake, Referral, _is_provider
from referrals.tables import InboxTable, ReferralTable


def _referrals():
    return Referral.objects.select_related(
        "agency", "desa", "need", "intake__member", "service_point", "created_by"
    )


@login_required
def index(request):
    """The referral desk: a provider goes to its inbox; the office sees its open and late
    referrals, late ones per service point."""
    user = request.user
    if _is_provider(user) and user.has_perm("referrals.respond_referral"):
        return redirect("referrals:inbox")
    if not user.has_perm("referrals.view_referral"):
        raise PermissionDenied
    today = timezone.localdate()

    def figures():
        referrals = Referral.objects.for_user(user)
        counts = referrals.open().aggregate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))
        )
        return {
            "open_count": counts["open"],
            "overdue_count": counts["overdue"],
            "sent_today": referrals.filter(sent_on=today).count(),
            "intakes_today": Intake.objects.for_user(user).filter(created_at__date=today).count(),
            "overdue_by_point": list(services.overdue_by_service_point(user, today)[:50]),
        }

    key = f"referrals:overview:{area_of(user)}:{today.isoformat()}"
    return render(
        request,
        "referrals/index.html",
        {
            **cached_figures(key, settings.REFERRAL_OVERVIEW_CACHE_SECONDS, figures),
            "cache_minutes": settings.REFERRAL_OVERVIEW_CACHE_SECONDS // 60,
        },
    )


class ReferralListView(ScopedListView):
    permission_required = "referrals.view_referral"
    filterset_class = ReferralFilterSet
    table_class = ReferralTable
    template_name = "referrals/referral_list.html"

    def get_base_queryset(self):
        return _referrals()

    def get_table_kwargs(self):
        # Late referrals, the latest first: the one most past its due date heads the list.
        if self.request.GET.get("terlambat") and not self.request.GET.get("sort"):
            return {"order_by": "due_date"}
        return {}


class InboxView(ScopedListView):
    """A provider's referrals, the ones waiting for an answer first."""

    permission_required = "referrals.respond_referral"
    filterset_class = InboxFilterSet
    table_class = InboxTable
    template_name = "referrals/inbox.html"

    def get_base_queryset(self):
        # ``for_user`` keeps a partner's own agencies' referrals.
        return _referrals()

    def get_table_kwargs(self):
        return {"order_by": self.request.GET.get("sort") or "-sent_on"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["waiting"] = (
            _referrals()
            .for_user(self.request.user)
            .filter(status=ReferralStatus.SENT)
            .order_by("due_date", "pk")[:50]
        )
        context["agencies"] = services.provider_agencies(self.request.user)
        return context


class ReferralDetailView(ScopedObjectMixin, TemplateView):
    model = Referral
    permission_required = "referrals.view_referral"
    template_name = "referrals/referral_detail.html"

    def get_scoped_queryset(self):
        return _referrals().select_related("intake__household", "intake__data_update")

    def get_context_data(self, **kwargs):
        referral = self.object
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "referral": referral,
            "intake": referral.intake,
            "is_provider": _is_provider(user),
            "events": referral.events.select_related("user"),
            "steps": services.steps_for(user, referral),
            "step_form": StepForm(),
        }


@require_POST
def referral_step(request, pk, step):
    referral = get_object_for_user(request.user, _referrals(), pk, "referrals.view_referral")
    form = StepForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.change_status(request.user, referral, step, note)
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        referral.refresh_from_db()
        messages.success(
            request,
            _("Rujukan %(reference)s: %(status)s.")
            % {"reference": referral.reference, "status": referral.get_status_display()},
        )
    return redirect("referrals:referral_detail", pk=referral.pk)


def referral_letter(request, pk):
    """The surat rekomendasi, print-ready A4 (the browser prints or saves it as PDF)."""
    referral = get_object_for_user(request.user, _referrals(), pk, "referrals.view_referral")
    return render(
        request,
        "referrals/letter.html",
        {
            "referral": referral,
            "intake": referral.intake,
            "point": referral.intake.service_point,
            "member": referral.intake.member,
        },
    )
