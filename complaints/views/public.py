"""The public pages (no login): file a complaint, see its ticket and tracking code, check its
status with both, appeal a closed complaint once.

What a visitor sees of a complaint is the status page's short list: ticket, category, desa,
status, due date, the public steps and replies — never the description, names, NIK/No KK, the
officer or the internal notes. A wrong code and an unknown ticket get the same answer. Forms
post (codes never travel in URLs or access logs) and are limited per address
(django-ratelimit over the Redis cache; a 429 page beyond the limit)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from complaints.forms import AppealForm, PublicComplaintForm, StatusCheckForm
from complaints.models import Complaint
from complaints.services import handling, intake
from config.client_ip import client_ip

SESSION_KEY = "complaints_submitted"


def _address(group, request):
    return client_ip(request) or "unknown"


def _limited(request, group: str, rate: str) -> bool:
    return is_ratelimited(
        request, group=group, key=_address, rate=rate, method="POST", increment=True
    )


def too_many(request):
    return render(request, "complaints/public/too_many.html", status=429)


@login_not_required
@never_cache
def submit(request):
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _limited(request, "complaints-submit", settings.COMPLAINTS_SUBMIT_RATE):
            return too_many(request)
        if form.is_spam:
            # A robot filled the hidden field: it is told nothing, and nothing is stored.
            request.session[SESSION_KEY] = {}
            return redirect("complaints:public_received")
        if form.is_valid():
            try:
                submitted = intake.submit_public(**form.intake_values())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SESSION_KEY] = {
                    "ticket": submitted.complaint.ticket,
                    "code": submitted.tracking_code,
                }
                return redirect("complaints:public_received")
    return render(request, "complaints/public/submit.html", {"form": form})


@login_not_required
@never_cache
def received(request):
    """Shown once: the ticket and code leave the session when the page is shown."""
    if SESSION_KEY not in request.session:
        return redirect("complaints:public_submit")
    data = request.session.pop(SESSION_KEY)
    return render(request, "complaints/public/received.html", {"submitted": data})


def _public_view(complaint) -> dict:
    return {
        "complaint": complaint,
        "events": complaint.events.public().order_by("at", "id"),
        "appeal": Complaint.objects.filter(appeal_of=complaint).first(),
        "may_appeal": handling.may_appeal(complaint),
    }


@login_not_required
@never_cache
def status(request):
    form = StatusCheckForm(request.POST or None)
    context = {"form": form, "checked": False}
    if request.method == "POST":
        if _limited(request, "complaints-status", settings.COMPLAINTS_STATUS_RATE):
            return too_many(request)
        if form.is_valid():
            context["checked"] = True
            complaint = intake.find_for_status_page(
                form.cleaned_data["ticket"], form.cleaned_data["code"]
            )
            if complaint is not None:
                context.update(_public_view(complaint))
                context["appeal_form"] = AppealForm(
                    initial={
                        "ticket": complaint.ticket,
                        "code": form.cleaned_data["code"],
                    }
                )
    return render(request, "complaints/public/status.html", context)


@login_not_required
@never_cache
def appeal(request):
    form = AppealForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "complaints-submit", settings.COMPLAINTS_SUBMIT_RATE):
            return too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                submitted = handling.appeal(data["ticket"], data["code"], data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SESSION_KEY] = {
                    "ticket": submitted.complaint.ticket,
                    "code": submitted.tracking_code,
                    "appeal_of": data["ticket"].strip().upper(),
                }
                return redirect("complaints:public_received")
    return render(request, "complaints/public/appeal.html", {"form": form})
