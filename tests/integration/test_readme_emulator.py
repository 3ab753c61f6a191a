"""Issue 12 on a fresh copy of the repository: `lmsops up` and the README's emulator section.

The copy holds what the README's real-AWS steps leave behind (bootstrap state,
`.terraform/` folders, backend.s3.tfbackend): `up` must work and leave them as
they were; a failed `up` says what failed and that the emulator still runs;
the README's "Pointing the same commands at the emulator" block, read from the
README itself, runs line by line; a stopped emulator is reported at once.

Cost is bounded: `up` applies only the frontend root (bootstrap + one root).
"""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SECTION = "### Pointing the same commands at the emulator"
UP_ARGS = ["up", "--component", "frontend"]
# What `terraform apply` in bootstrap/ against real AWS leaves: a state with resources (an
# empty one would not make Terraform offer to migrate it, and would prove nothing).
REAL_STATE = json.dumps(
    {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 7,
        "lineage": "0b5c1d52-8d2a-4f5e-9a0e-3c6f1f7a2b11",
        "outputs": {},
        "resources": [
            {
                "mode": "managed",
                "type": "aws_route53_zone",
                "name": "public",
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [
                    {
                        "index_key": "acme-lms.com",
                        "schema_version": 0,
                        "attributes": {"id": "Z0REALAWSZONE", "name": "acme-lms.com"},
                    }
                ],
            }
        ],
    }
)
REAL_AWS_FILES = {
    "bootstrap/terraform.tfstate": REAL_STATE,
    "bootstrap/.terraform/terraform.tfstate": '{"backend": "real"}\n',
    "backend.s3.tfbackend": 'bucket = "real-aws-state"\n',
    "live/dev/frontend/.terraform/terraform.tfstate": '{"backend": "real"}\n',
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def readme_emulator_block() -> list[str]:
    text = (REPO / "README.md").read_text()
    section = text[text.index(SECTION) :]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, f"README: no sh block under {SECTION!r}"
    return [line for line in block.group(1).splitlines() if line.strip()]


class Clone:
    """A fresh copy of the repository and a clean shell environment to run it with."""

    def __init__(self, path: Path):
        self.path = path
        self.env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("AWS_", "LMSOPS_", "TF_DATA_DIR"))
        }
        self.env.update(
            PYTHONPATH=str(path),
            LMSOPS_EMULATOR_PORT=str(free_port()),
            # No credentials anywhere but what `lmsops emulator env` gives.
            AWS_CONFIG_FILE=str(path / "no-aws-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(path / "no-aws-config"),
            AWS_EC2_METADATA_DISABLED="true",
        )

    def lmsops(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.path / ".tox" / "up" / "bin" / "lmsops"), *args],
            cwd=self.path,
            env=env or self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    def shell(self, script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + script],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    def loaded_env(self) -> dict[str, str]:
        proc = self.lmsops("emulator", "env")
        assert proc.returncode == 0, proc.stderr
        env = dict(self.env)
        for line in proc.stdout.splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value.strip("'")
        return env


def copy_working_tree(dest: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (item.decode() for item in listed)):
        source, target = REPO / name, dest / name
        if not (source.exists() or source.is_symlink()):
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(source.readlink())
        else:
            target.write_bytes(source.read_bytes())


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    path = tmp_path_factory.mktemp("fresh-clone") / "lms"
    copy_working_tree(path)
    for rel, content in REAL_AWS_FILES.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(content)
    # What `make up` installs: lmsops in .tox/up/bin (here the test's interpreter).
    bin_dir = path / ".tox" / "up" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "lmsops").write_text(f'#!/bin/sh\nexec {sys.executable} -m lmsops.cli "$@"\n')
    (bin_dir / "lmsops").chmod(0o755)
    repo = Clone(path)
    try:
        yield repo
    finally:
        repo.lmsops("emulator", "stop")


@pytest.fixture(scope="module")
def brought_up(clone):
    proc = clone.lmsops(*UP_ARGS)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def test_a_failed_up_says_what_failed_and_that_the_emulator_still_runs(clone):
    tfvars = clone.path / "bootstrap" / "terraform.tfvars"
    good = tfvars.read_text()
    tfvars.write_text(good.replace("acme-lms-tfstate-4f2a9c1e", "Bad_Bucket"))
    try:
        proc = clone.lmsops(*UP_ARGS)
    finally:
        tfvars.write_text(good)
    assert proc.returncode == 1
    port = clone.env["LMSOPS_EMULATOR_PORT"]
    assert "`lmsops up` failed at bootstrap" in proc.stderr
    assert "state_bucket_name must be 3-63 characters" in proc.stderr
    assert re.search(r"The whole run is logged in \S+\.log", proc.stderr)
    assert f"The emulator is left running on https://127.0.0.1:{port}" in proc.stderr
    assert re.search(r"`make -C \S+ down` to stop it", proc.stderr)  # works from any folder


def test_up_works_beside_real_aws_files_and_leaves_them_untouched(clone, brought_up):
    for rel, content in REAL_AWS_FILES.items():
        assert (clone.path / rel).read_text() == content, rel
    assert "Apply complete!" in brought_up.stdout
    assert brought_up.stderr.strip() == ""  # progress is not painted red by tox


def test_up_shows_progress_of_long_waits_and_logs_the_run(brought_up):
    out = brought_up.stdout
    # The state bucket's lifecycle configuration alone keeps the provider waiting ~55 s.
    assert re.search(r"bootstrap: \[\d+/9\] still \S+ creating \d+ s", out), out[-3000:]
    assert re.search(r"dev/frontend: \[\d+/\d+\] .*Creation complete after", out)
    log = Path(re.search(r"log of this run: (\S+)", out).group(1))
    assert '"type":"apply_complete"' in log.read_text()


def test_up_ends_with_a_curl_line_that_fetches_the_site(brought_up):
    match = re.search(
        r"curl --cacert (\S+) (https://127\.0\.0\.1:\d+/\S+/index\.html)", brought_up.stdout
    )
    assert match, brought_up.stdout[-2000:]
    context = ssl.create_default_context(cafile=match.group(1))
    with urllib.request.urlopen(match.group(2), context=context, timeout=10) as response:
        assert response.status == 200
        assert b"<html" in response.read().lower()


def test_the_readme_emulator_section_runs_line_by_line(clone, brought_up):
    lines = readme_emulator_block()
    # `make up` installs tox and runs `lmsops up`: the fixture ran that already
    # (frontend only, to bound the cost).
    assert lines[0] == "make up"
    assert lines[1].startswith('eval "$(.tox/up/bin/lmsops emulator env)"')
    proc = clone.shell("\n".join(lines[1:]))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    # Bootstrap again in that shell: nothing to do (same state), so no second zone.
    assert output.count("No changes.") == 2, output[-4000:]
    assert re.search(r"\d+ passed, 0 failed", proc.stdout)
    assert "'dev.acme-lms.com'" in proc.stdout
    zones = clone.shell(
        'eval "$(.tox/up/bin/lmsops emulator env)"\n'
        'python -c \'import boto3, json; print(json.dumps([z["Name"] for z in '
        'boto3.client("route53").list_hosted_zones()["HostedZones"]]))\''
    )
    assert zones.returncode == 0, zones.stderr
    assert json.loads(zones.stdout) == ["acme-lms.com."]
    for rel, content in REAL_AWS_FILES.items():
        assert (clone.path / rel).read_text() == content, rel


def test_stopping_discards_and_a_stopped_emulator_is_named_before_terraform_runs(
    clone, brought_up, tmp_path
):
    loaded = clone.loaded_env()
    stopped = clone.lmsops("emulator", "stop")
    assert "everything it held is discarded" in stopped.stdout
    # Said at once: the emulator is looked for before any Terraform process would start
    # (and wait on its S3 backend). A `terraform` first on PATH records that it ran.
    ran = tmp_path / "terraform-ran"
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "terraform").write_text(f"#!/bin/sh\ntouch {ran}\nexit 1\n")
    (fake / "terraform").chmod(0o755)
    watched = {**loaded, "PATH": f"{fake}{os.pathsep}{loaded['PATH']}"}
    proc = clone.lmsops("smoke", "frontend", "--env", "dev", env=watched)
    assert proc.returncode == 2
    assert "the local emulator is not running" in proc.stderr
    assert re.search(r"make -C \S+ up", proc.stderr)
    assert not ran.exists()
    # A restart comes back on the same port: the shell's environment is still right.
    assert clone.lmsops("emulator", "start").returncode == 0
    assert clone.loaded_env()["AWS_ENDPOINT_URL"] == loaded["AWS_ENDPOINT_URL"]
