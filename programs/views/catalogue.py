"""The program catalogue (the Program section's index), a program's page, its targets, the
PKH benefit table, and agencies with their partner staff."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, TemplateView, UpdateView

from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from programs.filtersets import AgencyFilterSet, ProgramFilterSet
from programs.forms.catalogue import (
    AgencyForm,
    AgencyStaffForm,
    BenefitTableForm,
    CopyBenefitTableForm,
    ProgramForm,
    TargetForm,
    YearForm,
)
from programs.models import Agency, Program, ProgramTarget
from programs.services import catalogue as service
from programs.tables import AgencyTable, ProgramTable

TARGET_PERMISSIONS = ("programs.add_programtarget", "programs.change_programtarget")


def _year(value, default: int) -> int:
    form = YearForm({"year": value})
    return form.cleaned_data["year"] if form.is_valid() else default


# Programs --------------------------------------------------------------------------------------


class ProgramListView(ScopedListView):
    """The catalogue: the Program section's first page."""

    permission_required = "programs.view_program"
    template_name = "programs/catalogue/program_list.html"
    filterset_class = ProgramFilterSet
    table_class = ProgramTable

    def get_base_queryset(self):
        return service.catalogue_queryset(self.request.user)


class ProgramDetailView(ScopedObjectMixin, TemplateView):
    model = Program
    permission_required = "programs.view_program"
    template_name = "programs/catalogue/program_detail.html"

    def get_scoped_queryset(self):
        return Program.objects.select_related("agency__region")

    def get_context_data(self, **kwargs):
        program, user = self.object, self.request.user
        this_year = timezone.localdate().year
        year = _year(self.request.GET.get("tahun"), this_year)
        years = set(
            ProgramTarget.objects.for_user(user)
            .filter(program=program)
            .values_list("year", flat=True)
        ) | {this_year, year}
        can_see_targets = user.has_perm("programs.view_programtarget")
        return {
            **super().get_context_data(**kwargs),
            "program": program,
            "rule": service.rule_in_words(program),
            "year": year,
            "years": sorted(years, reverse=True),
            "is_current_year": year == this_year,
            "targets": service.target_rows(program, user, year) if can_see_targets else [],
            "can_see_targets": can_see_targets,
            "can_change": service.can_change_program(user, program),
            "can_plan": user.has_perms(TARGET_PERMISSIONS)
            and service.planning_district(user) is not None,
        }


class ProgramCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "programs.add_program"
    model = Program
    form_class = ProgramForm
    template_name = "programs/catalogue/program_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Program %(code)s dibuat.") % {"code": self.object.code})
        return response


class ProgramUpdateView(ScopedObjectMixin, UpdateView):
    model = Program
    permission_required = "programs.change_program"
    form_class = ProgramForm
    template_name = "programs/catalogue/program_form.html"

    def get_scoped_queryset(self):
        return Program.objects.select_related("agency")

    def get_object(self, queryset=None):
        if not service.can_change_program(self.request.user, self.object):
            raise PermissionDenied
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        form.instance.updated_at = timezone.now()
        response = super().form_valid(form)
        messages.success(self.request, _("Program %(code)s disimpan.") % {"code": self.object.code})
        return response


class ProgramTargetsView(ScopedObjectMixin, TemplateView):
    """The targets of one year: the district total and each kecamatan of the district."""

    model = Program
    permission_required = TARGET_PERMISSIONS
    template_name = "programs/catalogue/program_targets.html"

    def rows(self, year):
        return service.target_rows(self.object, self.request.user, year)

    def get(self, request, *args, **kwargs):
        year = _year(request.GET.get("tahun"), timezone.localdate().year)
        return self.render_form(TargetForm(rows=self.rows(year)), year)

    def post(self, request, *args, **kwargs):
        year_form = YearForm(request.POST)
        if not year_form.is_valid():
            messages.error(request, " ".join(year_form.errors.get("year", [])))
            return redirect("programs:program_targets", pk=self.object.pk)
        year = year_form.cleaned_data["year"]
        form = TargetForm(request.POST, rows=self.rows(year))
        if form.is_valid():
            try:
                changed = service.save_targets(self.object, request.user, year, form.planned())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Target %(year)d disimpan (%(n)d baris berubah).")
                    % {"year": year, "n": changed},
                )
                url = reverse("programs:program_detail", args=[self.object.pk])
                return redirect(f"{url}?tahun={year}")
        return self.render_form(form, year, status=400)

    def render_form(self, form, year, status=200):
        if service.planning_district(self.request.user) is None:
            raise PermissionDenied
        return self.render_to_response(
            self.get_context_data(program=self.object, form=form, year=year), status=status
        )


# The PKH benefit table -------------------------------------------------------------------------


class BenefitRateView(PermissionRequiredMixin, TemplateView):
    permission_required = "programs.view_benefitrate"
    template_name = "programs/catalogue/benefit_rates.html"

    def get_context_data(self, **kwargs):
        years = service.benefit_years()
        this_year = timezone.localdate().year
        default = years[0] if years else this_year
        year = _year(self.request.GET.get("tahun"), default)
        table = service.benefit_table(year)
        return {
            **super().get_context_data(**kwargs),
            "years": years,
            "year": year,
            "table": table,
            "total_set": sum(1 for row in table if row["amount"] is not None),
            "copy_form": CopyBenefitTableForm(
                initial={"from_year": default, "to_year": max(default + 1, this_year)}
            ),
        }


def benefit_rate_edit(request, year):
    if not request.user.has_perms(("programs.change_benefitrate", "programs.add_benefitrate")):
        raise PermissionDenied
    year_form = YearForm({"year": year})
    if not year_form.is_valid():
        messages.error(request, " ".join(year_form.errors["year"]))
        return redirect("programs:benefit_rates")
    table = service.benefit_table(year)
    form = BenefitTableForm(request.POST or None, table=table)
    if request.method == "POST" and form.is_valid():
        changed = service.save_benefit_table(year, form.amounts(), request.user)
        messages.success(
            request,
            _("Nilai bantuan PKH %(year)d disimpan (%(n)d komponen berubah).")
            % {"year": year, "n": changed},
        )
        return redirect(f"{reverse('programs:benefit_rates')}?tahun={year}")
    return render(
        request,
        "programs/catalogue/benefit_rate_form.html",
        {"form": form, "year": year},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def benefit_rate_copy(request):
    if not request.user.has_perm("programs.add_benefitrate"):
        raise PermissionDenied
    form = CopyBenefitTableForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programs:benefit_rates")
    from_year, to_year = form.cleaned_data["from_year"], form.cleaned_data["to_year"]
    try:
        copied = service.copy_benefit_table(from_year, to_year, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse('programs:benefit_rates')}?tahun={from_year}")
    messages.success(
        request,
        _("Tabel %(from)d disalin ke %(to)d (%(n)d komponen). Periksa dan ubah nilainya.")
        % {"from": from_year, "to": to_year, "n": copied},
    )
    return redirect(f"{reverse('programs:benefit_rates')}?tahun={to_year}")


# Agencies --------------------------------------------------------------------------------------


class AgencyListView(ScopedListView):
    permission_required = "programs.view_agency"
    template_name = "programs/catalogue/agency_list.html"
    filterset_class = AgencyFilterSet
    table_class = AgencyTable

    def get_base_queryset(self):
        return Agency.objects.select_related("region").annotate(program_count=Count("programs"))


class AgencyDetailView(ScopedObjectMixin, TemplateView):
    model = Agency
    permission_required = "programs.view_agency"
    template_name = "programs/catalogue/agency_detail.html"

    def get_scoped_queryset(self):
        return Agency.objects.select_related("region")

    def get_context_data(self, **kwargs):
        agency, user = self.object, self.request.user
        can_link = user.has_perm("programs.add_agencystaff")
        return {
            **super().get_context_data(**kwargs),
            "agency": agency,
            "programs": Program.objects.for_user(user).filter(agency=agency).order_by("code"),
            "staff": service.agency_staff(agency, user)
            if user.has_perm("programs.view_agencystaff")
            else None,
            "staff_form": AgencyStaffForm(user=user) if can_link else None,
            "can_unlink": user.has_perm("programs.delete_agencystaff"),
            "can_change": service.can_change_agency(user, agency),
        }


class AgencyCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "programs.add_agency"
    model = Agency
    form_class = AgencyForm
    template_name = "programs/catalogue/agency_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self):
        return reverse("programs:agency_detail", args=[self.object.pk])

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("%(name)s ditambahkan.") % {"name": self.object.name})
        return response


class AgencyUpdateView(ScopedObjectMixin, UpdateView):
    model = Agency
    permission_required = "programs.change_agency"
    form_class = AgencyForm
    template_name = "programs/catalogue/agency_form.html"

    def get_object(self, queryset=None):
        if not service.can_change_agency(self.request.user, self.object):
            raise PermissionDenied
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self):
        return reverse("programs:agency_detail", args=[self.object.pk])

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("%(name)s disimpan.") % {"name": self.object.name})
        return response


@require_POST
def agency_staff_add(request, pk):
    agency = get_object_for_user(
        request.user, Agency, pk, ("programs.view_agency", "programs.add_agencystaff")
    )
    form = AgencyStaffForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            link = service.link_staff(agency, form.cleaned_data["user"], request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s terhubung ke %(agency)s.")
                % {"name": link.user.get_full_name() or link.user.username, "agency": agency},
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("programs:agency_detail", pk=agency.pk)


@require_POST
def agency_staff_remove(request, pk):
    link = get_object_for_user(
        request.user, service.visible_staff_links(request.user), pk, "programs.delete_agencystaff"
    )
    agency = link.agency
    link.delete()
    messages.success(
        request,
        _("%(name)s tidak lagi terhubung ke %(agency)s.")
        % {"name": link.user.get_full_name() or link.user.username, "agency": agency},
    )
    return redirect("programs:agency_detail", pk=agency.pk)
