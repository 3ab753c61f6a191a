"""Issue 12, points 4 and 5: AWS commands say fast what is wrong and the command that fixes it.

Emulator stopped, a shell that never loaded its environment (or loaded it for an
emulator that has since moved), no credentials at all: each of smoke, publish
and deploy exits 2 within two seconds, naming the problem and the fix.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmsops import cli, preflight_env

REPO = Path(__file__).resolve().parents[2]
COMMANDS = {
    "smoke": ["smoke", "frontend", "--env", "dev"],
    "publish": ["publish", "--env", "dev", str(REPO / "site")],
    "deploy": ["deploy", "--env", "dev", "--image", "repo/app:1"],
}


@pytest.fixture
def bare_shell(monkeypatch, tmp_path) -> Path:
    """A shell with no AWS settings at all, and an emulator state dir of its own."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.delenv("LMSOPS_EMULATOR_CHECKOUT", raising=False)
    state_dir = tmp_path / "emulator"
    state_dir.mkdir()
    monkeypatch.setattr(preflight_env, "emulator_state_dir", lambda: state_dir)
    return state_dir


@pytest.fixture
def listener() -> Iterator[int]:
    """Something listening on a loopback port, standing in for a running emulator."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def record_emulator(state_dir: Path, port: int) -> None:
    (state_dir / "emulator.json").write_text(
        json.dumps(
            {
                "pid": os.getpid(),
                "port": port,
                "endpoint": f"https://127.0.0.1:{port}",
                "ca_bundle": str(state_dir / "cert.pem"),
            }
        )
    )


def run_timed(argv: list[str], capsys) -> tuple[int, str, float]:
    started = time.monotonic()
    code = cli.main(argv)
    return code, capsys.readouterr().err, time.monotonic() - started


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_stopped_emulator_is_named_with_its_fix(command, bare_shell, monkeypatch, capsys):
    endpoint = f"https://127.0.0.1:{free_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    code, err, seconds = run_timed(COMMANDS[command], capsys)
    assert code == 2
    assert seconds < 2
    assert f"the local emulator is not running (nothing answers on {endpoint}" in err
    assert f"make -C {REPO} up" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_shell_without_the_emulator_env_is_told_to_load_it(command, bare_shell, listener, capsys):
    record_emulator(bare_shell, listener)
    code, err, seconds = run_timed(COMMANDS[command], capsys)
    assert code == 2
    assert seconds < 2
    assert f"not pointed at the emulator running on https://127.0.0.1:{listener}" in err
    assert f'eval "$({preflight_env.lmsops_executable()} emulator env)"' in err
    assert preflight_env.lmsops_executable().is_absolute()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_missing_credentials_are_named(command, bare_shell, capsys):
    code, err, seconds = run_timed(COMMANDS[command], capsys)
    assert code == 2
    assert seconds < 2
    assert "no AWS credentials found" in err


def test_an_env_loaded_for_an_earlier_emulator_is_called_stale(
    bare_shell, listener, monkeypatch, capsys
):
    record_emulator(bare_shell, listener)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"https://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    code, err, _ = run_timed(COMMANDS["smoke"], capsys)
    assert code == 2
    assert f"is stale: the emulator now runs on https://127.0.0.1:{listener}" in err


def test_real_aws_credentials_pass_the_check(bare_shell, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    preflight_env.check_aws_reachable()  # no emulator involved: nothing to complain about


def test_local_argument_errors_still_come_first(bare_shell, tmp_path, capsys):
    code, err, _ = run_timed(["publish", "--env", "dev", str(tmp_path / "missing")], capsys)
    assert code == 2
    assert "does not exist" in err
    assert "credentials" not in err


def test_validate_needs_no_aws():
    assert "validate" not in cli.NEEDS_AWS
    assert {"smoke", "publish", "deploy"} <= cli.NEEDS_AWS
