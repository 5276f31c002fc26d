"""``./terpadu test`` brings Chromium and GNU gettext, or stops at once naming the command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.prerequisites import (
    INSTALL_HINT,
    MissingPrerequisites,
    install_commands,
    missing_programs,
)
from tests.conftest import ROOT


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def empty_bin(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


def test_without_root_the_check_stops_with_one_line_naming_the_command(empty_bin):
    chromium = empty_bin / "chromium"
    with pytest.raises(MissingPrerequisites) as raised:
        install_commands(chromium, path=str(empty_bin), is_root=False)
    message = str(raised.value)
    assert "\n" not in message
    assert str(chromium) in message and "msgattrib" in message and "msgfmt" in message
    assert message.endswith(INSTALL_HINT)
    assert "apt-get install -y chromium gettext" in message


def test_as_root_without_apt_get_the_check_stops_too(empty_bin):
    executable(empty_bin / "msgattrib")
    executable(empty_bin / "msgfmt")
    with pytest.raises(MissingPrerequisites, match="apt-get install -y chromium gettext"):
        install_commands(empty_bin / "chromium", path=str(empty_bin), is_root=True)


def test_as_root_with_apt_get_it_installs_both_packages(empty_bin):
    apt_get = executable(empty_bin / "apt-get")
    commands = install_commands(empty_bin / "chromium", path=str(empty_bin), is_root=True)
    assert commands == [
        [str(apt_get), "update"],
        [str(apt_get), "install", "-y", "chromium", "gettext"],
    ]


def test_nothing_to_do_when_everything_is_there(empty_bin):
    chromium = executable(empty_bin / "chromium")
    executable(empty_bin / "msgattrib")
    executable(empty_bin / "msgfmt")
    assert missing_programs(chromium, path=str(empty_bin)) == []
    assert install_commands(chromium, path=str(empty_bin), is_root=False) == []


def test_terpadu_test_stops_before_starting_anything(empty_bin, tmp_path):
    """The launcher itself, with gettext and apt-get off its PATH: one line, exit 1, fast."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"PATH": str(empty_bin), "TERPADU_DATA_DIR": str(tmp_path / "var")})
    result = subprocess.run(
        [sys.executable, "-m", "config.launcher", "test", "--version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "msgattrib" in lines[0] and INSTALL_HINT in lines[0]
    # Stopped before the embedded servers: nothing was made in the data folder.
    assert not (tmp_path / "var").exists()
