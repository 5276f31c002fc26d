"""Category admin: the service level (working days) and handling unit of each category."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView
from django_tables2 import SingleTableView

from complaints.forms import CategoryForm
from complaints.models import Category
from complaints.tables import CategoryTable


class CategoryListView(PermissionRequiredMixin, SingleTableView):
    permission_required = "complaints.view_category"
    model = Category
    table_class = CategoryTable
    template_name = "complaints/category_list.html"


class CategoryEditView(PermissionRequiredMixin, UpdateView):
    permission_required = "complaints.manage_category"
    model = Category
    form_class = CategoryForm
    template_name = "complaints/category_form.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    success_url = reverse_lazy("complaints:category_list")

    def form_valid(self, form):
        messages.success(
            self.request,
            _("Kategori %(name)s disimpan. Batas waktu baru berlaku untuk pengaduan berikutnya.")
            % {"name": form.instance.name},
        )
        return super().form_valid(form)
