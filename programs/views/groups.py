"""Empowerment groups: list, page, create/edit, members joining and leaving, progress."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, TemplateView, UpdateView

from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from programs.filtersets import EmpowermentGroupFilterSet
from programs.forms.groups import EndMembershipForm, GroupForm, GroupMemberForm, GroupProgressForm
from programs.models import EmpowermentGroup, GroupMembership
from programs.services import groups as service
from programs.tables import EmpowermentGroupTable

VIEW = "programs.view_empowermentgroup"
CHANGE = "programs.change_empowermentgroup"


def group_queryset():
    return service.with_member_count(
        service.with_productivity(EmpowermentGroup.objects.select_related("desa", "program"))
    )


class GroupListView(ScopedListView):
    permission_required = VIEW
    template_name = "programs/groups/group_list.html"
    filterset_class = EmpowermentGroupFilterSet
    table_class = EmpowermentGroupTable

    def get_base_queryset(self):
        return group_queryset()


class GroupDetailView(ScopedObjectMixin, TemplateView):
    model = EmpowermentGroup
    permission_required = VIEW
    template_name = "programs/groups/group_detail.html"

    def get_scoped_queryset(self):
        return group_queryset().select_related("desa__parent")

    def get_context_data(self, **kwargs):
        group = self.object
        memberships = list(
            group.memberships.select_related("member__household").order_by(
                "left_on", "member__nama"
            )
        )
        return {
            **super().get_context_data(**kwargs),
            "group": group,
            "current": [m for m in memberships if m.left_on is None],
            "former": [m for m in memberships if m.left_on is not None],
            "progress": list(group.progress.select_related("recorded_by")[:24]),
        }


class GroupCreateView(PermissionRequiredMixin, CreateView):
    permission_required = ("programs.add_empowermentgroup", VIEW)
    model = EmpowermentGroup
    form_class = GroupForm
    template_name = "programs/groups/group_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Kelompok %(name)s dibuat.") % {"name": self.object})
        return response


class GroupUpdateView(ScopedObjectMixin, UpdateView):
    model = EmpowermentGroup
    permission_required = CHANGE
    form_class = GroupForm
    template_name = "programs/groups/group_form.html"

    def get_object(self, queryset=None):
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Kelompok %(name)s disimpan.") % {"name": self.object})
        return response


def group_member_add(request, pk):
    """Add a member by NIK, or picked from the living people of the group's desa."""
    group = get_object_for_user(
        request.user, EmpowermentGroup.objects.select_related("desa"), pk, (VIEW, CHANGE)
    )
    candidates = service.candidate_members(group, request.user)
    form = GroupMemberForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        if form.cleaned_data["nik"]:
            member = service.find_member_by_nik(form.cleaned_data["nik"], request.user)
            if member is None:
                form.add_error("nik", _("NIK ini tidak ada di registri wilayah Anda."))
        if member is not None:
            try:
                service.add_member(group, member, form.cleaned_data["joined_on"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(name)s bergabung dengan kelompok.") % {"name": member.nama},
                )
                return redirect(group)
    return render(
        request,
        "programs/groups/member_form.html",
        {"group": group, "form": form, "candidate_count": candidates.count()},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def group_member_remove(request, pk):
    membership = get_object_for_user(
        request.user,
        GroupMembership.objects.select_related("group", "member"),
        pk,
        (VIEW, CHANGE),
    )
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            service.end_membership(membership, form.cleaned_data["left_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s dicatat keluar dari kelompok.") % {"name": membership.member.nama},
            )
    else:
        messages.error(request, _("Tanggal keluar tidak valid."))
    return redirect(membership.group)


def group_progress_add(request, pk):
    group = get_object_for_user(
        request.user, EmpowermentGroup, pk, (VIEW, "programs.add_groupprogress")
    )
    form = GroupProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.record_progress(group, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Perkembangan kelompok dicatat."))
            return redirect(group)
    return render(
        request,
        "programs/groups/progress_form.html",
        {"group": group, "form": form},
        status=400 if request.method == "POST" else 200,
    )
