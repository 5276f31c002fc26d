"""Staff management by the district admin: list, create, edit, deactivate — all inside their area.

Outside the admin's area a staff member is a 404. Superusers and accounts with Django-admin
access are never listed or editable here: changing their password would hand over more rights
than a district admin has."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from accounts.filtersets import StaffFilterSet
from accounts.forms import DESA, KECAMATAN, StaffForm
from accounts.models import StaffProfile, staff_accounts
from accounts.services import set_role
from accounts.tables import StaffTable
from core.models import Region
from core.regions import level_of
from core.scope import area_of
from core.views import ScopedListView, get_object_for_user


class StaffListView(ScopedListView):
    permission_required = "accounts.manage_staff"
    template_name = "accounts/staff_list.html"
    filterset_class = StaffFilterSet
    table_class = StaffTable
    per_page = 50

    def get_base_queryset(self):
        area_name = Region.objects.filter(code=OuterRef("profile__area_code"))
        return (
            staff_accounts()
            .annotate(area_name=Subquery(area_name.values("name")[:1]))
            .order_by("profile__area_code", "username")
        )

    def get_table_kwargs(self):
        return {"request_user": self.request.user}

    def get_context_data(self, **kwargs):
        area = area_of(self.request.user)
        region = Region.objects.filter(code=area).first() if area else None
        return {**super().get_context_data(**kwargs), "area_region": region}


class StaffCreateView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.manage_staff"
    template_name = "accounts/staff_form.html"
    form_class = StaffForm
    success_url = reverse_lazy("accounts:staff_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editor": self.request.user}

    @transaction.atomic
    def form_valid(self, form):
        data = form.cleaned_data
        user = get_user_model().objects.create_user(
            username=data["username"],
            password=data["password"],
            first_name=data["first_name"],
            email=data["email"],
        )
        set_role(user, data["role"], data["area"], created_by=self.request.user)
        StaffProfile.objects.filter(user=user).update(phone=data["phone"])
        messages.success(
            self.request,
            _("Petugas %(name)s ditambahkan. Sampaikan nama pengguna dan kata sandi awalnya.")
            % {"name": user.username},
        )
        return super().form_valid(form)


def initial_area(area: str) -> dict:
    """The picker's values that stand for ``area``."""
    level = level_of(area) if area else 0
    if level == KECAMATAN:
        return {"kecamatan": area, "desa": "", "area_code": area}
    if level == DESA:
        return {"kecamatan": area[:8], "desa": area, "area_code": area}
    return {"kecamatan": "", "desa": "", "area_code": area}


class StaffUpdateView(StaffCreateView):
    def dispatch(self, request, *args, **kwargs):
        # Staff outside the area are 404 for everyone (a 403 would tell that they exist);
        # inside the area a user without the permission gets 403.
        self.staff = get_object_for_user(
            request.user, staff_accounts(), kwargs["pk"], self.permission_required
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.staff}

    def get_initial(self):
        profile = self.staff.profile
        return {
            "username": self.staff.username,
            "first_name": self.staff.first_name,
            "email": self.staff.email,
            "phone": profile.phone,
            "role": profile.role,
            **initial_area(profile.area_code),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "staff": self.staff}

    @transaction.atomic
    def form_valid(self, form):
        data = form.cleaned_data
        self.staff.first_name = data["first_name"]
        self.staff.email = data["email"]
        if data["password"]:
            self.staff.set_password(data["password"])
        self.staff.save()
        if not form.editing_self:
            set_role(self.staff, data["role"], data["area"])
        StaffProfile.objects.filter(user=self.staff).update(phone=data["phone"])
        messages.success(
            self.request, _("Data petugas %(name)s disimpan.") % {"name": self.staff.username}
        )
        return redirect(self.success_url)


@require_POST
def staff_set_active(request, pk):
    """Deactivate (``active=0``) or reactivate (``active=1``) a staff member. A deactivated
    account cannot log in, and its open sessions end at their next request. Staff outside the
    user's area are 404 before the permission check, as on the edit page."""
    staff = get_object_for_user(request.user, staff_accounts(), pk, "accounts.manage_staff")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("accounts:staff_list")
    if staff == request.user:
        messages.error(request, _("Anda tidak bisa menonaktifkan akun Anda sendiri."))
        return redirect(back)
    staff.is_active = request.POST.get("active") == "1"
    staff.save(update_fields=["is_active"])
    if staff.is_active:
        messages.success(request, _("Petugas %(name)s diaktifkan lagi.") % {"name": staff})
    else:
        messages.success(
            request,
            _("Petugas %(name)s dinonaktifkan dan tidak bisa masuk lagi.") % {"name": staff},
        )
    return redirect(back)
