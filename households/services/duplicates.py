"""Duplicate candidates: finding people registered twice, and merging or dismissing them.

Two sources feed the queue:

- ``record_refused_rows`` — called once by the registry import for the rows that bring a NIK
  already belonging to a member of *another* household (the database refuses a second member
  with that NIK, so the row itself is not stored; the candidate keeps it for a person to look
  at — inside the row's own district only).
- ``scan_similar_names`` — one set-based query: members of the same kabupaten with the same birth
  date and a trigram similarity of their names of at least ``SIMILARITY_THRESHOLD``.

A pair is asked about once: the pair is unique in ``DuplicateCandidate`` whatever its status, so
a dismissed pair is never proposed again by a later scan.

``merge`` keeps one member and moves everything that points to the other onto it — found
generically from the model's reverse relations, so links added by later apps (enrolments,
referrals, graduations…) move too — then deletes the other after writing its full record into
both households' history.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from households.choices import ChangeAction, ChangeSource, HouseholdStatus
from households.field_groups import MEMBER_DATA_FIELDS
from households.history import log_change, plain, snapshot
from households.models import DuplicateCandidate, Household, Member
from households.models.updates import DuplicateReason, DuplicateStatus

SIMILARITY_THRESHOLD = 0.6
# ``details`` key of the notice that a member's NIK arrived in another kabupaten's file.
OTHER_DISTRICT_KEY = "other_district"
# Fields compared side by side and filled from the removed record when empty on the kept one.
MERGE_FIELDS = [*MEMBER_DATA_FIELDS, "functional_difficulties", "status", "tanggal_meninggal"]
# Everything of a member that goes into the history when its record is merged away.
RECORD_FIELDS = ["household", *MERGE_FIELDS, "nik_flags", "created_at"]


class DuplicateError(Exception):
    """A rule refused the merge or dismissal; the message is shown as it is."""


# Finding ---------------------------------------------------------------------------------------


# A refused row and the member holding its NIK in one kabupaten: the row joins the member's open
# candidate (or starts one); a row already queued, whatever became of it, is not queued again.
SAME_DISTRICT_SQL = """
WITH incoming AS (
    SELECT s.member_id, s.row_no, s.data
    FROM {relation} s
    JOIN households_member m ON m.id = s.member_id
    JOIN households_household h ON h.id = m.household_id
    WHERE left(h.desa_code, 5) = left(s.data->>'kode_desa', 5)
      AND NOT EXISTS (
          SELECT 1 FROM households_duplicatecandidate d,
                        jsonb_array_elements(d.details->'rows') AS queued
          WHERE d.member_a_id = s.member_id AND d.member_b_id IS NULL
            AND d.reason = %(reason)s AND queued->'row' = s.data)
), grouped AS (
    SELECT member_id,
           jsonb_agg(jsonb_build_object('row', data, 'import_job', %(job)s::bigint)
                     ORDER BY row_no) AS entries
    FROM incoming GROUP BY member_id
), target AS (
    SELECT DISTINCT ON (d.member_a_id) d.id, d.member_a_id
    FROM households_duplicatecandidate d JOIN grouped g ON g.member_id = d.member_a_id
    WHERE d.member_b_id IS NULL AND d.reason = %(reason)s AND d.status = %(open)s
      AND NOT d.details @> %(notice)s
    ORDER BY d.member_a_id, d.found_at DESC
), appended AS (
    UPDATE households_duplicatecandidate d
    SET details = jsonb_set(d.details, '{{rows}}',
                            coalesce(d.details->'rows', '[]'::jsonb) || g.entries)
    FROM target t JOIN grouped g ON g.member_id = t.member_a_id
    WHERE d.id = t.id
)
INSERT INTO households_duplicatecandidate
    (member_a_id, member_b_id, reason, score, details, status, found_at)
SELECT g.member_id, NULL, %(reason)s, 1.0, jsonb_build_object('nik', m.nik, 'rows', g.entries),
       %(open)s, now()
FROM grouped g JOIN households_member m ON m.id = g.member_id
WHERE NOT EXISTS (SELECT 1 FROM target t WHERE t.member_a_id = g.member_id)
"""

# A refused row of another kabupaten: only a notice on the member, without anything of the row,
# once per member whatever became of an earlier one.
OTHER_DISTRICT_SQL = """
INSERT INTO households_duplicatecandidate
    (member_a_id, member_b_id, reason, score, details, status, found_at)
SELECT DISTINCT m.id, NULL::bigint, %(reason)s, 1.0,
       jsonb_build_object('nik', m.nik) || %(notice)s, %(open)s, now()
FROM {relation} s
JOIN households_member m ON m.id = s.member_id
JOIN households_household h ON h.id = m.household_id
WHERE left(h.desa_code, 5) IS DISTINCT FROM left(s.data->>'kode_desa', 5)
  AND NOT EXISTS (
      SELECT 1 FROM households_duplicatecandidate d
      WHERE d.member_a_id = m.id AND d.member_b_id IS NULL AND d.details @> %(notice)s)
"""


def record_refused_rows(relation: str, import_job=None) -> int:
    """Queue the import rows refused because their NIK belongs to a member of another household,
    in two set-based statements; returns how many rows ``relation`` holds.

    ``relation`` names a table on this connection (the import's staging table) with
    ``member_id`` (the member holding the NIK), ``row_no`` and ``data``: the refused row as a
    JSON object of column → value with ``row`` (its spreadsheet row number) and ``kode_desa``.

    A row stays in its own district: when its desa and the member are in the same kabupaten,
    the row is queued with the member for that district to look at (the candidate is seen only
    by users whose area holds the member). A row of another kabupaten is never stored; the
    member's district gets one notice — "the NIK of this member arrived in another district's
    file", with no data of that file — so a district learns that its member may have moved
    without seeing the other district's people, and another district can neither fill its
    queue (one notice per member, ever) nor learn anything from it. Safe to run again: a row
    already queued, or a member already noticed, adds nothing."""
    params = {
        "reason": DuplicateReason.SAME_NIK.value,
        "open": DuplicateStatus.OPEN.value,
        "job": getattr(import_job, "pk", import_job),
        "notice": Jsonb({OTHER_DISTRICT_KEY: True}),
    }
    with connection.cursor() as cursor:
        cursor.execute(SAME_DISTRICT_SQL.format(relation=relation), params)
        cursor.execute(OTHER_DISTRICT_SQL.format(relation=relation), params)
        cursor.execute(f"SELECT count(*) FROM {relation}")
        return cursor.fetchone()[0]


SCAN_SQL = """
INSERT INTO households_duplicatecandidate
    (member_a_id, member_b_id, reason, score, details, status, found_at)
SELECT a.id, b.id, %(reason)s, similarity(a.nama, b.nama),
       jsonb_build_object('kabupaten', left(ha.desa_code, 5)), %(status)s, now()
FROM households_member a
JOIN households_household ha ON ha.id = a.household_id
JOIN households_member b ON b.tanggal_lahir = a.tanggal_lahir AND b.id > a.id
JOIN households_household hb ON hb.id = b.household_id
WHERE ha.desa_code LIKE %(prefix)s
  AND hb.desa_code LIKE %(prefix)s
  AND left(ha.desa_code, 5) = left(hb.desa_code, 5)
  AND similarity(a.nama, b.nama) >= %(threshold)s
  AND NOT EXISTS (
      SELECT 1 FROM households_duplicatecandidate d
      WHERE d.member_a_id = b.id AND d.member_b_id = a.id
  )
ON CONFLICT ON CONSTRAINT duplicate_pair_unique DO NOTHING
"""


def scan_similar_names(area_code: str = "", threshold: float = SIMILARITY_THRESHOLD) -> int:
    """Find pairs with a similar name and the same birth date inside one kabupaten.

    ``area_code`` limits the scan to a region (both people inside it); "" scans everything.
    Returns how many new candidates were queued. Pairs already queued — open, merged or
    dismissed — are skipped, so the scan is safe to run again."""
    prefix = f"{area_code}%" if area_code else "%"
    with connection.cursor() as cursor:
        cursor.execute(
            SCAN_SQL,
            {
                "reason": DuplicateReason.SIMILAR_NAME.value,
                "status": DuplicateStatus.OPEN.value,
                "prefix": prefix,
                "threshold": threshold,
            },
        )
        return cursor.rowcount


# Deciding --------------------------------------------------------------------------------------


def _claim(candidate, user, status, **details) -> None:
    claimed = DuplicateCandidate.objects.filter(
        pk=candidate.pk, status=DuplicateStatus.OPEN
    ).update(status=status, decided_by=user, decided_at=timezone.now())
    if not claimed:
        raise DuplicateError(_("Kandidat ini sudah diputuskan orang lain."))
    if details:
        candidate.refresh_from_db(fields=["details"])
        candidate.details.update(details)
        candidate.save(update_fields=["details"])


def _check_user(candidate, user) -> DuplicateCandidate:
    if not user.has_perm("households.resolve_duplicatecandidate"):
        raise DuplicateError(_("Anda tidak berhak memutuskan kandidat duplikat."))
    scoped = DuplicateCandidate.objects.for_user(user).filter(pk=candidate.pk).first()
    if scoped is None:
        raise DuplicateError(_("Kandidat ini di luar wilayah kerja Anda."))
    return scoped


def dismiss(candidate: DuplicateCandidate, user, note: str = "") -> DuplicateCandidate:
    """Not the same person (or the refused row was wrong): never asked about this pair again."""
    candidate = _check_user(candidate, user)
    _claim(candidate, user, DuplicateStatus.DISMISSED, note=note.strip())
    candidate.refresh_from_db()
    return candidate


def reverse_foreign_keys():
    """Every foreign key (or one-to-one) of any model that points to ``Member``.

    ``_meta.related_objects`` leaves out relations declared with ``related_name="+"`` (such as
    ``ChangeLog.member``), so the hidden ones are asked for explicitly. Many-to-many links are
    covered by the foreign keys of their through tables."""
    return [
        field
        for field in Member._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


def _repoint(removed: Member, kept: Member) -> dict:
    """Move every link from ``removed`` to ``kept``; returns {model label: rows moved}."""
    moved = {}
    for relation in reverse_foreign_keys():
        model = relation.related_model
        if model is DuplicateCandidate:
            continue
        name = relation.field.name
        rows = model._base_manager.filter(**{name: removed})
        if model._meta.auto_created:
            # An automatic many-to-many table: a link the kept member already has is redundant.
            other = next(f.name for f in model._meta.fields if f.is_relation and f.name != name)
            already = model._base_manager.filter(**{name: kept}).values_list(other, flat=True)
            rows.filter(**{f"{other}__in": already}).delete()
        try:
            with transaction.atomic():
                count = rows.update(**{name: kept})
        except IntegrityError as error:
            raise DuplicateError(
                _(
                    "Kedua anggota sama-sama punya %(what)s yang tidak boleh ganda; selesaikan "
                    "itu dulu sebelum menggabungkan."
                )
                % {"what": model._meta.verbose_name}
            ) from error
        if count:
            moved[model._meta.label] = count
    return moved


def _settle_other_candidates(removed: Member, kept: Member, resolved_pk) -> None:
    """Other open pairs that involve the removed member now concern the kept one."""
    others = DuplicateCandidate.objects.exclude(pk=resolved_pk)
    for side, other_side in (("member_a", "member_b"), ("member_b", "member_a")):
        for candidate in others.filter(**{side: removed}):
            partner_id = getattr(candidate, f"{other_side}_id")
            duplicate = DuplicateCandidate.objects.filter(
                **{side: kept, other_side + "_id": partner_id}
            ).exclude(pk=candidate.pk)
            reverse = DuplicateCandidate.objects.filter(
                **{other_side: kept, side + "_id": partner_id}
            ).exclude(pk=candidate.pk)
            if partner_id == kept.pk or duplicate.exists() or reverse.exists():
                candidate.delete()
            else:
                setattr(candidate, side, kept)
                candidate.save(update_fields=[side])


def merge(candidate: DuplicateCandidate, keep: Member, user) -> Member:
    """Keep ``keep`` (one of the pair), fold the other into it, and delete the other record.

    Empty fields of the kept member are filled from the other; everything that pointed to the
    other now points to the kept member; both households' history records the merge (the removed
    record in full), and a household left without members is marked merged."""
    candidate = _check_user(candidate, user)
    if candidate.member_b_id is None:
        raise DuplicateError(
            _(
                "Baris impor yang ditolak tidak bisa digabung; tandai selesai atau usulkan "
                "perubahan."
            )
        )
    if keep.pk not in (candidate.member_a_id, candidate.member_b_id):
        raise DuplicateError(_("Pilih salah satu dari kedua anggota."))
    removed_id = (
        candidate.member_b_id if keep.pk == candidate.member_a_id else candidate.member_a_id
    )
    with transaction.atomic():
        _claim(candidate, user, DuplicateStatus.MERGED, kept=keep.pk, removed=removed_id)
        scoped = Member.objects.for_user(user).select_for_update(of=("self",))
        kept = scoped.filter(pk=keep.pk).first()
        removed = scoped.filter(pk=removed_id).first()
        if kept is None or removed is None:
            raise DuplicateError(_("Salah satu anggota di luar wilayah kerja Anda."))
        kept_household = Household.objects.select_for_update().get(pk=kept.household_id)
        removed_household = Household.objects.select_for_update().get(pk=removed.household_id)
        record = snapshot(removed, RECORD_FIELDS)
        filled = _fill_empty(kept, removed)
        moved = _repoint(removed, kept)
        _settle_other_candidates(removed, kept, candidate.pk)
        # The decided pair stays as a record (its details name the removed id); it must not
        # point to the removed member, whose deletion would cascade to it.
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(member_a=kept, member_b=None)
        removed_label = str(removed)
        removed.delete()
        log_change(
            household=kept_household,
            member=kept,
            action=ChangeAction.UPDATE,
            changes={
                **filled,
                "digabung_dengan": [None, {"id": removed_id, **record}],
                "tautan_dipindah": [None, moved],
            },
            user=user,
            source=ChangeSource.MERGE,
        )
        log_change(
            household=removed_household,
            member=None,
            action=ChangeAction.DELETE,
            label=removed_label,
            changes={
                **{name: [value, None] for name, value in record.items()},
                "digabung_ke": [None, {"id": kept.pk, "household": kept_household.pk}],
            },
            user=user,
            source=ChangeSource.MERGE,
        )
        if removed_household.pk != kept_household.pk and not removed_household.members.exists():
            before = snapshot(removed_household, ["status", "merged_into"])
            removed_household.status = HouseholdStatus.MERGED
            removed_household.merged_into = kept_household
            removed_household.version += 1
            removed_household.updated_at = timezone.now()
            removed_household.save(update_fields=["status", "merged_into", "version", "updated_at"])
            after = snapshot(removed_household, ["status", "merged_into"])
            log_change(
                household=removed_household,
                action=ChangeAction.UPDATE,
                changes={name: [before[name], after[name]] for name in before},
                user=user,
                source=ChangeSource.MERGE,
            )
    return kept


def _is_empty(value) -> bool:
    return value is None or value == "" or value == {} or value == []


def _fill_empty(kept: Member, removed: Member) -> dict:
    changes = {}
    for name in MERGE_FIELDS:
        mine, theirs = getattr(kept, name), getattr(removed, name)
        if _is_empty(mine) and not _is_empty(theirs):
            changes[name] = [plain(mine), plain(theirs)]
            setattr(kept, name, theirs)
    if "nik" in changes:
        # The NIK moves to the kept record: free it on the removed one first (unique).
        Member.objects.filter(pk=removed.pk).update(nik=None)
        kept.nik_flags = [flag for flag in removed.nik_flags if flag != "missing"]
    kept.version += 1
    kept.updated_at = timezone.now()
    kept.save()
    return changes


def link_counts(member) -> list[tuple[str, int]]:
    """(what, how many) of everything that points to this member: what a merge would move."""
    counts = []
    for relation in reverse_foreign_keys():
        model = relation.related_model
        if model is DuplicateCandidate:
            continue
        count = model._base_manager.filter(**{relation.field.name: member}).count()
        if count:
            counts.append((model._meta.verbose_name_plural, count))
    return counts


def open_candidates(user):
    return DuplicateCandidate.objects.for_user(user).filter(status=DuplicateStatus.OPEN)
