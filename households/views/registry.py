"""The registry: household list, household page ("360") and direct corrections by the office."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core import access
from core.models import AccessKind
from core.search import search_data
from core.views import ScopedListView, ScopedObjectMixin
from households.choices import MemberStatus, Relationship
from households.filtersets import HouseholdFilterSet
from households.forms.registry import HouseholdForm, MemberForm
from households.models import ChangeLog, Household, Member
from households.panels import household_panels, list_actions_for, render_panels
from households.services.registry import (
    StaleVersion,
    add_member,
    asset_labels,
    describe_changes,
    housing_facts,
    livestock_counts,
    member_flag_badges,
    registry_queryset,
    update_household,
    update_member,
)
from households.tables import PAGE_SIZES, HouseholdTable, RegistryPaginator

HISTORY_PREVIEW = 10
HISTORY_PAGE_SIZE = 50


def page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


class HouseholdListView(ScopedListView):
    permission_required = "households.view_household"
    template_name = "households/household_list.html"
    # The filter form swaps only the results when htmx submits it.
    partial_template_name = "households/household_results.html"
    partial_target = "registry-results"
    filterset_class = HouseholdFilterSet
    table_class = HouseholdTable

    def get_base_queryset(self):
        return registry_queryset(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, as the list has always been: an empty query is the unfiltered list.
        return {**super().get_filterset_kwargs(filterset_class), "data": search_data(self.request)}

    def get_table_pagination(self, table):
        return {"paginator_class": RegistryPaginator, "per_page": page_size(self.request)}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "page_sizes": PAGE_SIZES,
            "per_page": page_size(self.request),
            "list_actions": list_actions_for(self.request.user),
        }


class HouseholdDetailView(ScopedObjectMixin, TemplateView):
    model = Household
    permission_required = "households.view_household"
    template_name = "households/household_detail.html"

    def get_scoped_queryset(self):
        return Household.objects.select_related("desa__parent__parent", "merged_into")

    def get_context_data(self, **kwargs):
        household = self.object
        access.record(
            self.request, AccessKind.HOUSEHOLD_VIEW, household.registry_id, household.desa_id
        )
        today = timezone.localdate()
        members = list(household.members.all())
        for member in members:
            member.is_alive = member.status == MemberStatus.ALIVE
            member.age_today = member.age_on(today)
            member.badges = member_flag_badges(member, today)
        head = next(
            (m for m in members if m.hubungan_keluarga == Relationship.HEAD and m.is_alive), None
        )
        return {
            **super().get_context_data(**kwargs),
            "household": household,
            "head": head,
            "members": members,
            "housing": housing_facts(household),
            "assets": asset_labels(household.assets),
            "livestock": livestock_counts(household.livestock),
            "kk_history": list(household.kk_history.all()),
            "panels": render_panels(household_panels(), household, self.request.user),
            "can_edit": self.request.user.has_perm("households.change_household"),
            **self.history_context(household),
        }

    def history_context(self, household):
        logs = ChangeLog.objects.filter(household=household).select_related(
            "user", "import_job", "data_update"
        )
        show_all = self.request.GET.get("riwayat") == "semua"
        page, has_more = None, False
        if show_all:
            page = Paginator(logs, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
            entries = list(page.object_list)
        else:
            entries = list(logs[: HISTORY_PREVIEW + 1])
            has_more = len(entries) > HISTORY_PREVIEW
            entries = entries[:HISTORY_PREVIEW]
        for entry in entries:
            entry.rows = describe_changes(entry)
        return {
            "history": entries,
            "history_page": page,
            "history_show_all": show_all,
            "history_has_more": has_more,
        }


class RegistryEditView(ScopedObjectMixin, TemplateView):
    """GET shows the form, POST hands the cleaned data to a registry service.

    Subclasses give ``get_form(data=None, instance=None)`` and ``save(form)`` → response."""

    model = Household
    permission_required = "households.change_household"
    template_name = "households/household_form.html"

    def household(self):
        return self.object

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "household": self.household(), **kwargs}

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                return self.save(form)
            except StaleVersion as stale:
                return self.render_conflict(form, stale.current)
            except ValidationError as error:
                form.add_error(None, error)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def render_conflict(self, form, current):
        """Someone saved in between: show the current values, and what this user typed where
        it differs, so they can re-apply it knowingly."""
        fresh = self.get_form(instance=current)
        typed = []
        for name, field in fresh.fields.items():
            if name in ("version", "kecamatan") or name not in form.cleaned_data:
                continue
            mine = form.cleaned_data[name]
            now = fresh.initial.get(name, getattr(current, name, None))
            if str(getattr(mine, "pk", mine) or "") != str(getattr(now, "pk", now) or ""):
                typed.append({"label": field.label, "now": now, "mine": mine})
        last = ChangeLog.objects.filter(household_id=self.household().pk).select_related("user")
        return self.render_to_response(
            self.get_context_data(form=fresh, conflict=True, typed=typed, last_change=last.first()),
            status=409,
        )


class HouseholdUpdateView(RegistryEditView):
    def get_form(self, data=None, instance=None):
        return HouseholdForm(data, instance=instance or self.object, user=self.request.user)

    def save(self, form):
        household = update_household(
            self.object, form.registry_data(), self.request.user, form.cleaned_data["version"]
        )
        if household.version == form.cleaned_data["version"]:
            messages.info(self.request, _("Tidak ada perubahan yang disimpan."))
        else:
            messages.success(self.request, _("Data keluarga disimpan."))
        return redirect(household)


class MemberUpdateView(RegistryEditView):
    model = Member
    template_name = "households/member_form.html"

    def get_scoped_queryset(self):
        return Member.objects.select_related("household__desa")

    def household(self):
        return self.object.household

    def get_form(self, data=None, instance=None):
        return MemberForm(data, instance=instance or self.object)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "member": self.object}

    def save(self, form):
        member, warnings = update_member(
            self.object, form.registry_data(), self.request.user, form.cleaned_data["version"]
        )
        if member.version == form.cleaned_data["version"]:
            messages.info(self.request, _("Tidak ada perubahan yang disimpan."))
        else:
            messages.success(self.request, _("Data %(name)s disimpan.") % {"name": member.nama})
        for warning in warnings:
            messages.warning(self.request, warning)
        return redirect(member.household)


class MemberCreateView(RegistryEditView):
    template_name = "households/member_form.html"

    def get_form(self, data=None, instance=None):
        return MemberForm(data, instance=instance or Member(household=self.object))

    def save(self, form):
        member, warnings = add_member(self.object, form.registry_data(), self.request.user)
        messages.success(
            self.request, _("%(name)s ditambahkan ke keluarga.") % {"name": member.nama}
        )
        for warning in warnings:
            messages.warning(self.request, warning)
        return redirect(self.object)


urlpatterns = [
    path("", HouseholdListView.as_view(), name="household_list"),
    path("keluarga/<int:pk>/", HouseholdDetailView.as_view(), name="household_detail"),
    path("keluarga/<int:pk>/ubah/", HouseholdUpdateView.as_view(), name="household_edit"),
    path("keluarga/<int:pk>/anggota/tambah/", MemberCreateView.as_view(), name="member_add"),
    path("anggota/<int:pk>/ubah/", MemberUpdateView.as_view(), name="member_edit"),
]
