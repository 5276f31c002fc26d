"""The one way a view reaches scoped data.

- One object: ``get_object_for_user`` (function views) or ``ScopedObjectMixin`` (class-based
  views) look the object up inside the user's area first — outside it the answer is a 404 for
  everybody, so a 403 never tells that the record exists — and only then check the permission
  (403 inside the area).
- A list: ``ScopedListView`` — permission, FilterSet, table, pagination that counts the rows once,
  and a queryset that always comes from ``for_user``.
- ``region_options``: the htmx endpoint of the region picker (``core.widgets``).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig
from django_tables2.views import SingleTableMixin

from core.forms import HolidayForm
from core.models import AccessKind, AccessLog, Holiday, Notification, Region
from core.regions import normalise_code
from core.scope import area_of
from core.search import TOKEN_PARAM, search_data
from core.spreadsheets import table_response
from core.workdays import national_holidays


def _scoped(user, queryset):
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    return queryset.for_user(user)


def _check(user, permission):
    permissions = (permission,) if isinstance(permission, str) else permission
    if permissions and not user.has_perms(permissions):
        raise PermissionDenied


def get_object_for_user(user, queryset, pk, permission=None):
    """The object ``pk`` of ``queryset`` (a model or a queryset with ``for_user``) if it lies in
    the user's area, else 404; then ``permission`` (one or several), else 403."""
    obj = get_object_or_404(_scoped(user, queryset), pk=pk)
    _check(user, permission)
    return obj


class ScopedObjectMixin:
    """Sets ``self.object`` in ``dispatch``, by the rule of ``get_object_for_user``.

    ``permission_required`` is checked after the lookup. A user who may not even view this kind
    of record (``<app>.view_<model>``) gets the 404 too: for them it does not exist."""

    model = None
    permission_required = None
    pk_url_kwarg = "pk"

    def get_scoped_queryset(self):
        return self.model._default_manager.all()

    def dispatch(self, request, *args, **kwargs):
        queryset = _scoped(request.user, self.get_scoped_queryset())
        opts = queryset.model._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            queryset = queryset.none()
        self.object = get_object_for_user(
            request.user, queryset, kwargs[self.pk_url_kwarg], self.permission_required
        )
        return super().dispatch(request, *args, **kwargs)


class ScopedListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """A filtered, sorted, paginated table of the records in the user's area.

    Set ``model`` (or override ``get_base_queryset``: joins, annotations, a narrower set),
    ``permission_required``, ``filterset_class``, ``table_class`` and ``template_name``. The
    queryset is always ``get_base_queryset().for_user(user)``, so a list cannot forget the
    area. With ``partial_template_name``, an htmx request aimed at ``partial_target`` gets only
    the results."""

    per_page = 25
    partial_template_name = None
    partial_target = "results"
    # The table paginates; ListView's own ``paginate_by`` would count the rows a second time.
    paginate_by = None

    def get_base_queryset(self):
        return self.model._default_manager.all()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs.get("data") is not None or self.request.GET.get(TOKEN_PARAM):
            # The search terms a posted form left in the session (core.search).
            kwargs["data"] = search_data(self.request)
        return kwargs

    def get_queryset(self):
        return self.get_base_queryset().for_user(self.request.user)

    def get_table_pagination(self, table):
        return {"per_page": self.per_page}

    def get_table(self, **kwargs):
        """The table sorted as the request asks, paginated as the view says: the page size is
        the view's (a ``per_page`` in the query string cannot make a page of a million rows).
        A page number past the end shows the last page, anything else not a number the first."""
        table_class = self.get_table_class()
        table = table_class(data=self.get_table_data(), **{**self.get_table_kwargs(), **kwargs})
        RequestConfig(self.request, paginate=False).configure(table)
        pagination = self.get_table_pagination(table)
        try:
            table.paginate(page=self.request.GET.get(table.prefixed_page_field, 1), **pagination)
        except PageNotAnInteger:
            table.paginate(page=1, **pagination)
        except EmptyPage:
            table.paginate(page=table.paginator.num_pages, **pagination)
        return table

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if self.partial_template_name and htmx and htmx.target == self.partial_target:
            return [self.partial_template_name]
        return super().get_template_names()


@require_GET
def region_options(request):
    """``<option>``s of the children of ``parent`` that lie in the user's area (htmx picker)."""
    parent = normalise_code(request.GET.get("parent", ""))
    if not parent:
        return HttpResponseBadRequest()
    area = area_of(request.user)
    children = Region.objects.filter(parent_id=parent).only("code", "name")
    if area is None:
        children = children.none()
    elif area and not parent.startswith(area):
        # Above the user's area only the branch that leads to it is offered.
        children = children.filter(code__in=_ancestors(area))
    return render(
        request,
        "core/region_options.html",
        {"regions": children, "empty_label": request.GET.get("empty", "")},
    )


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


NOTIFICATIONS_PER_PAGE = 50


@require_GET
def notification_list(request):
    """The signed-in user's notifications, newest first (never anyone else's)."""
    notifications = Notification.objects.filter(user=request.user)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go where it points (only a path of this site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("core:notifications")
    return redirect(target)


@require_POST
def notifications_read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect("core:notifications")


def holiday_list(request):
    """The working-day calendar: national holidays of a year and the district's own days off,
    which the district admin adds and removes here."""
    if not request.user.has_perm("core.view_holiday"):
        raise PermissionDenied
    year = _year_param(request.GET.get("tahun"))
    form = HolidayForm()
    if request.method == "POST":
        if not request.user.has_perm("core.add_holiday"):
            raise PermissionDenied
        form = HolidayForm(request.POST)
        district = _district_of(area_of(request.user))
        if form.is_valid() and (
            Holiday.objects.filter(date=form.cleaned_data["date"], region_id=district).exists()
        ):
            form.add_error("date", _("Tanggal ini sudah menjadi hari libur daerah."))
        if form.is_valid():
            holiday = form.save(commit=False)
            holiday.created_by = request.user
            holiday.region_id = district
            holiday.save()
            messages.success(
                request,
                _("Hari libur daerah %(date)s ditambahkan.")
                % {"date": holiday.date.strftime("%d/%m/%Y")},
            )
            return redirect(f"{reverse('core:holiday_list')}?tahun={holiday.date.year}")
    context = {
        "year": year,
        "years": range(year - 1, year + 3),
        "national": sorted(national_holidays(year).items()),
        "district": Holiday.objects.for_user(request.user)
        .filter(date__year=year)
        .select_related("region"),
        "form": form,
    }
    return render(request, "core/holiday_list.html", context, status=400 if form.errors else 200)


@require_POST
def holiday_delete(request, pk):

    if not request.user.has_perm("core.view_holiday"):
        raise PermissionDenied
    holiday = get_object_or_404(Holiday.objects.for_user(request.user), pk=pk)
    if not request.user.has_perm("core.delete_holiday"):
        raise PermissionDenied
    holiday.delete()
    messages.success(request, _("Hari libur daerah dihapus."))
    return redirect(f"{reverse('core:holiday_list')}?tahun={holiday.date.year}")


def _district_of(area: str | None) -> str | None:
    """The kabupaten/kota a user's days off belong to (none for a user of the whole country)."""
    return ".".join(area.split(".")[:2]) if area else None


def _year_param(value) -> int:
    today = timezone.localdate()
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= 2100 else today.year


ACCESS_LOG_PER_PAGE = 50
ACCESS_LOG_EXPORT_MAX = 100_000


def _date_param(value: str):
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date() if value else None
    except ValueError:
        return False


@require_GET
def access_log(request):
    """The access log inside the admin's area: filter by user, kind and dates (dd/mm/yyyy),
    page through it or download it (``?export=csv|xlsx``)."""
    if not request.user.has_perm("core.view_accesslog"):
        raise PermissionDenied
    lines = AccessLog.objects.for_user(request.user).select_related("user")
    params = request.GET
    username = params.get("pengguna", "").strip()
    kind = params.get("jenis", "")
    since, until = _date_param(params.get("dari", "")), _date_param(params.get("sampai", ""))
    if username:
        lines = lines.filter(user__username__iexact=username)
    if kind in AccessKind.values:
        lines = lines.filter(kind=kind)
    if since is False or until is False:
        messages.error(request, _("Tanggal harus berformat dd/mm/yyyy."))
    if since:
        lines = lines.filter(created_at__date__gte=since)
    if until:
        lines = lines.filter(created_at__date__lte=until)
    lines = lines.order_by("-created_at", "-pk")
    export = params.get("export")
    if export in ("csv", "xlsx"):
        headers = [_("Waktu"), _("Pengguna"), _("Jenis"), _("Data"), _("Wilayah"), _("Alamat IP")]
        rows = (
            [
                timezone.localtime(line.created_at).strftime("%d/%m/%Y %H:%M:%S"),
                line.user.username,
                line.get_kind_display(),
                line.object_ref,
                line.area_code,
                line.ip_address or "",
            ]
            for line in lines[:ACCESS_LOG_EXPORT_MAX].iterator()
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return table_response(export, f"log-akses-{stamp}.{export}", _("Log akses"), headers, rows)
    page = Paginator(lines, ACCESS_LOG_PER_PAGE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "page_obj": page,
        "kinds": AccessKind.choices,
        "chosen": {"pengguna": username, "jenis": kind},
        "dates": {"dari": params.get("dari", ""), "sampai": params.get("sampai", "")},
        "query": query.urlencode(),
    }
    return render(request, "core/access_log.html", context)
