"""The one moto version the emulator runs on: its gap fills patch that version's internals.

pyproject.toml and requirements/constraints.txt pin the same version (a unit test holds
the three together).
"""

from __future__ import annotations

from importlib import metadata

from lmsops.errors import UserError

MOTO_VERSION = "5.2.5"
REINSTALL = "pip install -c requirements/constraints.txt -e ."


def installed_moto_version() -> str | None:
    """The installed moto distribution's version, None when moto is not installed."""
    try:
        return metadata.version("moto")
    except metadata.PackageNotFoundError:
        return None


def moto_version_problem() -> str | None:
    """One line saying the installed moto is not MOTO_VERSION, or None when it is."""
    found = installed_moto_version()
    if found == MOTO_VERSION:
        return None
    return (
        f"lmsops emulator needs moto=={MOTO_VERSION} (found {found or 'none'}); "
        f"reinstall with: {REINSTALL}"
    )


def check_moto_version() -> None:
    """Refuse (UserError) to run the emulator on another moto version."""
    problem = moto_version_problem()
    if problem is not None:
        raise UserError(problem)
