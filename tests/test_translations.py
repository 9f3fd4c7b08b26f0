"""Chinese first, English too: source text is English, and every string has its Chinese."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

from tests.conftest import skip_or_fail

PACKAGE = Path(__file__).resolve().parents[1] / "dingdan"
CATALOGUE = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(path: Path) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_every_string_has_a_chinese_translation():
    untranslated = [
        msgid
        for msgid, entry in _entries(CATALOGUE).items()
        if "fuzzy" in entry.flags
        or not (entry.msgstr or (all(entry.msgstr_plural.values()) and entry.msgstr_plural))
    ]
    assert untranslated == []


def test_the_catalogue_holds_every_string_the_code_uses(tmp_path):
    if not shutil.which("xgettext"):
        skip_or_fail("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "dingdan"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dingdan.cli",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    wanted = set(_entries(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    have = set(_entries(CATALOGUE))
    assert wanted - have == set(), "run `make messages` and translate the new strings"
