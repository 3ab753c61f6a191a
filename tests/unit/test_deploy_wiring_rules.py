"""How `lmsops deploy` wires its parts: the AWS session, the hooks' clients, `status`.

No region configured, the rollback hook's own ECR client, and `deploy status` handing the
resolved service to its refusal report, its diagnosis and its suggested commands.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from types import SimpleNamespace

import boto3
import pytest
from botocore.stub import Stubber

from lmsops.cli import main
from lmsops.deploy import cli, ecs, hooks, preflight, target
from lmsops.errors import UserError

PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev-backend"


def test_no_region_anywhere_is_a_user_error_naming_both_variables(monkeypatch, tmp_path):
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(UserError) as refused:
        ecs.make_session()
    assert str(refused.value) == "no AWS region configured: set AWS_REGION or AWS_DEFAULT_REGION"


def test_the_rollback_hook_checks_images_with_an_ecr_client_of_the_deploy_session(monkeypatch):
    made, checked = [], []

    class Session:
        def client(self, service):
            made.append(service)
            return f"{service}-client"

    monkeypatch.setattr(ecs, "make_session", Session)
    monkeypatch.setattr(preflight, "verify_rollback", lambda ecr, *a, **k: checked.append(ecr))

    same = SimpleNamespace(definition={})
    hooks.make_rollback_preflight(False)({}, same, same)
    assert (made, checked) == (["ecr"], ["ecr-client"])


# --- deploy status -------------------------------------------------------------------------


@pytest.fixture
def client(monkeypatch):
    ecs_client = boto3.client(
        "ecs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    monkeypatch.setattr(ecs, "make_client", lambda: ecs_client)
    return ecs_client


def dev_outputs(monkeypatch) -> None:
    outputs = {"cluster_name": "lms-dev", "service_name": "lms-dev-backend"}
    monkeypatch.setattr(target, "live_outputs", lambda repo, env, data_dir: outputs)


def service(revision: int, state: str) -> dict:
    return {
        "serviceName": "lms-dev-backend",
        "taskDefinition": f"{PREFIX}:{revision}",
        "deployments": [
            {
                "id": "ecs-svc/x",
                "status": "PRIMARY",
                "rolloutState": state,
                "taskDefinition": f"{PREFIX}:{revision}",
            }
        ],
    }


def revision(number: int, tags: dict, status: str = "ACTIVE") -> dict:
    return {
        "taskDefinition": {
            "taskDefinitionArn": f"{PREFIX}:{number}",
            "family": "lms-dev-backend",
            "status": status,
            "containerDefinitions": [{"name": "app", "image": "repo/app:1"}],
        },
        "tags": [{"key": k, "value": v} for k, v in tags.items()],
    }


def test_a_refusal_after_the_env_is_resolved_names_the_resolved_service(monkeypatch, capsys):
    dev_outputs(monkeypatch)

    def refused():
        raise UserError("no usable AWS credentials")

    monkeypatch.setattr(ecs, "make_client", refused)
    code = main(["deploy", "status", "--env", "dev", "--output", "json"])
    data = json.loads(capsys.readouterr().out)
    assert (code, data["outcome"], data["reason"]) == (2, "refused", "no usable AWS credentials")
    assert (data["env"], data["cluster"], data["service"]) == ("dev", "lms-dev", "lms-dev-backend")


def test_status_diagnoses_a_failed_deployment_and_names_the_service_by_its_flags(
    monkeypatch, client, capsys
):
    """--wait on a deployment that fails: the diagnosis asks ECS through the status's client,
    and the suggested rollback names the service as the command line did."""
    monkeypatch.setattr(cli.time, "sleep", lambda seconds: None)
    where = {"cluster": "lms-dev", "services": ["lms-dev-backend"]}
    tags = {"lmsops:deploy-status": "pending", "lmsops:previous": f"{PREFIX}:2"}
    failed = service(3, "FAILED")
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [service(3, "IN_PROGRESS")]}, where)
        stub.add_response("describe_task_definition", revision(3, tags))
        stub.add_response("describe_services", {"services": [failed]}, where)
        stub.add_response("tag_resource", {})
        stub.add_response(
            "list_tasks",
            {"taskArns": []},
            {"cluster": "lms-dev", "desiredStatus": "STOPPED", "startedBy": "ecs-svc/x"},
        )
        stub.add_response("describe_services", {"services": [failed]}, where)
        stub.add_response("describe_services", {"services": [failed]}, where)
        stub.add_response("describe_task_definition", revision(3, tags))
        stub.add_response("describe_task_definition", revision(2, {}, status="INACTIVE"))
        stub.add_response("list_task_definitions", {"taskDefinitionArns": [f"{PREFIX}:1"]})
        stub.add_response("describe_task_definition", revision(1, {}))
        code = main(
            ["deploy", "status", "--cluster", "lms-dev", "--service", "lms-dev-backend", "--wait"]
        )
        stub.assert_no_pending_responses()
    out, err = capsys.readouterr()
    assert code == 1
    # Progress goes to stderr, one line per message, so stdout stays the report.
    assert f"following deployment ecs-svc/x of {PREFIX}:3\n" in err
    assert "  why       deployment ecs-svc/x of lms-dev-backend:3: no stopped tasks found\n" in out
    assert (
        "  rollback  roll back to an ACTIVE revision, e.g. the newest that completed a "
        "deployment: lmsops deploy rollback --cluster lms-dev --service lms-dev-backend --to 1\n"
    ) in out


def test_the_diagnose_hook_shows_only_the_service_events_since_it_was_made():
    now = dt.datetime.now(dt.UTC)

    class Ecs:
        def get_paginator(self, name):
            return self

        def paginate(self, **filters):
            yield {"taskArns": []}

        def describe_services(self, cluster, services):
            events = [
                {"createdAt": now + dt.timedelta(minutes=5), "message": "during the deploy"},
                {"createdAt": now - dt.timedelta(hours=1), "message": "an hour before"},
            ]
            return {"services": [{"events": events}]}

    why = hooks.make_diagnose(Ecs())
    lines = why("lms-dev", "lms-dev-backend", "ecs-svc/1", f"{PREFIX}:3")
    assert lines[:2] == [
        "deployment ecs-svc/1 of lms-dev-backend:3: no stopped tasks found",
        "service lms-dev-backend events:",
    ]
    assert [line.split("Z ", 1)[1] for line in lines[2:]] == ["during the deploy"]
