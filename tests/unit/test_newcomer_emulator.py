"""Issue 12, points 2 and 5: a stable emulator, and one env that makes a whole shell work on it.

The CLI's emulator keeps one port across restarts (LMSOPS_EMULATOR_PORT or
--port; tests pass none and get free ports), `stop` says what is discarded, and
`lmsops emulator env` also puts lmsops on PATH, terraform on the provider
mirror and names the emulator's checkout.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import ssl
import sys
from pathlib import Path

import pytest

from lmsops import cli, environment, paths, toolchain
from lmsops.emulator import commands
from lmsops.errors import UserError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def open_connection(state_dir: Path, port: int) -> http.client.HTTPSConnection:
    """A kept-alive client connection, as Terraform and boto3 leave them."""
    context = ssl.create_default_context(cafile=str(state_dir / "emulator-cert.pem"))
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    connection.request("GET", "/moto-api/")
    connection.getresponse().read()
    return connection


def test_default_port_is_fixed_and_configurable(monkeypatch):
    monkeypatch.delenv(commands.PORT_ENV, raising=False)
    assert commands.default_port() == commands.DEFAULT_PORT
    monkeypatch.setenv(commands.PORT_ENV, "6123")
    assert commands.default_port() == 6123
    monkeypatch.setenv(commands.PORT_ENV, "http")
    with pytest.raises(UserError, match="LMSOPS_EMULATOR_PORT=http is not a port"):
        commands.default_port()


def test_restarted_emulator_keeps_its_port_and_stop_says_what_is_discarded(
    tmp_path, monkeypatch, capsys
):
    port = free_port()
    monkeypatch.setenv(commands.PORT_ENV, str(port))
    state = ["emulator", "--state-dir", str(tmp_path / "emu")]
    try:
        assert cli.main([*state, "start"]) == 0
        assert f"emulator started, empty: https://127.0.0.1:{port}" in capsys.readouterr().out
        assert cli.main([*state, "start"]) == 0
        assert "already running" in capsys.readouterr().out
        client = open_connection(tmp_path / "emu", port)  # still open when the server stops
        assert cli.main([*state, "stop"]) == 0
        client.close()
        stopped = capsys.readouterr().out
        assert "emulator stopped: everything it held is discarded" in stopped
        assert f"`make -C {toolchain.REPO_ROOT} up` builds it all again" in stopped
        assert cli.main([*state, "start"]) == 0
        assert f"https://127.0.0.1:{port}" in capsys.readouterr().out
    finally:
        cli.main([*state, "stop"])


def test_a_new_emulator_forgets_the_checkouts_records_of_the_old_one(tmp_path, monkeypatch):
    monkeypatch.setenv("LMSOPS_CACHE_DIR", str(tmp_path / "cache"))
    checkout = environment.emulator_checkout()
    (checkout / "bootstrap").mkdir(parents=True)
    (checkout / "bootstrap" / "terraform.tfstate").write_text("{}")
    (checkout / environment.BACKEND_CONFIG_NAME).write_text('bucket = "b"\n')
    (checkout / "bootstrap" / "main.tf").write_text("")
    emulator = commands.Emulator(paths.emulator_state_dir())
    try:
        commands.start_or_reuse(emulator, free_port())
    finally:
        emulator.stop()
    assert not (checkout / "bootstrap" / "terraform.tfstate").exists()
    assert not (checkout / environment.BACKEND_CONFIG_NAME).exists()
    assert (checkout / "bootstrap" / "main.tf").exists()


def test_shell_env_puts_lmsops_on_path_and_terraform_on_the_mirror(emulator, monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    env = commands.shell_env(emulator)
    bin_dir = str(Path(sys.executable).parent)
    assert env["PATH"].split(os.pathsep) == [bin_dir, "/usr/bin", "/bin"]
    assert env["TF_CLI_CONFIG_FILE"] == str(toolchain.write_cli_config())
    assert Path(env["TF_CLI_CONFIG_FILE"]).is_file()
    assert env["LMSOPS_EMULATOR_CHECKOUT"] == str(environment.emulator_checkout())
    assert env["AWS_ENDPOINT_URL"] == emulator.endpoint
    exports = commands.render_exports(env)
    assert f"export PATH={bin_dir}:/usr/bin:/bin" in exports


def test_live_outputs_come_from_the_emulators_checkout_once_its_env_is_loaded(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("LMSOPS_EMULATOR_CHECKOUT", str(tmp_path / "elsewhere"))
    with pytest.raises(UserError, match=str(tmp_path / "elsewhere" / "live" / "dev")):
        environment.live_outputs("dev", "frontend")
    monkeypatch.delenv("LMSOPS_EMULATOR_CHECKOUT")
    assert environment.default_checkout() == environment.REPO_ROOT


def test_port_option_is_described():
    parser = argparse.ArgumentParser()
    commands.add_port_argument(parser)
    [port] = [a for a in parser._actions if "--port" in a.option_strings]
    assert "LMSOPS_EMULATOR_PORT" in port.help
    assert str(commands.DEFAULT_PORT) in port.help
