"""`lmsops deploy` arguments: target resolution, user errors, JSON output."""

from __future__ import annotations

import argparse
import json
import os

import boto3
import pytest
from botocore.stub import Stubber

from lmsops import roots
from lmsops.cli import main
from lmsops.deploy import cli, ecs
from lmsops.errors import UserError

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:4b5c6d7"
TD_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev-backend:3"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lmsops")
    cli.add_parser(parser.add_subparsers())
    return parser.parse_args(["deploy", *argv])


RUNNING_SERVICE = {
    "serviceName": "s",
    "status": "ACTIVE",
    "taskDefinition": TD_ARN,
    "deployments": [
        {
            "id": "ecs-svc/1",
            "status": "PRIMARY",
            "rolloutState": "COMPLETED",
            "taskDefinition": TD_ARN,
        }
    ],
}


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


def stub_client(monkeypatch):
    client = boto3.client(
        "ecs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    monkeypatch.setattr(ecs, "make_client", lambda: client)
    return client


def test_dry_run_json_output_for_ci_runs_the_preflight(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    checked = []
    monkeypatch.setattr(
        cli,
        "make_preflight",
        lambda image, allow: lambda *checks: checked.append((image.text, allow, checks[2])),
    )
    with Stubber(client) as stub:
        stub.add_response(
            "describe_services",
            {"services": [RUNNING_SERVICE]},
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
            {"taskDefinition": TD_ARN, "include": ["TAGS"]},
        )
        stub.add_response("list_task_definitions", {"taskDefinitionArns": [TD_ARN]})
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
    assert checked == [(IMAGE, False, "app")]


def test_preflight_refusal_exits_2_and_registers_nothing(monkeypatch, capsys):
    client = stub_client(monkeypatch)

    def refuse(*checks):
        raise UserError("preflight found 1 problem(s); nothing was registered or changed")

    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: refuse)
    with Stubber(client) as stub:
        stub.add_response(
            "describe_services",
            {"services": [RUNNING_SERVICE]},
        )
        stub.add_response(
            "describe_task_definition",
            {
                "taskDefinition": {
                    "taskDefinitionArn": TD_ARN,
                    "family": "lms-dev-backend",
                    "containerDefinitions": [{"name": "app", "image": "repo/app:1"}],
                }
            },
        )
        stub.add_response("list_task_definitions", {"taskDefinitionArns": [TD_ARN]})
        # No register_task_definition scripted: Stubber fails the test if it is called.
        code = main(["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE])
    assert code == 2
    assert "preflight found 1 problem(s)" in capsys.readouterr().err


def test_image_is_required_to_deploy_but_not_for_the_verbs(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["deploy", "--cluster", "c", "--service", "s"])
    assert exited.value.code == 2
    assert "--image is required to deploy" in capsys.readouterr().err
    status_args = parse("status", "--cluster", "c", "--service", "s", "--wait")
    assert (status_args.func, status_args.cluster, status_args.wait) == (
        cli.status_command,
        "c",
        True,
    )
    rollback_args = parse("rollback", "--env", "dev", "--to", "41")
    assert (rollback_args.func, rollback_args.env, rollback_args.to) == (
        cli.rollback_command,
        "dev",
        "41",
    )
    deploy_args = parse("--env", "dev", "--image", IMAGE, "--allow-external-image")
    assert (deploy_args.func, deploy_args.verb, deploy_args.allow_external_image) == (
        cli.command,
        None,
        True,
    )


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
    with pytest.raises(UserError, match=r"live/dev/backend has not been initialised here"):
        cli.resolve_target(parse("--env", "dev", "--repo", str(tmp_path), "--image", IMAGE))


# --- status and rollback verbs (Stubber: the emulator completes every deployment at once,
# so a deployment in progress cannot be held there) -----------------------------------

OLD_ARN = TD_ARN.replace(":3", ":2")
SERVICE_ARN = "arn:aws:ecs:us-east-1:123456789012:service/c/s"
LMSOPS_TAGS = [
    {"key": "lmsops:deploy-status", "value": "pending"},
    {"key": "lmsops:previous", "value": OLD_ARN},
]


def in_progress_service(revision_arn: str, state: str = "IN_PROGRESS") -> dict:
    return {
        "serviceName": "s",
        "serviceArn": SERVICE_ARN,
        "status": "ACTIVE",
        "taskDefinition": revision_arn,
        "deployments": [
            {
                "id": "ecs-svc/x",
                "status": "PRIMARY",
                "rolloutState": state,
                "taskDefinition": revision_arn,
                "runningCount": 1,
                "desiredCount": 1,
                "pendingCount": 0,
            }
        ],
        "events": [{"id": "e1", "message": "(service s) has started 1 tasks"}],
    }


def revision(arn: str, tags: list[dict]) -> dict:
    return {
        "taskDefinition": {
            "taskDefinitionArn": arn,
            "family": "lms-dev-backend",
            "status": "ACTIVE",
            "containerDefinitions": [{"name": "app", "image": "repo/app:1"}],
        },
        "tags": tags,
    }


def test_rollback_defaults_to_the_recorded_previous_revision_during_a_deployment(
    monkeypatch, capsys
):
    client = stub_client(monkeypatch)
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [in_progress_service(TD_ARN)]})
        stub.add_response("describe_task_definition", revision(TD_ARN, LMSOPS_TAGS))
        stub.add_response("describe_task_definition", revision(OLD_ARN, []))
        back = {**in_progress_service(OLD_ARN)}
        back["deployments"] = [{**back["deployments"][0], "id": "ecs-svc/back"}]
        stub.add_response(
            "update_service",
            {"service": back},
            {"cluster": "c", "service": "s", "taskDefinition": OLD_ARN},
        )
        done = in_progress_service(OLD_ARN, "COMPLETED")
        done["deployments"] = [{**done["deployments"][0], "id": "ecs-svc/back"}]
        stub.add_response("describe_services", {"services": [done]})
        stub.add_response(
            "tag_resource",
            {},
            {
                "resourceArn": TD_ARN,
                "tags": [{"key": "lmsops:deploy-status", "value": "rolled-back"}],
            },
        )
        code = main(["deploy", "rollback", "--cluster", "c", "--service", "s", "--output", "json"])
    data = json.loads(capsys.readouterr().out)
    assert (code, data["outcome"], data["deployment_id"]) == (0, "rolled-back", "ecs-svc/back")
    assert (data["from_task_definition"], data["to_task_definition"]) == (TD_ARN, OLD_ARN)


def test_rollback_without_a_recorded_previous_asks_for_to(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [in_progress_service(TD_ARN)]})
        stub.add_response("describe_task_definition", revision(TD_ARN, []))
        code = main(["deploy", "rollback", "--cluster", "c", "--service", "s"])
    assert code == 2
    assert "name the revision to go back to with --to" in capsys.readouterr().err


def test_status_wait_follows_the_deployment_and_records_its_outcome(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    monkeypatch.setattr(cli.time, "sleep", lambda seconds: None)
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [in_progress_service(TD_ARN)]})
        stub.add_response("describe_task_definition", revision(TD_ARN, LMSOPS_TAGS))
        stub.add_response("describe_services", {"services": [in_progress_service(TD_ARN)]})
        completed = in_progress_service(TD_ARN, "COMPLETED")
        stub.add_response("describe_services", {"services": [completed]})
        stub.add_response(
            "tag_resource",
            {},
            {
                "resourceArn": TD_ARN,
                "tags": [{"key": "lmsops:deploy-status", "value": "completed"}],
            },
        )
        stub.add_response("describe_services", {"services": [completed]})
        stub.add_response("describe_task_definition", revision(TD_ARN, LMSOPS_TAGS))
        code = main(
            ["deploy", "status", "--cluster", "c", "--service", "s", "--wait", "--output", "json"]
        )
    data = json.loads(capsys.readouterr().out)
    assert (code, data["followed"], data["outcome"]) == (0, "ecs-svc/x", "COMPLETED")
    assert data["rollback_target"] == OLD_ARN
    assert data["deployments"][0]["rolloutState"] == "COMPLETED"


def test_interrupt_before_anything_is_registered_still_prints_json(monkeypatch, capsys):
    client = stub_client(monkeypatch)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.flow.Deployer, "deploy", interrupted)
    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: None)
    code = main(
        ["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE, "--output", "json"]
    )
    data = json.loads(capsys.readouterr().out)
    assert (code, data["outcome"], data["signal"]) == (130, "interrupted", "SIGINT")
    assert data["state"] == "nothing registered, service not updated"
    assert client is not None  # the ECS client was made: the interrupt came during the deploy


def test_interrupted_report_in_text_names_the_deployment_and_the_commands(capsys):
    result = cli.flow.DeployResult(
        outcome="interrupted",
        cluster="c",
        service="s",
        container="app",
        image=IMAGE,
        previous_task_definition=OLD_ARN,
        source_task_definition=OLD_ARN,
        new_task_definition=TD_ARN,
        deployment_id="ecs-svc/new",
        state="IN_PROGRESS",
        signal="SIGTERM",
        reason="SIGTERM while following deployment ecs-svc/new",
        next_steps=[
            cli.flow.status_command("c", "s"),
            cli.flow.rollback_command("c", "s", OLD_ARN),
        ],
    )
    cli.print_result(result, "text")
    out = capsys.readouterr().out
    assert out.startswith("interrupted (SIGTERM): s on c")
    assert "  deployment ecs-svc/new" in out
    assert "  state      IN_PROGRESS" in out
    assert f"  next       lmsops deploy rollback --cluster c --service s --to {OLD_ARN}" in out
    assert result.exit_code == 143


def test_status_wait_on_a_failing_deployment_exits_1_and_says_why(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    monkeypatch.setattr(cli.time, "sleep", lambda seconds: None)
    asked = []
    monkeypatch.setattr(
        cli,
        "make_diagnose",
        lambda c: lambda *where: asked.append(where) or ["1 x CannotPullContainerError: not found"],
    )
    failed = in_progress_service(TD_ARN, "FAILED")
    failed["deployments"][0]["rolloutStateReason"] = "tasks failed to start"
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [in_progress_service(TD_ARN)]})
        stub.add_response("describe_task_definition", revision(TD_ARN, LMSOPS_TAGS))
        stub.add_response("describe_services", {"services": [failed]})
        stub.add_response(
            "tag_resource",
            {},
            {"resourceArn": TD_ARN, "tags": [{"key": "lmsops:deploy-status", "value": "failed"}]},
        )
        stub.add_response("describe_services", {"services": [failed]})
        stub.add_response("describe_task_definition", revision(TD_ARN, LMSOPS_TAGS))
        code = main(["deploy", "status", "--cluster", "c", "--service", "s", "--wait"])
    out = capsys.readouterr().out
    assert code == 1
    assert asked == [("c", "s", "ecs-svc/x", TD_ARN)]
    assert "  followed  ecs-svc/x: FAILED tasks failed to start" in out
    assert "  why       1 x CannotPullContainerError: not found" in out
