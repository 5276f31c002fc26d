"""Front office: find the resident (or record an unregistered one), record their needs; the
intake list and one intake with its referrals. Rules in ``referrals.services``."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core import access
from core.search import too_many_lookups_message
from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from households.models import Household, Member
from households.services.registry import search_by_name, search_by_number
from referrals import services
from referrals.filtersets import IntakeFilterSet
from referrals.forms import (
    IntakeForm,
    PersonAddressForm,
    PersonForm,
    ReferForm,
    ResidentSearchForm,
)
from referrals.models import Intake
from referrals.tables import IntakeTable

SEARCH_LIMIT = 20


def _members_found(user, text: str):
    households = Household.objects.for_user(user)
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 16:
        found = search_by_number(households, digits)
        members = Member.objects.filter(household__in=found)
        if Member.objects.filter(nik=digits, household__in=found).exists():
            members = members.filter(nik=digits)
    else:
        ids = list(search_by_name(households, text).queryset.values_list("pk", flat=True)[:50])
        members = Member.objects.filter(household_id__in=ids, nama__trigram_word_similar=text)
    return members.filter(status="alive").select_related("household__desa")[:SEARCH_LIMIT]


@permission_required("referrals.add_intake", raise_exception=True)
def intake_add(request):
    """One page: search (POST, so a NIK never lands in a URL), pick the resident or choose
    "belum terdaftar", then the needs. Works on a phone and without JavaScript."""
    user = request.user
    action = request.POST.get("action", "")
    member = None
    member_id = request.POST.get("member") or request.GET.get("warga")
    if member_id and not str(member_id).isdigit():
        raise Http404
    if member_id:
        member = get_object_for_user(
            user,
            Member.objects.filter(household__in=Household.objects.for_user(user)),
            member_id,
        )
    unregistered = not member and (request.POST.get("baru") or request.GET.get("baru")) == "1"
    search_form = ResidentSearchForm(request.POST if action == "search" else None)
    found = None
    if action == "search" and search_form.is_valid():
        text = search_form.cleaned_data["q"]
        if access.is_identity_search(text) and not access.identity_lookup(request, text):
            search_form.add_error("q", too_many_lookups_message())
        else:
            found = _members_found(user, text)
    saving = action == "save"
    data = request.POST if saving else None
    form = IntakeForm(data, user=user)
    person_form = address_form = None
    if unregistered:
        person_form = PersonForm(data, user=user, prefix="warga")
        address_form = PersonAddressForm(data, user=user, prefix="alamat")
    if saving:
        valid = [form.is_valid()]
        if unregistered:
            valid += [person_form.is_valid(), address_form.is_valid()]
        if not member and not unregistered:
            messages.error(request, _("Pilih warga dari registri atau catat warga baru."))
        elif all(valid):
            person = None
            if unregistered:
                person = services.UnregisteredPerson(
                    household=address_form.household_payload(),
                    member=person_form.member_payload(),
                    nik_warnings=person_form.warnings,
                )
            try:
                intake, created = services.record_intake(
                    user=user,
                    service_point=form.cleaned_data["service_point"],
                    channel=form.cleaned_data["channel"],
                    story=form.cleaned_data["story"],
                    needs=form.need_rows(),
                    consent=form.cleaned_data.get("consent") or "",
                    consent_note=form.cleaned_data.get("consent_note", ""),
                    member=member,
                    person=person,
                    desa_code=address_form.cleaned_data["desa"] if unregistered else None,
                    contact=form.cleaned_data.get("contact", ""),
                    submission=form.cleaned_data["submission"],
                )
            except services.ReferralError as error:
                messages.error(request, str(error))
            else:
                if created:
                    messages.success(request, _("Layanan warga dicatat."))
                else:
                    messages.info(request, _("Layanan ini sudah tercatat; tidak dicatat dua kali."))
                return redirect("referrals:intake_detail", pk=intake.pk)
    status = 400 if saving else 200
    return render(
        request,
        "referrals/intake_form.html",
        {
            "form": form,
            "search_form": search_form,
            "found": found,
            "member": member,
            "unregistered": unregistered,
            "person_form": person_form,
            "address_form": address_form,
        },
        status=status,
    )


def _intakes():
    return Intake.objects.select_related(
        "service_point", "desa", "member", "household", "created_by", "data_update"
    )


class IntakeListView(ScopedListView):
    permission_required = "referrals.view_intake"
    filterset_class = IntakeFilterSet
    table_class = IntakeTable
    template_name = "referrals/intake_list.html"

    def get_base_queryset(self):
        return _intakes().prefetch_related("needs")


class IntakeDetailView(ScopedObjectMixin, TemplateView):
    model = Intake
    permission_required = "referrals.view_intake"
    template_name = "referrals/intake_detail.html"

    def get_scoped_queryset(self):
        return _intakes()

    def get_context_data(self, **kwargs):
        intake = self.object
        needs = []
        may_refer = self.request.user.has_perm("referrals.manage_referral")
        for need in intake.needs.prefetch_related("referrals__agency").order_by("pk"):
            referrals = list(need.referrals.all())
            open_referral = next((r for r in referrals if r.is_open), None)
            needs.append(
                {
                    "need": need,
                    "referrals": referrals,
                    "form": ReferForm(user=self.request.user, prefix=f"need{need.pk}")
                    if may_refer and open_referral is None
                    else None,
                }
            )
        return {
            **super().get_context_data(**kwargs),
            "intake": intake,
            "needs": needs,
        }


@permission_required("referrals.view_intake", raise_exception=True)
def refer(request, pk, need_pk):
    intake = get_object_for_user(request.user, _intakes(), pk)
    if request.method != "POST":
        return redirect("referrals:intake_detail", pk=intake.pk)
    if not request.user.has_perm("referrals.manage_referral"):
        raise PermissionDenied
    need = intake.needs.filter(pk=need_pk).first()
    if need is None:
        messages.error(request, _("Kebutuhan ini tidak ada pada layanan ini."))
        return redirect("referrals:intake_detail", pk=intake.pk)
    form = ReferForm(request.POST, request.FILES, user=request.user, prefix=f"need{need.pk}")
    if form.is_valid():
        try:
            referral = services.refer(
                user=request.user,
                need=need,
                agency=form.cleaned_data["agency"],
                reason=form.cleaned_data["reason"],
                document=form.cleaned_data.get("document"),
            )
        except services.ReferralError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Rujukan %(reference)s dikirim.") % {"reference": referral.reference}
            )
            return redirect("referrals:referral_detail", pk=referral.pk)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("referrals:intake_detail", pk=intake.pk)
