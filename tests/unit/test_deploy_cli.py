"""`lmsops deploy` arguments: target resolution, user errors, JSON output."""

from __future__ import annotations

import argparse
import json
import os

import boto3
import pytest
from botocore.stub import Stubber

from lmsops import preflight_env, roots
from lmsops.cli import main
from lmsops.deploy import cli, ecs, target
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
    monkeypatch.setattr(target, "live_outputs", lambda repo, env, data_dir: outputs)
    assert cli.resolve_target(parse("--env", "dev", "--image", IMAGE)) == (
        "lms-dev",
        "lms-dev-backend",
        "app",
    )
    args = parse("--env", "dev", "--container", "worker", "--image", IMAGE)
    assert cli.resolve_target(args) == ("lms-dev", "lms-dev-backend", "worker")


def test_env_without_outputs_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(target, "live_outputs", lambda repo, env, data_dir: {})
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
    # Rollback's image pre-flight has its own tests (a stubbed ECR); none here by default.
    monkeypatch.setattr(cli, "make_rollback_preflight", lambda allow: None)
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
        stub.add_response("describe_task_definition", revision(OLD_ARN, []))
        code = main(
            ["deploy", "status", "--cluster", "c", "--service", "s", "--wait", "--output", "json"]
        )
    data = json.loads(capsys.readouterr().out)
    assert (code, data["followed"], data["outcome"]) == (0, "ecs-svc/x", "COMPLETED")
    assert (data["rollback_target"], data["rollback_target_status"]) == (OLD_ARN, "ACTIVE")
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
        stub.add_response("describe_task_definition", revision(OLD_ARN, []))
        code = main(["deploy", "status", "--cluster", "c", "--service", "s", "--wait"])
    out = capsys.readouterr().out
    assert code == 1
    assert asked == [("c", "s", "ecs-svc/x", TD_ARN)]
    assert "  followed  ecs-svc/x: FAILED tasks failed to start" in out
    assert "  why       1 x CannotPullContainerError: not found" in out


# --- --output json: a refusal is one JSON object on stdout too (CI parses stdout) ------


def refusing_preflight(*checks):
    raise UserError("preflight found 1 problem(s); nothing was registered or changed")


def stub_running_service(stub) -> None:
    stub.add_response("describe_services", {"services": [RUNNING_SERVICE]})
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


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_preflight_refusal_with_json_output_prints_one_json_object(monkeypatch, capsys, dry_run):
    client = stub_client(monkeypatch)
    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: refusing_preflight)
    argv = ["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE, *dry_run]
    with Stubber(client) as stub:
        stub_running_service(stub)
        code = main([*argv, "--output", "json"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert (code, data["outcome"], data["exit_code"]) == (2, "refused", 2)
    assert data["reason"].startswith("preflight found 1 problem(s)")
    assert (data["cluster"], data["service"], data["image"]) == ("c", "s", IMAGE)
    assert data["dry_run"] is bool(dry_run)
    assert "lmsops: error: preflight found 1 problem(s)" in captured.err


def test_refusal_before_any_aws_call_with_json_output_names_what_is_known(monkeypatch, capsys):
    def emulator_down():
        raise preflight_env.NotReady("nothing answers at https://127.0.0.1:4566")

    monkeypatch.setattr(ecs, "make_client", emulator_down)
    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: None)
    code = main(
        ["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE, "--output", "json"]
    )
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert (code, data["outcome"], data["cluster"], data["image"]) == (2, "refused", "c", IMAGE)
    assert "nothing answers" in data["reason"] and "nothing answers" in captured.err


def test_text_output_refusal_prints_nothing_on_stdout(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: refusing_preflight)
    with Stubber(client) as stub:
        stub_running_service(stub)
        code = main(["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE])
    assert (code, capsys.readouterr().out) == (2, "")


def test_rollback_and_status_refusals_with_json_output_print_json(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [in_progress_service(TD_ARN)]})
        stub.add_response("describe_task_definition", revision(TD_ARN, []))
        code = main(["deploy", "rollback", "--cluster", "c", "--service", "s", "--output", "json"])
    data = json.loads(capsys.readouterr().out)
    assert (code, data["outcome"], data["service"]) == (2, "refused", "s")
    assert "name the revision to go back to with --to" in data["reason"]
    monkeypatch.setattr(ecs, "make_client", no_client)
    code = main(["deploy", "status", "--service", "s", "--output", "json"])
    data = json.loads(capsys.readouterr().out)
    assert (code, data["outcome"], data["service"]) == (2, "refused", "s")
    assert data["reason"] == "give --env, or both --cluster and --service"


def test_missing_image_with_json_output_is_a_json_refusal_too(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["deploy", "--cluster", "c", "--service", "s", "--output", "json"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert (exited.value.code, data["outcome"], data["cluster"]) == (2, "refused", "c")
    assert "--image is required to deploy" in data["reason"] and "usage:" in captured.err


# --- a recorded previous revision that --keep deregistered (INACTIVE) ------------------

REV = TD_ARN.rsplit(":", 1)[0]
COMPLETED_TAGS = [{"key": "lmsops:deploy-status", "value": "completed"}]


def inactive(arn: str) -> dict:
    described = revision(arn, COMPLETED_TAGS)
    described["taskDefinition"]["status"] = "INACTIVE"
    return described


def expect_rollback_candidates(stub) -> None:
    """Family: 5 (running), 4 (failed), 3 (completed), 1 (Terraform's); 2 deregistered."""
    arns = [f"{REV}:{n}" for n in (1, 3, 4, 5)]
    stub.add_response("list_task_definitions", {"taskDefinitionArns": arns})
    failed = [{"key": "lmsops:deploy-status", "value": "failed"}]
    stub.add_response("describe_task_definition", revision(f"{REV}:4", failed))
    stub.add_response("describe_task_definition", revision(f"{REV}:3", COMPLETED_TAGS))


def test_status_marks_an_inactive_previous_revision_and_names_an_active_one(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    monkeypatch.setattr(
        target,
        "live_outputs",
        lambda repo, env, data_dir: {"cluster_name": "c", "service_name": "s"},
    )
    running = f"{REV}:5"
    tags = [*COMPLETED_TAGS, {"key": "lmsops:previous", "value": f"{REV}:2"}]
    with Stubber(client) as stub:
        stub.add_response(
            "describe_services", {"services": [in_progress_service(running, "COMPLETED")]}
        )
        stub.add_response("describe_task_definition", revision(running, tags))
        stub.add_response("describe_task_definition", inactive(f"{REV}:2"))
        expect_rollback_candidates(stub)
        code = main(["deploy", "status", "--env", "dev"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"  previous  {REV}:2 (INACTIVE: not a rollback target)" in out
    assert "lmsops deploy rollback --env dev --to 3" in out


def test_rollback_to_an_inactive_previous_names_the_newest_completed_revision(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    monkeypatch.setattr(
        target,
        "live_outputs",
        lambda repo, env, data_dir: {"cluster_name": "c", "service_name": "s"},
    )
    running = f"{REV}:5"
    tags = [*COMPLETED_TAGS, {"key": "lmsops:previous", "value": f"{REV}:2"}]
    with Stubber(client) as stub:
        stub.add_response(
            "describe_services", {"services": [in_progress_service(running, "COMPLETED")]}
        )
        stub.add_response("describe_task_definition", revision(running, tags))
        stub.add_response("describe_task_definition", inactive(f"{REV}:2"))
        expect_rollback_candidates(stub)
        code = main(["deploy", "rollback", "--env", "dev"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{REV}:2 is INACTIVE, not ACTIVE" in err
    assert "lmsops deploy rollback --env dev --to 3" in err


# --- rollback: the target's images must be in ECR before the service is updated -------

ECR_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend"


def with_image(described: dict, image: str) -> dict:
    described["taskDefinition"]["containerDefinitions"] = [{"name": "app", "image": image}]
    return described


REAL_ROLLBACK_PREFLIGHT = cli.make_rollback_preflight


def ecr_stub_preflight(monkeypatch, ecr):
    monkeypatch.setattr(
        cli, "make_rollback_preflight", lambda allow: REAL_ROLLBACK_PREFLIGHT(allow, ecr)
    )


@pytest.mark.parametrize("allow", [False, True])
def test_rollback_to_a_revision_whose_image_is_not_in_ecr_is_refused(monkeypatch, capsys, allow):
    client = stub_client(monkeypatch)
    ecr = boto3.client(
        "ecr", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    ecr_stub_preflight(monkeypatch, ecr)
    running = with_image(revision(TD_ARN, LMSOPS_TAGS), f"{ECR_IMAGE}:v2")
    gone = with_image(revision(OLD_ARN, []), f"{ECR_IMAGE}:v0")
    flags = ["--allow-external-image"] if allow else []
    with Stubber(client) as stub, Stubber(ecr) as ecr_stub:
        stub.add_response(
            "describe_services", {"services": [in_progress_service(TD_ARN, "COMPLETED")]}
        )
        stub.add_response("describe_task_definition", running)
        stub.add_response("describe_task_definition", gone)
        # Checked even with --allow-external-image: the image is in our own repository.
        ecr_stub.add_client_error(
            "describe_images",
            "ImageNotFoundException",
            expected_params={
                "registryId": "123456789012",
                "repositoryName": "lms-backend",
                "imageIds": [{"imageTag": "v0"}],
            },
        )
        # No update_service scripted: Stubber fails the test if the service is updated.
        code = main(["deploy", "rollback", "--cluster", "c", "--service", "s", "--to", "2", *flags])
    err = capsys.readouterr().err
    assert code == 2
    assert f"image {ECR_IMAGE}:v0 is not in ECR" in err
    assert "the service was not updated" in err


def test_rollback_to_an_external_image_needs_allow_external_image(monkeypatch, capsys):
    client = stub_client(monkeypatch)
    ecr = boto3.client(
        "ecr", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    ecr_stub_preflight(monkeypatch, ecr)
    running = with_image(revision(TD_ARN, LMSOPS_TAGS), f"{ECR_IMAGE}:v2")
    external = with_image(revision(OLD_ARN, []), "public.ecr.aws/nginx/nginx:1.27")
    with Stubber(client) as stub, Stubber(ecr):
        stub.add_response(
            "describe_services", {"services": [in_progress_service(TD_ARN, "COMPLETED")]}
        )
        stub.add_response("describe_task_definition", running)
        stub.add_response("describe_task_definition", external)
        code = main(["deploy", "rollback", "--cluster", "c", "--service", "s", "--to", "2"])
    err = capsys.readouterr().err
    assert code == 2
    assert "is not in this account's ECR registry" in err and "--allow-external-image" in err


# --- rollback when the service already runs the target (e.g. ECS rolled back itself) ---


@pytest.mark.parametrize("state", ["COMPLETED", "IN_PROGRESS"])
def test_rollback_to_the_revision_the_service_runs_changes_nothing(monkeypatch, capsys, state):
    client = stub_client(monkeypatch)
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [in_progress_service(OLD_ARN, state)]})
        stub.add_response("describe_task_definition", revision(OLD_ARN, COMPLETED_TAGS))
        stub.add_response("describe_task_definition", revision(OLD_ARN, COMPLETED_TAGS))
        # No update_service or tag_resource scripted: Stubber fails the test on either.
        code = main(["deploy", "rollback", "--cluster", "c", "--service", "s", "--to", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(f"s on c: already on {OLD_ARN}; nothing to do")
    assert "rolled-back" not in out
    assert ("lmsops deploy status --cluster c --service s --wait" in out) is (
        state == "IN_PROGRESS"
    )


# --- help: each verb lists only the options it uses, with their defaults ----------------


def help_text(capsys, *verb: str) -> str:
    with pytest.raises(SystemExit):
        main(["deploy", *verb, "--help"])
    return " ".join(capsys.readouterr().out.split())  # argparse wraps at the terminal width


@pytest.mark.parametrize("verb", ["status", "rollback"])
def test_verb_help_lists_no_deploy_only_option(capsys, verb):
    text = help_text(capsys, verb)
    assert "--container" not in text
    assert "again for a rollback" not in text
    assert "seconds between polls" in text and "(default: 10)" in text
    assert "(default: 900)" in text


def test_deploy_help_shows_the_defaults_and_where_repo_comes_from(capsys, monkeypatch):
    monkeypatch.setenv("LMSOPS_EMULATOR_CHECKOUT", "/srv/emulatorcheckout")
    text = help_text(capsys)
    assert "--container CONTAINER container whose image changes" in text
    assert "seconds between polls (default: 10)" in text
    assert "$LMSOPS_EMULATOR_CHECKOUT, the emulator's checkout" in text
    assert "here: /srv/emulatorcheckout)" in text
