"""`lmsops deploy` arguments: target resolution, user errors, JSON output."""

from __future__ import annotations

import argparse
import json
import os

import boto3
import pytest
from botocore.stub import Stubber

from lmsops import roots
from lmsops.deploy import cli, ecs
from lmsops.errors import UserError

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:4b5c6d7"
TD_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev-backend:3"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lmsops")
    cli.add_parser(parser.add_subparsers())
    return parser.parse_args(["deploy", *argv])


def no_client():
    raise AssertionError("no AWS client may be created for this input")


def test_malformed_image_fails_before_any_aws_call(monkeypatch):
    monkeypatch.setattr(ecs, "make_client", no_client)
    args = parse("--cluster", "c", "--service", "s", "--image", "lms-backend:bad tag")
    with pytest.raises(UserError, match="malformed image reference"):
        cli.command(args)


def test_target_needs_env_or_cluster_and_service(monkeypatch):
    monkeypatch.setattr(ecs, "make_client", no_client)
    with pytest.raises(UserError, match="give --env, or both --cluster and --service"):
        cli.command(parse("--service", "s", "--image", IMAGE))


def test_env_outputs_name_the_target_and_flags_override_them(monkeypatch):
    outputs = {
        "cluster_name": "lms-dev",
        "service_name": "lms-dev-backend",
        "container_name": "app",
    }
    monkeypatch.setattr(cli, "live_outputs", lambda repo, env, data_dir: outputs)
    assert cli.resolve_target(parse("--env", "dev", "--image", IMAGE)) == (
        "lms-dev",
        "lms-dev-backend",
        "app",
    )
    args = parse("--env", "dev", "--container", "worker", "--image", IMAGE)
    assert cli.resolve_target(args) == ("lms-dev", "lms-dev-backend", "worker")


def test_env_without_outputs_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(cli, "live_outputs", lambda repo, env, data_dir: {})
    with pytest.raises(UserError, match="no output cluster_name, service_name; apply it first"):
        cli.resolve_target(parse("--env", "prod", "--image", IMAGE))


def test_env_root_missing_from_repo_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="live/dev/backend does not exist"):
        cli.resolve_target(parse("--env", "dev", "--repo", str(tmp_path), "--image", IMAGE))


def test_missing_credentials_are_a_user_error(monkeypatch, tmp_path):
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    args = parse("--cluster", "c", "--service", "s", "--image", IMAGE, "--timeout", "5")
    with pytest.raises(UserError, match="no usable AWS credentials"):
        cli.command(args)


@pytest.mark.parametrize("flag", ["--keep", "--poll-interval", "--timeout"])
def test_non_positive_numbers_are_rejected(flag, capsys):
    with pytest.raises(SystemExit):
        parse("--cluster", "c", "--service", "s", "--image", IMAGE, flag, "0")
    assert "must be" in capsys.readouterr().err


def test_dry_run_json_output_for_ci(monkeypatch, capsys):
    client = boto3.client(
        "ecs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    monkeypatch.setattr(ecs, "make_client", lambda: client)
    with Stubber(client) as stub:
        stub.add_response(
            "describe_services",
            {"services": [{"serviceName": "s", "status": "ACTIVE", "taskDefinition": TD_ARN}]},
        )
        stub.add_response(
            "describe_task_definition",
            {
                "taskDefinition": {
                    "taskDefinitionArn": TD_ARN,
                    "family": "lms-dev-backend",
                    "revision": 3,
                    "containerDefinitions": [{"name": "app", "image": "repo/app:1"}],
                }
            },
        )
        args = parse(
            "--cluster", "c", "--service", "s", "--image", IMAGE, "--dry-run", "--output", "json"
        )
        assert cli.command(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "dry-run"
    assert data["previous_task_definition"] == TD_ARN
    assert data["new_task_definition"] is None
    assert data["container"] == "app"
    assert f'+      "image": "{IMAGE}"' in data["diff"]


def test_unknown_profile_is_a_user_error(monkeypatch, tmp_path):
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    with pytest.raises(UserError, match="no-such-profile"):
        ecs.make_client()


def test_env_target_comes_from_the_live_roots_terraform_outputs(tmp_path):
    # A provider-less root with local state stands in for an applied live/dev/backend.
    root = tmp_path / "live" / "dev" / "backend"
    root.mkdir(parents=True)
    (root / "main.tf").write_text(
        'output "cluster_name" { value = "lms-dev" }\n'
        'output "service_name" { value = "lms-dev-backend" }\n'
        'output "container_name" { value = "app" }\n'
    )
    lmsops_root = roots.Root(root, data_dir=tmp_path / "tfdata")
    lmsops_root.tf("init", "-input=false", "-no-color")
    lmsops_root.apply()
    args = parse(
        "--env",
        "dev",
        "--repo",
        str(tmp_path),
        "--tf-data-dir",
        str(tmp_path / "tfdata"),
        "--image",
        IMAGE,
    )
    assert cli.resolve_target(args) == ("lms-dev", "lms-dev-backend", "app")


def test_env_root_not_initialised_is_a_clear_error(tmp_path):
    root = tmp_path / "live" / "dev" / "backend"
    root.mkdir(parents=True)
    (root / "main.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    with pytest.raises(UserError, match=r"cannot read the outputs of .*live/dev/backend"):
        cli.resolve_target(parse("--env", "dev", "--repo", str(tmp_path), "--image", IMAGE))
