"""Emulator lifecycle, TLS trust, environment and CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import SSLError
from cryptography import x509

from lmsops.emulator import Emulator
from lmsops.emulator.certs import ensure_certificate
from lmsops.emulator.server import STATE_FILE
from lmsops.errors import UserError

REPO = Path(__file__).resolve().parents[2]
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lmsops.cli", "emulator", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def process_exists(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_start_status_reuse_stop(tmp_path):
    emulator = Emulator(tmp_path)
    assert emulator.status() is None

    info = emulator.start()
    try:
        assert info.endpoint == f"https://127.0.0.1:{info.port}"
        recorded = json.loads((tmp_path / STATE_FILE).read_text())
        assert recorded == {
            "pid": info.pid,
            "port": info.port,
            "endpoint": info.endpoint,
            "ca_bundle": info.ca_bundle,
        }
        assert emulator.status() == info
        # A second start, even from another Emulator object, reuses the running one.
        assert Emulator(tmp_path).start() == info
    finally:
        assert emulator.stop() is True

    assert emulator.status() is None
    assert not (tmp_path / STATE_FILE).exists()
    assert not process_exists(info.pid)
    assert emulator.stop() is False


def test_https_is_trusted_only_through_the_generated_ca_bundle(emulator):
    trusted = boto3.client(
        "sts", endpoint_url=emulator.endpoint, verify=emulator.ca_bundle, config=NO_RETRIES
    )
    assert trusted.get_caller_identity()["Account"].isdigit()

    saved = os.environ.pop("AWS_CA_BUNDLE")
    try:
        default_trust = boto3.client(
            "sts", endpoint_url=emulator.endpoint, verify=True, config=NO_RETRIES
        )
        with pytest.raises(SSLError):
            default_trust.get_caller_identity()
    finally:
        os.environ["AWS_CA_BUNDLE"] = saved


def test_certificate_names_the_loopback_host_and_is_generated_once(tmp_path):
    first = ensure_certificate(tmp_path)
    pem = first.cert.read_bytes()
    cert = x509.load_pem_x509_certificate(pem)
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert oct(first.key.stat().st_mode & 0o777) == "0o600"

    assert ensure_certificate(tmp_path).cert.read_bytes() == pem


def test_env_wins_over_a_profile_and_service_endpoints_in_the_callers_environment(emulator):
    hostile = {
        "AWS_PROFILE": "does-not-exist",
        "AWS_DEFAULT_PROFILE": "does-not-exist",
        "AWS_ENDPOINT_URL_S3": "https://s3.invalid",
        "AWS_SESSION_TOKEN": "stale",
    }
    probe = (
        "import boto3; s3 = boto3.client('s3'); "
        "s3.create_bucket(Bucket='env-probe'); "
        "print(s3.list_buckets()['Buckets'][0]['Name'] != '')"
    )
    with pytest.MonkeyPatch.context() as patch:
        for name, value in hostile.items():
            patch.setenv(name, value)
        env = {**os.environ, **emulator.env()}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    assert env["AWS_MAX_ATTEMPTS"] == "3"
    assert env["TF_VAR_s3_use_path_style"] == "true"


def test_start_on_a_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(UserError, match=f"port {port} .*in use"):
            Emulator(tmp_path).start(port=port)
    assert not (tmp_path / STATE_FILE).exists()


def test_cli_status_fails_when_stopped_and_env_prints_exports_when_running(tmp_path):
    state_dir = str(tmp_path / "emu")
    stopped = cli("--state-dir", state_dir, "status")
    assert stopped.returncode != 0
    assert "no emulator is running" in stopped.stderr

    started = cli("--state-dir", state_dir, "start")
    try:
        assert started.returncode == 0, started.stderr
        assert 'eval "$(lmsops emulator env)"' in started.stdout
        assert cli("--state-dir", state_dir, "status").returncode == 0
        exports = cli("--state-dir", state_dir, "env").stdout.splitlines()
        endpoint = Emulator(Path(state_dir)).status().endpoint
        assert f"export AWS_ENDPOINT_URL={endpoint}" in exports
    finally:
        assert cli("--state-dir", state_dir, "stop").returncode == 0
    assert cli("--state-dir", state_dir, "status").returncode != 0
