"""A facilitator's caseload (their assigned KPM, with PKH components and the candidate flag)
and the natural-graduation candidates."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from core.search import search_data
from graduation.filtersets import CaseloadFilterSet
from graduation.models import Assignment, Candidate, Facilitator, Graduation, is_caseload_user
from graduation.services.graduations import caseload_households
from graduation.views.graduations import GraduationListView
from households.models import Member
from households.models.registry import ALIVE, DISABILITY
from programs.services.components import household_components

PER_PAGE = 25


def index(request):
    """A facilitator lands on their caseload; everyone else on the graduation list."""
    if Facilitator.objects.filter(user=request.user).exists() or is_caseload_user(request.user):
        return caseload(request)
    return GraduationListView.as_view()(request)


def caseload_page(request, households, extra=None):
    filterset = CaseloadFilterSet(
        search_data(request) or None, queryset=households, request=request
    )
    selected = filterset.qs if filterset.is_bound else households
    paginator = Paginator(selected.order_by("desa_id", "pk").only("pk"), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    ids = [household.pk for household in page.object_list]
    alive = Member.objects.filter(status="alive")
    rows = (
        households.model.objects.filter(pk__in=ids)
        .select_related("desa", "graduation_candidate")
        .prefetch_related(Prefetch("members", queryset=alive))
        .order_by("desa_id", "pk")
    )
    disabled = set(
        Member.objects.filter(ALIVE & DISABILITY, household_id__in=ids).values_list("pk", flat=True)
    )
    standing = dict(
        Graduation.objects.standing().filter(household_id__in=ids).values_list("household_id", "pk")
    )
    today = timezone.localdate()
    items = [
        {
            "household": household,
            "components": household_components(household, today, disabled),
            "candidate": getattr(household, "graduation_candidate", None),
            "graduation_pk": standing.get(household.pk),
        }
        for household in rows
    ]
    return render(
        request,
        "graduation/caseload.html",
        {
            "filter": filterset,
            "page": page,
            "items": items,
            "count": paginator.count,
            "today": today,
            **(extra or {}),
        },
    )


@permission_required("graduation.view_graduation", raise_exception=True)
def caseload(request):
    """The user's caseload; for staff who are not facilitators, every assigned household of
    their area."""
    households = caseload_households(request.user)
    if not is_caseload_user(request.user):
        households = households.filter(
            pk__in=Assignment.objects.filter(active=True).values("household_id")
        )
    facilitator = Facilitator.objects.filter(user=request.user).first()
    return caseload_page(request, households, {"facilitator": facilitator})


@permission_required("graduation.view_graduation", raise_exception=True)
def candidates(request):
    rows = (
        Candidate.objects.for_user(request.user)
        .select_related("household__desa")
        .order_by("from_date", "household_id")
    )
    now_only = request.GET.get("when") == "now"
    if now_only:
        rows = rows.filter(from_date__lte=timezone.localdate())
    paginator = Paginator(rows, 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "graduation/candidates.html",
        {
            "page": page,
            "count": paginator.count,
            "now_only": now_only,
            "today": timezone.localdate(),
        },
    )
