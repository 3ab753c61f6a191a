"""docs/runbook.md, followed on the emulator: each recovery ends with an empty plan.

The blocks the runbook marks `<!-- runbook-test: NAME -->` run verbatim in bash, with `aws`
carried out by boto3 (tests/integration/aws_cli_on_boto3.py) and the variables the runbook's
"Before you start" sets. The root is the small state-probe (one SSM parameter) on the
bootstrap's remote state, each test on a key of its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
from botocore.exceptions import ClientError

from lmsops import toolchain
from lmsops.roots import REPO_ROOT, Root

RUNBOOK = REPO_ROOT / "docs" / "runbook.md"
PROBE = REPO_ROOT / "tests" / "fixtures" / "state-probe"
AWS_SHIM = Path(__file__).resolve().parent / "aws_cli_on_boto3.py"
BLOCK = re.compile(r"<!-- runbook-test: ([\w-]+) -->\n```sh\n(.*?)```", re.DOTALL)
CHECKSUM_ERROR = "state data in S3 does not have the expected content"

# The killed apply: a parameter Terraform creates, then a step that holds the apply open so
# the test can kill it while the parameter exists and the state does not know it yet.
ADDED_PARAMETER = """
resource "aws_ssm_parameter" "added" {
  # checkov:skip=CKV2_AWS_34: Test fixture holding a non-secret marker value.
  name  = "${var.parameter_name}-added"
  type  = "String"
  value = "added"
}
"""
HOLD_THE_APPLY = """
resource "terraform_data" "hold" {
  depends_on = [aws_ssm_parameter.added]

  provisioner "local-exec" {
    command = "sleep 300"
  }
}
"""


def runbook_blocks() -> dict[str, str]:
    return dict(BLOCK.findall(RUNBOOK.read_text()))


def run_runbook(names: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the runbook's blocks NAMES in one bash, as the on-call engineer would paste them."""
    blocks = runbook_blocks()
    script = 'set -euo pipefail\naws() { "$PYTHON" "$AWS_SHIM" "$@"; }\n' + "".join(
        blocks[name] for name in names
    )
    env = {**env, "PYTHON": sys.executable, "AWS_SHIM": str(AWS_SHIM)}
    proc = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, f"runbook {names} failed:\n{proc.stdout}{proc.stderr}"
    return proc


def test_runbook_marks_the_blocks_these_tests_follow():
    assert set(runbook_blocks()) == {
        "variables",
        "lock-from-table",
        "force-unlock",
        "import",
        "remove-delete-marker",
        "copy-version-back",
        "update-digest",
        "publish-rollback-plan",
        "publish-rollback-apply",
    }


def test_runbook_variables_come_from_the_backend_config_and_the_roots_backend_block(
    bootstrapped, tmp_path
):
    # The layout the runbook assumes: the repository with backend.s3.tfbackend at its top.
    (tmp_path / "live/dev").mkdir(parents=True)
    shutil.copytree(REPO_ROOT / "live/dev/backend", tmp_path / "live/dev/backend", symlinks=True)
    shutil.copy(bootstrapped.backend_config, tmp_path / "backend.s3.tfbackend")
    script = runbook_blocks()["variables"] + 'printf "%s\\n" "$BUCKET" "$TABLE" "$KEY"\n'
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    *_, bucket, table, key = proc.stdout.splitlines()
    assert bucket == bootstrapped.outputs["state_bucket_name"]
    assert table == bootstrapped.outputs["lock_table_name"]
    assert key == "dev/backend/terraform.tfstate"


class Probe:
    """A private copy of the state-probe root, initialised on KEY of the remote state."""

    def __init__(self, work: Path, bootstrapped, key: str, name: str):
        shutil.copytree(PROBE, work / "probe", ignore=shutil.ignore_patterns(".terraform"))
        self.path = work / "probe"
        self.parameter = f"/lms/runbook/{name}"
        self.bucket = bootstrapped.outputs["state_bucket_name"]
        self.table = bootstrapped.outputs["lock_table_name"]
        self.key = key
        variables = {"TF_VAR_parameter_name": self.parameter, "TF_VAR_parameter_value": "v1"}
        self.root = Root(self.path, data_dir=work / "tfdata", env=variables)
        self.root.init(backend_config=bootstrapped.backend_config, backend_options={"key": key})

    def runbook(self, name: str, **variables: str) -> subprocess.CompletedProcess:
        """Run the runbook's block NAME in the root's folder with the state's variables."""
        env = {**self.root.env, "BUCKET": self.bucket, "TABLE": self.table, "KEY": self.key}
        return run_runbook([name], self.path, {**env, **variables})

    def plan(self) -> subprocess.CompletedProcess:
        """`terraform plan -detailed-exitcode`: 0 empty, 2 changes, 1 error."""
        return self.root.tf("plan", "-no-color", "-input=false", "-detailed-exitcode", check=False)

    def state(self) -> dict:
        body = boto3.client("s3").get_object(Bucket=self.bucket, Key=self.key)["Body"].read()
        return json.loads(body)

    def latest_version(self) -> str:
        listing = boto3.client("s3").list_object_versions(Bucket=self.bucket, Prefix=self.key)
        [latest] = [v for v in listing["Versions"] if v["Key"] == self.key and v["IsLatest"]]
        return latest["VersionId"]

    def lock_item(self) -> dict | None:
        key = {"LockID": {"S": f"{self.bucket}/{self.key}"}}
        dynamodb = boto3.client("dynamodb")
        return dynamodb.get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")

    def clean_up(self, *parameters: str) -> None:
        """Delete the parameters directly: cheaper than a destroy, and works with any state."""
        ssm = boto3.client("ssm")
        for name in parameters:
            with contextlib.suppress(ClientError):  # destroyed already
                ssm.delete_parameter(Name=name)


def managed(state: dict) -> set[str]:
    return {f"{r['type']}.{r['name']}" for r in state["resources"] if r["mode"] == "managed"}


def output_of(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout + proc.stderr


def parameter_exists(name: str) -> bool:
    try:
        boto3.client("ssm").get_parameter(Name=name)
    except ClientError:
        return False
    return True


def apply_killed_once_it_created(probe: Probe, parameter: str) -> subprocess.Popen:
    """`terraform apply`, killed with SIGKILL (its whole group, as a cancelled CI job is)
    once PARAMETER exists in the account."""
    # Terraform persists state during an apply at most every 20 s (TF_STATE_PERSIST_INTERVAL);
    # a longer interval keeps this test on the same side of that window on a slow machine.
    env = {**probe.root.env, "TF_STATE_PERSIST_INTERVAL": "600"}
    apply = subprocess.Popen(
        [toolchain.terraform_bin(), "apply", "-no-color", "-input=false", "-auto-approve"],
        cwd=probe.path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not parameter_exists(parameter):
        assert apply.poll() is None, "the apply ended before it created the parameter"
        assert time.monotonic() < deadline, "the apply did not create the parameter in 120 s"
        time.sleep(0.2)
    os.killpg(apply.pid, signal.SIGKILL)
    apply.wait(timeout=30)
    return apply


def test_killed_apply_stale_lock_and_missing_resource_recovered_as_the_runbook_says(
    bootstrapped, tmp_path
):
    probe = Probe(tmp_path, bootstrapped, "runbook-killed/terraform.tfstate", "killed")
    added = f"{probe.parameter}-added"
    try:
        probe.root.apply()
        (probe.path / "added.tf").write_text(ADDED_PARAMETER + HOLD_THE_APPLY)
        killed = apply_killed_once_it_created(probe, added)
        assert killed.returncode == -signal.SIGKILL
        assert managed(probe.state()) == {"aws_ssm_parameter.probe"}, "state knows the new one"

        # Section 1: the next plan names the lock; the table shows the same lock.
        locked = probe.plan()
        assert locked.returncode == 1
        assert "Error acquiring the state lock" in output_of(locked), output_of(locked)
        lock_id = re.search(r"^\s*ID:\s+(\S+)$", output_of(locked), re.MULTILINE).group(1)
        listed = probe.runbook("lock-from-table").stdout
        rows = dict(line.split("\t", 1) for line in listed.splitlines())
        info = json.loads(rows[f"{probe.bucket}/{probe.key}"])
        assert info["ID"] == lock_id
        assert info["Operation"] == "OperationTypeApply"

        probe.runbook("force-unlock", LOCK_ID=lock_id)
        assert probe.lock_item() is None

        # Section 2: plan wants to create what exists; import it; plan is empty.
        (probe.path / "added.tf").write_text(ADDED_PARAMETER)  # the hold only froze the apply
        missing = probe.plan()
        assert missing.returncode == 2, output_of(missing)
        assert "# aws_ssm_parameter.added will be created" in missing.stdout
        probe.runbook("import", ADDRESS="aws_ssm_parameter.added", ID=added)
        after = probe.plan()
        assert after.returncode == 0, output_of(after)
        assert managed(probe.state()) == {"aws_ssm_parameter.probe", "aws_ssm_parameter.added"}
    finally:
        probe.clean_up(probe.parameter, added)


def test_deleted_state_object_restored_by_removing_the_delete_marker(bootstrapped, tmp_path):
    probe = Probe(tmp_path, bootstrapped, "runbook-deleted/terraform.tfstate", "deleted")
    try:
        probe.root.apply()
        before = probe.state()
        boto3.client("s3").delete_object(Bucket=probe.bucket, Key=probe.key)

        broken = probe.plan()
        assert broken.returncode == 1
        assert CHECKSUM_ERROR in " ".join(output_of(broken).split()), output_of(broken)

        probe.runbook("remove-delete-marker")
        assert probe.state() == before
        after = probe.plan()
        assert after.returncode == 0, output_of(after)
    finally:
        probe.clean_up(probe.parameter)


def test_wrong_state_restored_from_a_previous_version_and_its_digest(bootstrapped, tmp_path):
    probe = Probe(tmp_path, bootstrapped, "runbook-restore/terraform.tfstate", "restore")
    try:
        probe.root.apply()
        good = probe.latest_version()
        # The mistake: a resource removed from state by hand; plan now wants to create it.
        probe.root.tf("state", "rm", "-no-color", "aws_ssm_parameter.probe")
        assert managed(probe.state()) == set()

        probe.runbook("copy-version-back", GOOD_VERSION=good)
        mismatch = probe.plan()
        text = " ".join(output_of(mismatch).split())
        assert mismatch.returncode == 1
        assert CHECKSUM_ERROR in text, text
        calculated = re.search(r"Calculated checksum: ([0-9a-f]{32})", text).group(1)

        probe.runbook("update-digest", CALCULATED=calculated)
        after = probe.plan()
        assert after.returncode == 0, output_of(after)
        assert managed(probe.state()) == {"aws_ssm_parameter.probe"}
    finally:
        probe.clean_up(probe.parameter)


def put_site_object(bucket: str, key: str, body: str) -> None:
    boto3.client("s3").put_object(
        Bucket=bucket, Key=key, Body=body.encode(), ContentType="text/html; charset=utf-8"
    )


def site_object(bucket: str, key: str) -> tuple[str, str] | None:
    """(body, Content-Type) of KEY's current version, None when there is none."""
    try:
        got = boto3.client("s3").get_object(Bucket=bucket, Key=key)
    except ClientError:
        return None
    return got["Body"].read().decode(), got["ContentType"]


def test_publish_rolled_back_by_hand_from_object_versions(emulator, tmp_path):
    site = "runbook-site-rollback"
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=site)
    s3.put_bucket_versioning(Bucket=site, VersioningConfiguration={"Status": "Enabled"})
    for key in ("index.html", "about.html", "old.html"):
        put_site_object(site, key, f"good {key}")
    about_version = s3.head_object(Bucket=site, Key="about.html")["VersionId"]
    time.sleep(1.1)
    since = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    time.sleep(1.1)
    # The bad publish: one file overwritten, one added, one deleted (--delete).
    put_site_object(site, "index.html", "bad index.html")
    put_site_object(site, "new.html", "bad new.html")
    s3.delete_object(Bucket=site, Key="old.html")

    env = {**os.environ, "SITE": site, "SINCE": since}
    planned = run_runbook(["publish-rollback-plan"], tmp_path, env).stdout
    decisions = sorted(line.split("\t")[:2] for line in planned.splitlines())
    assert decisions == [["remove", "new.html"], ["restore", "index.html"], ["restore", "old.html"]]
    run_runbook(["publish-rollback-plan", "publish-rollback-apply"], tmp_path, env)

    html = "text/html; charset=utf-8"
    assert site_object(site, "index.html") == ("good index.html", html)
    assert site_object(site, "old.html") == ("good old.html", html)
    assert site_object(site, "new.html") is None
    assert s3.head_object(Bucket=site, Key="about.html")["VersionId"] == about_version
