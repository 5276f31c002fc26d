"""The one region picker: the kecamatan → desa pair of every form and filter, and the region
choices of the staff form.

The kecamatan ``<select>`` reloads the desa ``<select>`` through ``core:region_options``
(htmx) when it changes; without JavaScript the form still works because the server offers the
desa of the submitted kecamatan. ``RegionPicker`` decides which regions a user may pick (only
those inside their area) and validates a submitted pair.
"""

import json
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.fields import BLANK_CHOICE_DASH
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Region, RegionLevel
from core.regions import level_of
from core.scope import area_of, code_in_area

BLANK_CHOICE = tuple(BLANK_CHOICE_DASH[0])


class CascadingRegionSelect(forms.Select):
    """A ``<select>`` of regions whose change reloads the children of the chosen region into
    the ``<select>`` with id ``target_id``."""

    def __init__(self, target_id: str, child_empty_label: str, attrs=None, choices=()):
        self.target_id = target_id
        self.child_empty_label = child_empty_label
        super().__init__(attrs, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # An empty choice asks for the children of no region, which resets the target to its
        # empty option instead of leaving the desa of the previous kecamatan behind.
        # static/js/terpadu.js adds the picked code as ``parent`` (data-region-parent): no
        # ``js:`` values, which htmx would have to eval under a CSP that forbids it.
        vals = json.dumps({"empty": str(self.child_empty_label)})
        context["widget"]["attrs"].update(
            {
                "hx-get": reverse("core:region_options"),
                "hx-trigger": "change",
                "hx-target": f"#{self.target_id}",
                "hx-swap": "innerHTML",
                "hx-vals": vals,
                "hx-sync": "this:replace",
                "data-region-parent": True,
            }
        )
        return context


class RegionPicker:
    """The regions a user may choose, given their area (or an explicit ``area`` code).

    A district user picks any kecamatan of the district; a kecamatan user has exactly theirs;
    a desa user has their kecamatan and their desa."""

    def __init__(self, user=None, *, area: str | None = None):
        self.area = area_of(user) if user is not None else area

    @cached_property
    def area_region(self) -> Region | None:
        return Region.objects.filter(code=self.area).first() if self.area else None

    def _inside_area(self, queryset):
        if self.area is None:
            return queryset.none()
        if self.area == "":
            return queryset
        return queryset.filter(Q(code=self.area) | Q(code__startswith=self.area + "."))

    def kecamatan_choices(self):
        kecamatan = Region.objects.filter(level=RegionLevel.KECAMATAN)
        if self.area and level_of(self.area) > RegionLevel.KECAMATAN:
            # A desa user works in the kecamatan above their desa.
            kecamatan = kecamatan.filter(code=self.area[:8])
        else:
            kecamatan = self._inside_area(kecamatan)
        return [(r.code, r.name) for r in kecamatan.only("code", "name").order_by("code")]

    def desa_choices(self, kecamatan: str | None):
        kecamatan = kecamatan or self.fixed_kecamatan()
        if not kecamatan:
            return []
        desa = self._inside_area(Region.objects.filter(level=RegionLevel.DESA, parent_id=kecamatan))
        return [(r.code, r.name) for r in desa.only("code", "name").order_by("code")]

    def desa_groups(self, within: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every desa inside the area (or inside the region ``within``), grouped by kecamatan
        name for ``<optgroup>``s: one select instead of two where a kabupaten's 400 desa fit."""
        desa = Region.objects.filter(level=RegionLevel.DESA)
        if within is not None:
            desa = desa.filter(Q(code=within) | Q(code__startswith=within + "."))
        else:
            desa = self._inside_area(desa)
        groups: dict[str, list] = {}
        for region in desa.select_related("parent").order_by("code"):
            groups.setdefault(region.parent.name, []).append((region.code, region.name))
        return list(groups.items())

    def fixed_kecamatan(self) -> str | None:
        """The one kecamatan a kecamatan or desa user works in (None for district users)."""
        if self.area and level_of(self.area) >= RegionLevel.KECAMATAN:
            return ".".join(self.area.split(".")[:3])
        return None

    def fixed_desa(self) -> str | None:
        if self.area and level_of(self.area) == RegionLevel.DESA:
            return self.area
        return None

    def allows(self, code: str) -> bool:
        return code_in_area(code, self.area)


class RegionFieldsMixin:
    """Adds a ``kecamatan`` → ``desa`` pair to a form for the user passed as ``user``.

    ``cleaned_data["desa"]`` is a ``Region`` (or None when optional and empty). Subclasses set
    ``region_required`` to make the desa mandatory (forms that place a household)."""

    region_required = False
    kecamatan_field = "kecamatan"
    desa_field = "desa"

    def add_region_fields(self, user, initial_desa: str | None = None):
        self.region_picker = RegionPicker(user)
        prefix = f"{self.prefix}-" if getattr(self, "prefix", None) else ""
        desa_id = f"id_{prefix}{self.desa_field}"
        kecamatan = (
            self.data.get(self.add_prefix(self.kecamatan_field))
            if self.is_bound
            else (initial_desa or "")[:8]
        )
        kecamatan = kecamatan or self.region_picker.fixed_kecamatan()
        self.fields[self.kecamatan_field] = forms.ChoiceField(
            label=_("Kecamatan"),
            required=self.region_required,
            choices=[("", _("— semua —") if not self.region_required else "—")]
            + self.region_picker.kecamatan_choices(),
            widget=CascadingRegionSelect(
                target_id=desa_id,
                child_empty_label=_("— semua —") if not self.region_required else "—",
            ),
        )
        self.fields[self.desa_field] = forms.ChoiceField(
            label=_("Desa/kelurahan"),
            required=self.region_required,
            choices=[("", _("— semua —") if not self.region_required else "—")]
            + self.region_picker.desa_choices(kecamatan),
        )
        if not self.is_bound:
            self.initial.setdefault(self.kecamatan_field, kecamatan or "")
            self.initial.setdefault(
                self.desa_field, initial_desa or self.region_picker.fixed_desa() or ""
            )

    def clean_region_pair(self, cleaned_data):
        kecamatan = cleaned_data.get(self.kecamatan_field) or ""
        desa = cleaned_data.get(self.desa_field) or ""
        if desa and kecamatan and not desa.startswith(kecamatan + "."):
            self.add_error(self.desa_field, _("Desa ini tidak ada di kecamatan yang dipilih."))
            return cleaned_data
        if desa and not self.region_picker.allows(desa):
            raise ValidationError({self.desa_field: _("Desa ini di luar wilayah kerja Anda.")})
        return cleaned_data


class BlankChoiceMixin:
    """A coded field's empty choice reads "—", as the region pickers' does, instead of Django's
    untranslated "---------". Applied when a field is first rendered or read, so that it also
    covers fields a form adds in its ``__init__``."""

    def __getitem__(self, name):
        field = self.fields.get(name)
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == BLANK_CHOICE:
                field.choices = [("", "—"), *choices[1:]]
        return super().__getitem__(name)
