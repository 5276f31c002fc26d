"""English is available for every page: the catalogue covers every string of the project, the
compiled catalogue matches it, and pages rendered in English show no Indonesian catalogue text."""

import gettext
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests import test_url_scope as scope
from tests.conftest import ROOT, client_for

objects_in_a = scope.objects_in_a  # the scope test's objects of kecamatan A, as a fixture here

CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES"
GETTEXT_MISSING = "GNU gettext is needed (Debian: apt-get install gettext); .ci/run installs it"


def english_catalogue() -> dict:
    with open(CATALOGUE / "django.mo", "rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def po_entries(path) -> list[str]:
    """msgattrib's output for a .po file: the entries it selects, header included."""
    return [
        block
        for block in path.read_text().split("\n\n")
        if block.strip() and 'msgid ""\nmsgstr ""\n"Project-Id' not in block
    ]


def test_every_string_of_the_project_is_translated_to_english(tmp_path):
    assert shutil.which("xgettext") and shutil.which("msgattrib"), GETTEXT_MISSING
    copy = tmp_path / "terpadu"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "__pycache__", "*_cache", "media", "staticfiles"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
        + ["--ignore=tests/*", "--ignore=scripts/*"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    for selection in ("--untranslated", "--only-fuzzy"):
        report = tmp_path / f"{selection.strip('-')}.po"
        subprocess.run(["msgattrib", selection, "-o", str(report), str(fresh)], check=True)
        missing = po_entries(report) if report.exists() else []
        assert not missing, (
            f"{len(missing)} strings lack an English translation ({selection}); run "
            "`manage.py makemessages -l en --ignore='tests/*' --ignore='scripts/*'`, translate "
            "locale/en/LC_MESSAGES/django.po and `manage.py compilemessages -l en`:\n\n"
            + "\n\n".join(missing[:10])
        )


def test_the_compiled_catalogue_is_the_translated_one(tmp_path):
    assert shutil.which("msgfmt"), GETTEXT_MISSING
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(CATALOGUE / "django.po")],
        check=True,
    )
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), (
        "locale/en/LC_MESSAGES/django.mo is out of date: run `manage.py compilemessages -l en`"
    )


@pytest.mark.django_db
def test_every_page_in_english_shows_no_indonesian_catalogue_text(district_admin, objects_in_a):
    """Every HTML page of the project (read from the URL resolver, filled like the scope test),
    opened by the district admin who may see them all, with English chosen."""
    # Whole phrases only: single words (names, codes) may be the same in both languages.
    indonesian = {
        msgid: text
        for msgid, text in english_catalogue().items()
        if isinstance(msgid, str) and " " in msgid and len(msgid) > 12 and msgid != text
    }
    client = client_for(district_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    seen = 0
    for name, route, kwargs in scope.ALL_PATTERNS:
        if route.startswith("admin/") or name in scope.PUBLIC:
            continue
        url, _object = scope.build_url(name, route, kwargs, objects_in_a)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        body = response.content.decode()
        assert "<html" not in body or '<html lang="en"' in body, url  # or a partial
        # Django's untranslated placeholder for an empty choice, in either language.
        assert ">---------<" not in body, f"{url} offers an unlabelled empty choice"
        shown = [msgid for msgid in indonesian if f">{msgid}<" in body]
        assert not shown, f"{url} shows Indonesian text in English: {shown[:5]}"
    assert seen > 20  # the pages really were rendered
