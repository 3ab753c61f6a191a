"""A restarted (empty) emulator and a never-initialised root: said plainly, fast, with the fix.

Stopping the emulator discards everything, but the checkout's roots still name the
old state bucket; a root never `terraform init`ed here gets Terraform's "Backend
initialization required" paragraph. Both name the command that fixes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from lmsops import cli, environment, preflight_env, toolchain
from lmsops.errors import UserError


def initialised_root(repo: Path, bucket: str) -> Path:
    """live/dev/frontend of REPO, `terraform init`ed against BUCKET (its .terraform record)."""
    root = repo / "live" / "dev" / "frontend"
    (root / ".terraform").mkdir(parents=True)
    backend = {"version": 3, "backend": {"type": "s3", "config": {"bucket": bucket}}}
    (root / ".terraform" / "terraform.tfstate").write_text(json.dumps(backend))
    return root


def test_a_root_whose_state_bucket_is_gone_says_the_emulator_was_restarted(
    emulator, tmp_path, capsys, monkeypatch
):
    initialised_root(tmp_path, "acme-lms-tfstate-of-an-earlier-emulator")

    def terraform_output(self):
        raise AssertionError("Terraform ran: the missing bucket must be found before it")

    # Fast because no Terraform process runs (its S3 backend retries NoSuchBucket for
    # seconds): the bucket is looked up first.
    monkeypatch.setattr(environment.Root, "outputs", terraform_output)
    code = cli.main(["smoke", "frontend", "--env", "dev", "--repo", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "the emulator was restarted and is empty" in err
    assert f"make -C {toolchain.REPO_ROOT} up" in err
    assert "NoSuchBucket" not in err


def test_a_root_whose_state_bucket_exists_is_not_called_empty(emulator, tmp_path):
    boto3.client("s3").create_bucket(Bucket="acme-lms-tfstate-present")
    root = initialised_root(tmp_path, "acme-lms-tfstate-present")
    preflight_env.check_state_bucket(root)  # no error: Terraform reads it as usual


def test_a_root_never_initialised_gives_both_ways_forward(tmp_path, monkeypatch):
    monkeypatch.delenv(environment.CHECKOUT_ENV, raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    root = tmp_path / "live" / "prod" / "frontend"
    root.mkdir(parents=True)
    terraform_said = (
        '\x1b[31m╷\x1b[0m\n│ Error: Backend initialization required, please run "terraform init"\n'
        '│ \n│ Reason: Initial configuration of the requested backend "s3"\n╵\n'
    )

    def not_initialised(self):
        raise toolchain.TerraformError(("output", "-json"), 1, terraform_said)

    monkeypatch.setattr(environment.Root, "outputs", not_initialised)
    with pytest.raises(UserError) as raised:
        environment.live_outputs("prod", "frontend", tmp_path, hint="pass --bucket")
    message = str(raised.value)
    first, aws, emulator_way, own_hint = message.splitlines()[:4]
    assert first.startswith("live/prod/frontend has not been initialised here")
    assert aws == (
        f"  on AWS: terraform -chdir={root} init -backend-config=../../../backend.s3.tfbackend"
    )
    assert f'eval "$({preflight_env.lmsops_executable()} emulator env)"' in emulator_way
    assert own_hint == "  or pass --bucket"
    said = message.split("Terraform said:\n", 1)[1]
    assert said.splitlines()[0] == (
        '  Error: Backend initialization required, please run "terraform init"'
    )
    assert '  Reason: Initial configuration of the requested backend "s3"' in said
    assert "\x1b" not in said and "│" not in said


@pytest.mark.parametrize(
    "action", [["env"], ["push-image", "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"]]
)
def test_no_emulator_points_at_make_up_and_says_an_empty_one_holds_nothing(
    action, tmp_path, capsys
):
    code = cli.main(["emulator", "--state-dir", str(tmp_path), *action])
    err = capsys.readouterr().err
    assert code == 2
    assert f"make -C {toolchain.REPO_ROOT} up" in err
    assert "empty emulator: it holds nothing" in err
