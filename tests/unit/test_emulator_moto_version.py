"""The emulator runs on one moto version, pinned alike in pyproject, constraints and code."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from lmsops import cli
from lmsops.emulator import moto_version, serve
from lmsops.emulator.moto_version import MOTO_VERSION
from lmsops.emulator.server import Emulator
from lmsops.errors import UserError

REPO = Path(__file__).resolve().parents[2]
OTHER = "5.1.0"
MESSAGE = (
    f"lmsops emulator needs moto=={MOTO_VERSION} (found {OTHER}); "
    "reinstall with: pip install -c requirements/constraints.txt -e ."
)


@pytest.fixture
def other_moto(monkeypatch):
    monkeypatch.setattr(moto_version, "installed_moto_version", lambda: OTHER)


def test_pyproject_and_constraints_pin_the_emulators_moto_version():
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    moto = [d for d in dependencies if re.match(r"moto\b", d)]
    assert moto == [f"moto[server]=={MOTO_VERSION}"]
    constraints = (REPO / "requirements/constraints.txt").read_text().splitlines()
    assert [c for c in constraints if c.startswith("moto==")] == [f"moto=={MOTO_VERSION}"]


def test_the_installed_moto_is_the_pinned_one():
    assert moto_version.installed_moto_version() == MOTO_VERSION
    assert moto_version.moto_version_problem() is None
    moto_version.check_moto_version()


def test_another_moto_version_is_refused_with_how_to_reinstall(other_moto):
    assert moto_version.moto_version_problem() == MESSAGE
    with pytest.raises(UserError) as refused:
        moto_version.check_moto_version()
    assert str(refused.value) == MESSAGE


def test_no_moto_installed_is_refused(monkeypatch):
    monkeypatch.setattr(moto_version, "installed_moto_version", lambda: None)
    assert f"needs moto=={MOTO_VERSION} (found none)" in moto_version.moto_version_problem()


def test_emulator_start_refuses_before_spawning(other_moto, tmp_path, monkeypatch):
    spawned = []
    monkeypatch.setattr(Emulator, "_spawn", lambda self, *args: spawned.append(args))
    with pytest.raises(UserError, match=re.escape(MESSAGE)):
        Emulator(tmp_path).start()
    assert spawned == []
    assert not (tmp_path / "emulator.json").exists()


def test_cli_start_prints_the_one_line_message_and_exits_non_zero(other_moto, tmp_path, capsys):
    code = cli.main(["emulator", "--state-dir", str(tmp_path), "start"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == f"lmsops: error: {MESSAGE}\n"
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_serve_process_refuses_another_moto_version(other_moto, capsys):
    assert serve.main(["--port", "1", "--cert", "c.pem", "--key", "k.pem"]) == 2
    assert capsys.readouterr().err == f"{MESSAGE}\n"
