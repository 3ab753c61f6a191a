"""A live-like root on the bootstrap's remote state: own key, locking, recovery, bad config.

The probe root (tests/fixtures/state-probe) manages one SSM parameter; its backend block
names `probe/terraform.tfstate`. Tests other than the own-key one override the key so
that each works on a state of its own.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from lmsops import roots, toolchain
from lmsops.roots import Root

PROBE = "tests/fixtures/state-probe"
PROBE_KEY = "probe/terraform.tfstate"  # as written in the probe's backend.tf
PROMPT = "Enter a value:"
LOCK_TIMEOUT_S = 2


@pytest.fixture(scope="module")
def bucket(bootstrapped) -> str:
    return bootstrapped.outputs["state_bucket_name"]


@pytest.fixture(scope="module")
def table(bootstrapped) -> str:
    return bootstrapped.outputs["lock_table_name"]


class Probe:
    """The probe root initialised on the remote state, with its own parameter name."""

    def __init__(self, repo: Path, work: Path, name: str):
        self.root = Root(repo / PROBE, data_dir=work / "tfdata")
        self.parameter = f"/lms/state-probe/{name}"

    def var_args(self, value: str) -> list[str]:
        return ["-var", f"parameter_name={self.parameter}", "-var", f"parameter_value={value}"]

    def init(self, backend_config: Path, key: str | None = None) -> None:
        self.root.init(backend_config=backend_config, backend_options={"key": key} if key else None)

    def apply(self, value: str) -> None:
        self.root.apply(var_args=self.var_args(value))

    def destroy(self) -> None:
        self.root.destroy(var_args=self.var_args("destroy"))


def read_state(bucket: str, key: str, version_id: str | None = None) -> dict:
    extra = {"VersionId": version_id} if version_id else {}
    body = boto3.client("s3").get_object(Bucket=bucket, Key=key, **extra)["Body"].read()
    return json.loads(body)


def managed_addresses(state: dict) -> set[str]:
    return {f"{r['type']}.{r['name']}" for r in state["resources"] if r["mode"] == "managed"}


def parameter_value(state: dict) -> str:
    [resource] = [r for r in state["resources"] if r["type"] == "aws_ssm_parameter"]
    return resource["instances"][0]["attributes"]["value"]


def lock_item(table: str, lock_id: str) -> dict | None:
    return (
        boto3.client("dynamodb")
        .get_item(TableName=table, Key={"LockID": {"S": lock_id}}, ConsistentRead=True)
        .get("Item")
    )


def state_keys(bucket: str) -> set[str]:
    pages = boto3.client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {obj["Key"] for page in pages for obj in page.get("Contents", [])}


def test_root_writes_its_state_under_its_own_key(bootstrapped, integration_repo, tmp_path, bucket):
    probe = Probe(integration_repo, tmp_path, "own-key")
    probe.init(bootstrapped.backend_config)  # key comes from the probe's backend block only
    try:
        probe.apply("v1")
        keys = state_keys(bucket)
        assert PROBE_KEY in keys
        assert "terraform.tfstate" not in keys  # no default key: the root named its own
        head = boto3.client("s3").head_object(Bucket=bucket, Key=PROBE_KEY)
        assert head["ServerSideEncryption"] == "AES256"  # encrypt = true in backend_config
        state = read_state(bucket, PROBE_KEY)
        assert managed_addresses(state) == {"aws_ssm_parameter.probe"}
        assert parameter_value(state) == "v1"
    finally:
        probe.destroy()


@pytest.mark.parametrize(
    "live_root",
    [str(p.relative_to(roots.REPO_ROOT)) for p in roots.live_roots()],
)
def test_every_live_root_initialises_with_the_backend_config_on_its_own_key(
    bootstrapped, integration_repo, tmp_path, live_root
):
    data_dir = tmp_path / "tfdata"
    Root(integration_repo / live_root, data_dir=data_dir).init(
        backend_config=bootstrapped.backend_config
    )
    backend = json.loads((data_dir / "terraform.tfstate").read_text())["backend"]
    assert backend["type"] == "s3"
    env_name, component = Path(live_root).parts[-2:]
    assert backend["config"]["key"] == f"{env_name}/{component}/terraform.tfstate"
    assert backend["config"]["bucket"] == bootstrapped.outputs["state_bucket_name"]
    assert backend["config"]["dynamodb_table"] == bootstrapped.outputs["lock_table_name"]
    assert backend["config"]["encrypt"] is True


class PromptingApply:
    """`terraform apply` without -auto-approve, stopped at its prompt with the lock held."""

    def __init__(self, root: Root, var_args: list[str]):
        env = {**root.env, "TF_INPUT": "1"}
        self.proc = subprocess.Popen(
            [toolchain.terraform_bin(), "apply", "-no-color", "-input=true", *var_args],
            cwd=root.path,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while chunk := self.proc.stdout.read(1):
            self.output += chunk

    def wait_for_prompt(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while PROMPT not in self.output:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"apply did not reach its prompt:\n{self.output}")
            time.sleep(0.2)

    def answer(self, text: str, timeout: float) -> int:
        self.proc.stdin.write(f"{text}\n")
        self.proc.stdin.close()
        returncode = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return returncode

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def apply_against_held_lock(probe: Probe, lock_id: str) -> None:
    """A second apply with -lock-timeout fails with Terraform's lock error, naming the holder."""
    second = probe.root.tf(
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
        f"-lock-timeout={LOCK_TIMEOUT_S}s",
        *probe.var_args("v3"),
        check=False,
    )
    output = second.stdout + second.stderr
    assert second.returncode != 0
    assert "Error acquiring the state lock" in output, output
    assert lock_id in output, output  # the holder's lock, not some other failure
    assert "OperationTypeApply" in output, output  # what the holder is doing


def test_second_apply_fails_on_the_lock_and_state_stays_intact(
    bootstrapped, integration_repo, tmp_path, bucket, table
):
    key = "probe-lock/terraform.tfstate"
    probe = Probe(integration_repo, tmp_path, "lock")
    probe.init(bootstrapped.backend_config, key=key)
    first = None
    try:
        probe.apply("v1")
        before = read_state(bucket, key)

        first = PromptingApply(probe.root, probe.var_args("v2"))
        first.wait_for_prompt(timeout=120)
        held = lock_item(table, f"{bucket}/{key}")
        assert held is not None, "the waiting apply holds no lock item"
        held_id = json.loads(held["Info"]["S"])["ID"]
        apply_against_held_lock(probe, held_id)
        # The refused apply neither took nor released the first apply's lock.
        still = lock_item(table, f"{bucket}/{key}")
        assert still is not None and json.loads(still["Info"]["S"])["ID"] == held_id

        assert first.answer("yes", timeout=120) == 0, first.output
        after = read_state(bucket, key)
        assert after["serial"] == before["serial"] + 1
        assert after["lineage"] == before["lineage"]
        assert managed_addresses(after) == managed_addresses(before) == {"aws_ssm_parameter.probe"}
        assert parameter_value(after) == "v2"  # the first apply's change, not the second's
        ssm_value = boto3.client("ssm").get_parameter(Name=probe.parameter)["Parameter"]["Value"]
        assert ssm_value == "v2"

        assert lock_item(table, f"{bucket}/{key}") is None, "lock item left behind"
        # The digest item is Terraform's consistency check, not a lock.
        assert lock_item(table, f"{bucket}/{key}-md5") is not None
    finally:
        if first is not None:
            first.kill()
        probe.destroy()


def test_previous_state_version_can_be_read_back(bootstrapped, integration_repo, tmp_path, bucket):
    key = "probe-recovery/terraform.tfstate"
    probe = Probe(integration_repo, tmp_path, "recovery")
    probe.init(bootstrapped.backend_config, key=key)
    try:
        probe.apply("v1")
        probe.apply("v2")
        listing = boto3.client("s3").list_object_versions(Bucket=bucket, Prefix=key)
        versions = [v for v in listing["Versions"] if v["Key"] == key]
        [latest] = [v for v in versions if v["IsLatest"]]
        previous = max((v for v in versions if not v["IsLatest"]), key=lambda v: v["LastModified"])

        current = read_state(bucket, key, latest["VersionId"])
        restored = read_state(bucket, key, previous["VersionId"])
        assert restored["serial"] == current["serial"] - 1
        assert restored["lineage"] == current["lineage"]
        assert parameter_value(restored) == "v1"
        assert parameter_value(current) == "v2"
    finally:
        probe.destroy()


def backend_config_with(source: Path, dest: Path, setting: str, value: str) -> Path:
    lines = [
        f'{setting} = "{value}"' if line.split("=")[0].strip() == setting else line
        for line in source.read_text().splitlines()
    ]
    dest.write_text("\n".join(lines) + "\n")
    return dest


def test_missing_bucket_fails_clearly_and_creates_nothing(bootstrapped, integration_repo, tmp_path):
    missing = "acme-lms-tfstate-missing"
    config = backend_config_with(
        bootstrapped.backend_config, tmp_path / "missing-bucket.tfbackend", "bucket", missing
    )
    s3 = boto3.client("s3")
    buckets_before = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    probe = Probe(integration_repo, tmp_path, "missing-bucket")

    with pytest.raises(toolchain.TerraformError) as failure:
        probe.init(config)
    output = " ".join(failure.value.output.split())
    assert f'S3 bucket "{missing}" does not exist' in output, output

    assert {b["Name"] for b in s3.list_buckets()["Buckets"]} == buckets_before
    with pytest.raises(ClientError):
        boto3.client("ssm").get_parameter(Name=probe.parameter)


def test_missing_lock_table_fails_clearly_and_creates_nothing(
    bootstrapped, integration_repo, tmp_path, bucket
):
    missing = "acme-lms-tfstate-missing-lock"
    key = "probe-missing-table/terraform.tfstate"
    config = backend_config_with(
        bootstrapped.backend_config, tmp_path / "missing-table.tfbackend", "dynamodb_table", missing
    )
    dynamodb = boto3.client("dynamodb")
    tables_before = set(dynamodb.list_tables()["TableNames"])
    probe = Probe(integration_repo, tmp_path, "missing-table")

    probe.init(config, key=key)  # init reads the bucket only; the table is used from the lock on
    with pytest.raises(toolchain.TerraformError) as failure:
        probe.apply("v1")
    output = " ".join(failure.value.output.split())
    assert "Error acquiring the state lock" in output, output
    assert f'DynamoDB table "{missing}"' in output, output
    assert "ResourceNotFoundException" in output, output

    assert set(dynamodb.list_tables()["TableNames"]) == tables_before
    assert key not in state_keys(bucket)
    with pytest.raises(ClientError):
        boto3.client("ssm").get_parameter(Name=probe.parameter)


@pytest.fixture
def lockfile_backend_config(bootstrapped, tmp_path) -> Path:
    """The bootstrap's backend config as locking = "s3" writes it: use_lockfile, no table.

    (The module's output for locking = "s3" is checked at plan level; applying a second
    remote state here would cost a minute of the provider's lifecycle-rule waiter.)
    """
    lines = [
        line
        for line in bootstrapped.backend_config.read_text().splitlines()
        if not line.startswith("dynamodb_table")
    ]
    config = tmp_path / "lockfile.tfbackend"
    config.write_text("\n".join([*lines, "use_lockfile   = true"]) + "\n")
    return config


def test_s3_native_locking_holds_the_lock_and_releases_it(
    lockfile_backend_config, integration_repo, tmp_path, bucket, table
):
    key = "probe-lockfile/terraform.tfstate"
    probe = Probe(integration_repo, tmp_path, "lockfile")
    probe.init(lockfile_backend_config, key=key)
    first = None
    try:
        probe.apply("v1")
        before = read_state(bucket, key)

        first = PromptingApply(probe.root, probe.var_args("v2"))
        first.wait_for_prompt(timeout=120)
        lock = read_state(bucket, f"{key}.tflock")  # the lock file is JSON lock info
        assert lock_item(table, f"{bucket}/{key}") is None  # not locked through the table
        apply_against_held_lock(probe, lock["ID"])

        assert first.answer("yes", timeout=120) == 0, first.output
        after = read_state(bucket, key)
        assert after["serial"] == before["serial"] + 1
        assert parameter_value(after) == "v2"
        assert f"{key}.tflock" not in state_keys(bucket), "lock file left behind"
    finally:
        if first is not None:
            first.kill()
        probe.destroy()
