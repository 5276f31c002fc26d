"""The system programs the test suite needs besides Python packages, brought by ``./terpadu test``.

Chromium (Debian's ``chromium`` package, at /usr/bin/chromium) runs the browser tests; GNU
gettext (``msgattrib``, ``msgfmt``) checks and compiles the English catalogue. As root with
apt-get they are installed; otherwise the launcher stops with the command to run.
"""

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
GETTEXT_TOOLS = ("msgattrib", "msgfmt")
PACKAGES = ("chromium", "gettext")
INSTALL_HINT = "sudo apt-get update && sudo apt-get install -y chromium gettext"


class MissingPrerequisites(Exception):
    """One line for the user: what is missing and the command that installs it."""


def missing_programs(chromium: Path = CHROMIUM, path: str | None = None) -> list[str]:
    missing = [] if os.access(chromium, os.X_OK) else [str(chromium)]
    missing += [tool for tool in GETTEXT_TOOLS if shutil.which(tool, path=path) is None]
    return missing


def install_commands(
    chromium: Path = CHROMIUM, path: str | None = None, is_root: bool | None = None
) -> list[list[str]]:
    """The apt-get commands that bring what is missing (none when nothing is)."""
    missing = missing_programs(chromium, path)
    if not missing:
        return []
    is_root = os.geteuid() == 0 if is_root is None else is_root
    apt_get = shutil.which("apt-get", path=path)
    if not is_root or apt_get is None:
        raise MissingPrerequisites(
            f"Tes membutuhkan {', '.join(missing)} (tests need Chromium and GNU gettext); "
            f"pasang dengan / install with: {INSTALL_HINT}"
        )
    return [[apt_get, "update"], [apt_get, "install", "-y", *PACKAGES]]


def ensure(say) -> None:
    commands = install_commands()
    if not commands:
        return
    say(f"Memasang {' '.join(PACKAGES)} untuk tes (installing with apt-get) ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in commands:
        if subprocess.run(command, env=env).returncode != 0:
            raise MissingPrerequisites(
                f"`{' '.join(command)}` gagal (failed); pasang sendiri / install with: "
                f"{INSTALL_HINT}"
            )
    if missing := missing_programs():
        raise MissingPrerequisites(
            f"Setelah apt-get masih belum ada (still missing): {', '.join(missing)}"
        )
