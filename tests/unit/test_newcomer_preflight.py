"""Issue 12, points 4 and 5: AWS commands say fast what is wrong and the command that fixes it.

Emulator stopped, a shell that never loaded its environment (or loaded it for an
emulator that has since moved), no credentials at all: each of smoke, publish
and deploy exits 2 at once, naming the problem and the fix. "At once" is asserted as
behaviour, not as a time: the command never sleeps and connects to nothing but the
emulator's own port and, for credentials, the instance metadata service (a real source on
EC2) with a timeout of at most METADATA_TIMEOUT and no retry: off EC2 the whole wait is
bounded by that, whatever the machine's load.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lmsops import cli, preflight_env

REPO = Path(__file__).resolve().parents[2]
METADATA = ("169.254.169.254", 80)
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


@dataclass
class Reached:
    """What a command reached for while it ran: socket connections and sleeps."""

    connections: list[tuple] = field(default_factory=list)  # (host, port, timeout)
    sleeps: list[float] = field(default_factory=list)

    def only_loopback(self, port: int) -> bool:
        """Every other connection probes the emulator's port, each with a short timeout."""
        bound = preflight_env.CONNECT_TIMEOUT
        return all(c[:2] == ("127.0.0.1", port) and 0 < c[2] <= bound for c in self.emulator_side())

    def emulator_side(self) -> list[tuple]:
        return [c for c in self.connections if c[:2] != METADATA]

    def bounded_metadata_lookup(self) -> bool:
        """Off EC2 (every metadata connection times out), the lookups wait 2 s at most."""
        timeouts = [c[2] for c in self.connections if c[:2] == METADATA]
        return all(t is not None and t > 0 for t in timeouts) and sum(timeouts) <= 2


def run_command(argv: list[str], capsys, monkeypatch) -> tuple[int, str, Reached]:
    """Run ARGV, recording what this thread connects to and sleeps for (other threads of the
    worker, such as the plan inventory's background build, are left alone)."""
    reached = Reached()
    command_thread = threading.get_ident()
    connect, connect_ex, sleep = socket.socket.connect, socket.socket.connect_ex, time.sleep

    def recording(original):
        def call(sock, address):
            if threading.get_ident() != command_thread:
                return original(sock, address)
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                reached.connections.append((*address[:2], sock.gettimeout()))
            if tuple(address[:2]) == METADATA:  # as off EC2 where it is dropped: a timeout
                raise TimeoutError("timed out")
            return original(sock, address)

        return call

    def recording_sleep(seconds: float) -> None:
        if threading.get_ident() != command_thread:
            sleep(seconds)
        else:
            reached.sleeps.append(seconds)

    monkeypatch.setattr(socket.socket, "connect", recording(connect))
    monkeypatch.setattr(socket.socket, "connect_ex", recording(connect_ex))
    monkeypatch.setattr(time, "sleep", recording_sleep)
    code = cli.main(argv)
    return code, capsys.readouterr().err, reached


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_stopped_emulator_is_named_with_its_fix(command, bare_shell, monkeypatch, capsys):
    endpoint = f"https://127.0.0.1:{free_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    code, err, reached = run_command(COMMANDS[command], capsys, monkeypatch)
    assert code == 2
    assert reached.sleeps == []
    assert reached.emulator_side() and reached.only_loopback(int(endpoint.rsplit(":", 1)[1]))
    assert reached.bounded_metadata_lookup()
    assert f"the local emulator is not running (nothing answers on {endpoint}" in err
    assert f"make -C {REPO} up" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_shell_without_the_emulator_env_is_told_to_load_it(
    command, bare_shell, listener, monkeypatch, capsys
):
    record_emulator(bare_shell, listener)
    code, err, reached = run_command(COMMANDS[command], capsys, monkeypatch)
    assert code == 2
    assert reached.sleeps == []
    assert reached.emulator_side() and reached.only_loopback(listener)
    assert reached.bounded_metadata_lookup()
    assert f"not pointed at the emulator running on https://127.0.0.1:{listener}" in err
    assert f'eval "$({preflight_env.lmsops_executable()} emulator env)"' in err
    assert preflight_env.lmsops_executable().is_absolute()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_missing_credentials_are_named(command, bare_shell, monkeypatch, capsys):
    code, err, reached = run_command(COMMANDS[command], capsys, monkeypatch)
    assert code == 2
    assert (reached.sleeps, reached.emulator_side()) == ([], [])
    assert reached.bounded_metadata_lookup()
    assert "no AWS credentials found" in err


def test_an_env_loaded_for_an_earlier_emulator_is_called_stale(
    bare_shell, listener, monkeypatch, capsys
):
    record_emulator(bare_shell, listener)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"https://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    code, err, _ = run_command(COMMANDS["smoke"], capsys, monkeypatch)
    assert code == 2
    assert f"is stale: the emulator now runs on https://127.0.0.1:{listener}" in err


def test_real_aws_credentials_pass_the_check(bare_shell, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    preflight_env.check_aws_reachable()  # no emulator involved: nothing to complain about


def test_local_argument_errors_still_come_first(bare_shell, tmp_path, monkeypatch, capsys):
    code, err, _ = run_command(
        ["publish", "--env", "dev", str(tmp_path / "missing")], capsys, monkeypatch
    )
    assert code == 2
    assert "does not exist" in err
    assert "credentials" not in err


def test_validate_needs_no_aws():
    assert "validate" not in cli.NEEDS_AWS
    assert {"smoke", "publish", "deploy"} <= cli.NEEDS_AWS
