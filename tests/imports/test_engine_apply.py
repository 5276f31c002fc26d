"""Applying a file: a dry run writes nothing, a re-import of the same file changes nothing, a
changed row updates the registry and its history names the import."""

import pytest
from django.apps import apps

from households.choices import ChangeAction, ChangeSource
from households.importer import process
from households.models import ChangeLog, Household, ImportJob, KKHistory, Member
from tests.imports.files import family, sheet, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def every_table_count() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def run(tmp_path, rows, name="registry.csv", **options):
    path = write_csv(tmp_path / name, sheet(rows))
    options.setdefault("dry_run", False)
    return process(path, **options)


def test_a_dry_run_writes_nothing(tmp_path, district_admin):
    run(tmp_path, family(1), name="first.csv")
    rows = family(1, alamat="JL. BARU") + family(2) + family(3)
    rows[-1]["nik"] = "3.5E+15"
    before = every_table_count()
    report = run(tmp_path, rows, user=district_admin, dry_run=True)
    assert every_table_count() == before
    assert (report.households_created, report.households_updated, report.families_held_back) == (
        1,
        1,
        1,
    )
    assert (report.members_created, report.unchanged) == (3, 3)


def test_dry_run_and_import_give_the_same_counts_and_issues(tmp_path, district_admin):
    run(tmp_path, family(1), name="first.csv")
    rows = family(1, desil=5) + family(2) + family(3)
    rows[4]["jenis_kelamin"] = "?"
    rows[7]["nik"] = ""
    preview = run(tmp_path, rows, user=district_admin, dry_run=True)
    result = run(tmp_path, rows, user=district_admin)
    assert preview.as_json() | {"dry_run": None} == result.as_json() | {"dry_run": None}


def test_reimporting_an_unchanged_file_changes_nothing(tmp_path, district_admin):
    rows = family(1) + family(2, size=4)
    rows[1]["nik"] = ""  # matched by name and birth date the second time
    job = ImportJob.objects.create(original_name="registry.csv")
    first = run(tmp_path, rows, user=district_admin, job=job)
    assert (first.households_created, first.members_created) == (2, 7)
    snapshot = list(Household.objects.values_list("id", "version", "updated_at"))
    members = list(Member.objects.values_list("id", "version", "updated_at"))
    history = ChangeLog.objects.count()

    again = run(tmp_path, rows, user=district_admin, job=job)
    assert again.unchanged == 7
    assert (
        again.households_created,
        again.households_updated,
        again.members_created,
        again.members_updated,
    ) == (0, 0, 0, 0)
    assert ChangeLog.objects.count() == history
    assert list(Household.objects.values_list("id", "version", "updated_at")) == snapshot
    assert list(Member.objects.values_list("id", "version", "updated_at")) == members


def test_reimporting_the_same_xlsx_changes_nothing(tmp_path):
    path = write_xlsx(tmp_path / "registry.xlsx", sheet(family(1) + family(2)))
    process(path, dry_run=False)
    history = ChangeLog.objects.count()
    again = process(path, dry_run=False)
    assert again.unchanged == 6 and again.members_updated == again.households_updated == 0
    assert ChangeLog.objects.count() == history


def test_first_import_creates_households_with_history_and_kk_history(tmp_path, district_admin):
    job = ImportJob.objects.create(original_name="registry.csv")
    run(tmp_path, family(1), user=district_admin, job=job)
    household = Household.objects.get()
    assert household.members.count() == 3
    entry = ChangeLog.objects.get()
    assert (entry.action, entry.source, entry.import_job, entry.user) == (
        ChangeAction.CREATE,
        ChangeSource.IMPORT,
        job,
        district_admin,
    )
    assert entry.changes == {"no_kk": [None, household.no_kk], "desa": [None, "35.07.01.2001"]}
    assert KKHistory.objects.get().no_kk == household.no_kk
    assert household.data_source == "Impor registry.csv"


def test_a_changed_row_updates_and_logs_old_and_new_with_the_import(tmp_path, district_admin):
    run(tmp_path, family(1), name="first.csv")
    household = Household.objects.get()
    child = Member.objects.get(nama="RINA SANTOSO 1")
    rows = family(1, alamat="JL. PAHLAWAN 3", desil=4)
    rows[2]["pekerjaan"] = "Pelajar"
    job = ImportJob.objects.create(original_name="second.csv")
    report = run(tmp_path, rows, name="second.csv", user=district_admin, job=job)

    assert (report.households_updated, report.members_updated, report.unchanged) == (1, 1, 2)
    household.refresh_from_db()
    child.refresh_from_db()
    assert (household.alamat, household.desil, household.version) == ("JL. PAHLAWAN 3", 4, 2)
    assert (child.pekerjaan, child.version) == ("Pelajar", 2)
    changes = {
        (entry.member_id, entry.action): entry for entry in ChangeLog.objects.filter(import_job=job)
    }
    household_entry = changes[(None, ChangeAction.UPDATE)]
    assert household_entry.changes == {
        "alamat": ["JL. MERDEKA NO. 1", "JL. PAHLAWAN 3"],
        "desil": [2, 4],
    }
    member_entry = changes[(child.pk, ChangeAction.UPDATE)]
    assert member_entry.changes == {"pekerjaan": ["Petani", "Pelajar"]}
    assert (member_entry.source, member_entry.user) == (ChangeSource.IMPORT, district_admin)
    assert len(changes) == 2


def test_a_new_member_of_a_known_family_is_added_with_its_own_history(tmp_path):
    run(tmp_path, family(1), name="first.csv")
    household = Household.objects.get()
    report = run(tmp_path, family(1, size=4), name="second.csv")
    assert (report.members_created, report.unchanged, report.households_updated) == (1, 3, 0)
    added = Member.objects.get(nama="ANDI SANTOSO 1")
    assert added.household == household
    entry = ChangeLog.objects.get(member=added)
    assert entry.action == ChangeAction.CREATE and entry.changes["nama"] == [None, added.nama]


def test_members_missing_from_the_file_are_left_alone(tmp_path):
    run(tmp_path, family(1, size=4), name="first.csv")
    report = run(tmp_path, family(1, size=2), name="second.csv")
    assert report.unchanged == 2 and Member.objects.count() == 4


def test_columns_absent_from_the_file_keep_their_values(tmp_path):
    run(tmp_path, family(1, desil=7), name="first.csv")
    rows = family(1)
    header = [column for column in sheet(rows)[0] if column != "desil"]
    path = write_csv(tmp_path / "second.csv", sheet(rows, header))
    report = process(path, dry_run=False)
    assert report.households_updated == 0
    assert Household.objects.get().desil == 7


def test_json_families_replace_only_the_file_columns(tmp_path):
    rows = family(1, aset_bergerak_sepeda_motor="ya", jumlah_ternak_sapi=2)
    header = [*sheet(rows)[0], "aset_bergerak_sepeda_motor", "jumlah_ternak_sapi"]
    process(write_csv(tmp_path / "a.csv", sheet(rows, header)), dry_run=False)
    household = Household.objects.get()
    assert household.assets == {"aset_bergerak_sepeda_motor": True}
    assert household.livestock == {"jumlah_ternak_sapi": 2}
    Household.objects.update(assets={"aset_bergerak_sepeda_motor": True, "aset_lain": True})
    rows = family(1, aset_bergerak_sepeda_motor="tidak", jumlah_ternak_sapi=2)
    report = process(write_csv(tmp_path / "b.csv", sheet(rows, header)), dry_run=False)
    assert report.households_updated == 1
    household.refresh_from_db()
    assert household.assets == {"aset_bergerak_sepeda_motor": False, "aset_lain": True}


def test_an_empty_nik_never_erases_the_registrys_nik(tmp_path):
    run(tmp_path, family(1), name="first.csv")
    spouse = Member.objects.get(hubungan_keluarga=2)
    rows = family(1)
    rows[1]["nik"] = ""
    report = run(tmp_path, rows, name="second.csv")
    assert (report.unchanged, report.members_created, report.members_updated) == (3, 0, 0)
    spouse.refresh_from_db()
    assert spouse.nik == family(1)[1]["nik"] and spouse.nik_flags == []


def test_a_nik_fills_in_the_member_registered_without_one(tmp_path):
    rows = family(1)
    rows[2]["nik"] = ""
    run(tmp_path, rows, name="first.csv")
    child = Member.objects.get(hubungan_keluarga=3)
    assert child.nik is None and child.nik_flags == ["missing"]
    job = ImportJob.objects.create(original_name="second.csv")
    report = run(tmp_path, family(1), name="second.csv", job=job)
    assert (report.members_updated, report.members_created, report.unchanged) == (1, 0, 2)
    child.refresh_from_db()
    assert child.nik == family(1)[2]["nik"] and child.nik_flags == []
    entry = ChangeLog.objects.get(import_job=job, member=child)
    assert entry.changes == {"nik": [None, child.nik], "nik_flags": [["missing"], []]}


def test_progress_is_reported_while_reading_and_at_the_end(tmp_path, monkeypatch):
    import households.importer as engine

    monkeypatch.setattr(engine, "PROGRESS_EVERY", 4)
    calls = []
    rows = family(1) + family(2) + family(3, size=4)
    run(tmp_path, rows, progress=lambda read, families: calls.append((read, families)))
    assert calls == [(4, 2), (8, 3), (10, 3)]


def test_a_failure_while_applying_leaves_no_half_family(tmp_path, monkeypatch):
    from households.importer.load import Loader

    run(tmp_path, family(1), name="first.csv")
    before = every_table_count()
    rows = family(1, alamat="JL. BARU") + family(2) + family(3)

    def broken(self):
        raise RuntimeError("worker lost")

    # Households are written, then the members fail: everything of the run is rolled back.
    monkeypatch.setattr(Loader, "create_members", broken)
    with pytest.raises(RuntimeError):
        run(tmp_path, rows, name="second.csv")
    assert every_table_count() == before
    assert Household.objects.get().alamat == "JL. MERDEKA NO. 1"
    monkeypatch.undo()
    report = run(tmp_path, rows, name="second.csv")
    assert (report.households_created, report.households_updated) == (2, 1)


def test_national_extra_columns_are_kept(tmp_path):
    extra = {
        "penglihatan": 2,
        "berjalan_atau_naik_tangga": "tidak mengalami kesulitan",
        "pbi_nas": "ya",
        "pbi_pemda": 2,
        "hamil": "Ya",
        "kondisi_gizi": "Gizi baik",
        "status_bekerja": "Berusaha sendiri",
        "jenis_kloset": "Leher angsa",
    }
    rows = family(1, **extra)
    header = [*sheet(rows)[0], *extra]
    process(write_csv(tmp_path / "nasional.csv", sheet(rows, header)), dry_run=False)
    household = Household.objects.get()
    assert (household.pbi_nas, household.pbi_pemda, household.jenis_kloset) == (
        True,
        False,
        "Leher angsa",
    )
    head = Member.objects.get(hubungan_keluarga=1)
    assert head.functional_difficulties == {"penglihatan": 2, "berjalan_atau_naik_tangga": 4}
    assert (head.hamil, head.kondisi_gizi, head.status_bekerja) == (
        True,
        "Gizi baik",
        "Berusaha sendiri",
    )
