"""The Content-Security-Policy allows no inline script or style: no template of any app may
carry an inline ``<script>``, a ``style`` attribute, an ``on…=`` handler, ``hx-on`` or a
``javascript:`` URL. Behaviours go through data-attributes in static/js/terpadu.js."""

import re

from tests.conftest import ROOT

COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
FORBIDDEN = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on… event handler"),
    (re.compile(r"\shx-on", re.I), "hx-on attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"""hx-vals\s*=\s*['"]\s*js:""", re.I), "hx-vals with js:"),
]


def test_no_template_carries_inline_script_or_style():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text())
        for number, line in enumerate(text.splitlines(), start=1):
            for pattern, what in FORBIDDEN:
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()[:100]}")
    assert not found, "inline code the CSP would block:\n" + "\n".join(found)
