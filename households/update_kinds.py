"""One spec per kind of data update: everything the app knows about a kind, in one place.

A new kind of change is one ``KindSpec`` here (plus its form, apply function and rows), instead
of entries in parallel tables that can drift apart."""

from collections.abc import Callable
from dataclasses import dataclass

from households.forms import updates as forms
from households.models.updates import UpdateKind
from households.services import update_apply as apply
from households.update_display import (
    Shown,
    add_member_rows,
    change_head_rows,
    correct_rows,
    decile_review_rows,
    move_rows,
    new_household_rows,
    split_rows,
    take_off_rows,
)


@dataclass(frozen=True)
class KindSpec:
    kind: UpdateKind
    # The URL slug of the proposal page opened from a household (``None``: a new household has
    # its own page, as there is no household yet).
    slug: str | None
    form: type | None
    apply: Callable
    describe: Callable[[Shown], None]
    # The form when the proposal names a member (a correction of a member, not of the family).
    member_form: type | None = None

    @property
    def label(self) -> str:
        return self.kind.label

    def form_for(self, member):
        return self.member_form if member is not None and self.member_form else self.form


KINDS = {
    spec.kind: spec
    for spec in [
        KindSpec(
            UpdateKind.NEW_HOUSEHOLD,
            None,
            forms.NewHouseholdForm,
            apply.apply_new_household,
            new_household_rows,
        ),
        KindSpec(
            UpdateKind.ADD_MEMBER,
            "tambah-anggota",
            forms.AddMemberForm,
            apply.apply_add_member,
            add_member_rows,
        ),
        KindSpec(
            UpdateKind.REMOVE_MEMBER,
            "keluarkan-anggota",
            forms.RemoveMemberForm,
            apply.apply_remove_member,
            take_off_rows,
        ),
        KindSpec(
            UpdateKind.CHANGE_HEAD,
            "ganti-kepala",
            forms.ChangeHeadForm,
            apply.apply_change_head,
            change_head_rows,
        ),
        KindSpec(UpdateKind.MOVE, "pindah", forms.MoveForm, apply.apply_move, move_rows),
        KindSpec(UpdateKind.SPLIT, "pecah-kk", forms.SplitForm, apply.apply_split, split_rows),
        KindSpec(
            UpdateKind.CORRECT,
            "perbaikan",
            forms.CorrectHouseholdForm,
            apply.apply_correct,
            correct_rows,
            member_form=forms.CorrectMemberForm,
        ),
        KindSpec(UpdateKind.DEATH, "kematian", forms.DeathForm, apply.apply_death, take_off_rows),
        KindSpec(
            UpdateKind.DECILE_REVIEW,
            "tinjau-desil",
            forms.DecileReviewForm,
            apply.apply_decile_review,
            decile_review_rows,
        ),
    ]
}
BY_SLUG = {spec.slug: spec for spec in KINDS.values() if spec.slug}


def spec_for(kind) -> KindSpec:
    return KINDS[kind]
