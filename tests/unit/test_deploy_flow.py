"""The deploy flow against botocore's Stubber: every ECS call and its arguments, in order.

A fake clock advanced by the injected sleep makes timeouts take no real time; Stubber
fails the test on any call that was not scripted (e.g. an unwanted update_service).
"""

from __future__ import annotations

import datetime as dt
import json

import boto3
import pytest
from botocore.stub import Stubber

from lmsops.deploy import flow, interrupts
from lmsops.errors import UserError

CLUSTER = "lms-dev"
SERVICE = "lms-dev-backend"
FAMILY = "lms-dev-backend"
ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend"
NEW_IMAGE = f"{ECR}:4b5c6d7"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
NETWORK = {
    "awsvpcConfiguration": {
        "subnets": ["subnet-1", "subnet-2"],
        "securityGroups": ["sg-1"],
        "assignPublicIp": "ENABLED",
    }
}
TAGS = [{"key": "Environment", "value": "dev"}, {"key": "Project", "value": "lms"}]


def arn(revision: int) -> str:
    return f"arn:aws:ecs:us-east-1:123456789012:task-definition/{FAMILY}:{revision}"


def containers(image: str) -> list[dict]:
    return [
        {
            "name": "app",
            "image": image,
            "essential": True,
            "portMappings": [{"containerPort": 4000, "protocol": "tcp"}],
            "environment": [{"name": "PORT", "value": "4000"}],
        }
    ]


def described(revision: int, image: str = f"{ECR}:old") -> dict:
    return {
        "taskDefinitionArn": arn(revision),
        "family": FAMILY,
        "revision": revision,
        "status": "ACTIVE",
        "registeredAt": NOW,
        "compatibilities": ["EC2", "FARGATE"],
        "requiresAttributes": [{"name": "ecs.capability.task-eni"}],
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "containerDefinitions": containers(image),
    }


def register_params(image: str = NEW_IMAGE) -> dict:
    return {
        "family": FAMILY,
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "containerDefinitions": containers(image),
        "tags": TAGS,
    }


def deployment(
    dep_id: str,
    revision: int,
    *,
    status: str = "PRIMARY",
    state: str = "IN_PROGRESS",
    reason: str | None = None,
    running: int = 0,
    pending: int = 0,
) -> dict:
    return {
        "id": dep_id,
        "status": status,
        "taskDefinition": arn(revision),
        "desiredCount": 2,
        "runningCount": running,
        "pendingCount": pending,
        "failedTasks": 0,
        "rolloutState": state,
        "rolloutStateReason": reason or f"ECS deployment {dep_id} {state.lower()}.",
        "createdAt": NOW,
        "updatedAt": NOW,
    }


def service(revision: int, deployments: list[dict], events: list[str] = ()) -> dict:
    return {
        "serviceName": SERVICE,
        "serviceArn": f"arn:aws:ecs:us-east-1:123456789012:service/{CLUSTER}/{SERVICE}",
        "status": "ACTIVE",
        "taskDefinition": arn(revision),
        "desiredCount": 2,
        "runningCount": 2,
        "pendingCount": 0,
        "launchType": "FARGATE",
        "networkConfiguration": NETWORK,
        "deploymentController": {"type": "ECS"},
        "deployments": deployments,
        "events": [
            {"id": f"ev-{i}", "createdAt": NOW, "message": message}
            for i, message in reversed(list(enumerate(events)))
        ],
    }


OLD = deployment("ecs-svc/old", 7, state="COMPLETED", running=2)
OLD_ACTIVE = {**OLD, "status": "ACTIVE"}


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def client():
    return boto3.client(
        "ecs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


@pytest.fixture
def stub(client):
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def logs():
    return []


@pytest.fixture
def deployer(client, fake_time, logs):
    return flow.Deployer(client, fake_time.clock, fake_time.sleep, logs.append)


def request(**changes) -> flow.DeployRequest:
    values = {
        "cluster": CLUSTER,
        "service": SERVICE,
        "image": NEW_IMAGE,
        "container": "app",
        "poll_interval": 5,
        "timeout": 60,
    }
    return flow.DeployRequest(**{**values, **changes})


def expect_describe(stub, svc: dict) -> None:
    stub.add_response(
        "describe_services",
        {"services": [svc], "failures": []},
        {"cluster": CLUSTER, "services": [SERVICE]},
    )


def expect_update(stub, revision: int, svc: dict) -> None:
    stub.add_response(
        "update_service",
        {"service": svc},
        {"cluster": CLUSTER, "service": SERVICE, "taskDefinition": arn(revision)},
    )


def expect_describe_revision(
    stub, revision: int, tags: list[dict] = TAGS, environment: list[dict] | None = None
) -> None:
    definition = described(revision)
    if environment is not None:
        definition["containerDefinitions"][0]["environment"] = environment
    stub.add_response(
        "describe_task_definition",
        {"taskDefinition": definition, "tags": tags},
        {"taskDefinition": arn(revision), "include": ["TAGS"]},
    )


def expect_list_active(stub, revisions) -> None:
    stub.add_response(
        "list_task_definitions",
        {"taskDefinitionArns": [arn(n) for n in revisions]},
        {"familyPrefix": FAMILY, "status": "ACTIVE"},
    )


def lmsops_tags(status: str, terraform: int, previous: int, env_names: str = "") -> list[dict]:
    return [
        {"key": "lmsops:deploy-status", "value": status},
        {"key": "lmsops:terraform-revision", "value": str(terraform)},
        {"key": "lmsops:env-vars", "value": env_names},
        {"key": "lmsops:previous", "value": arn(previous)},
    ]


def expect_register(stub, revision: int, params: dict) -> None:
    stub.add_response(
        "register_task_definition",
        {"taskDefinition": described(revision, NEW_IMAGE)},
        params,
    )


def expect_mark(stub, revision: int, status: str) -> None:
    stub.add_response(
        "tag_resource",
        {},
        {"resourceArn": arn(revision), "tags": [{"key": "lmsops:deploy-status", "value": status}]},
    )


def expect_render_and_register(stub, running: int = 7) -> None:
    """Service on RUNNING, Terraform's revision and the newest ACTIVE; registers RUNNING + 1."""
    expect_describe(stub, service(running, [deployment("ecs-svc/old", running, state="COMPLETED")]))
    expect_describe_revision(stub, running)
    expect_list_active(stub, range(running, 0, -1))
    params = register_params()
    params["tags"] = TAGS + lmsops_tags("pending", terraform=running, previous=running)
    expect_register(stub, running + 1, params)


def test_successful_deploy_follows_its_deployment_until_completed(stub, deployer, logs):
    expect_render_and_register(stub)
    new = deployment("ecs-svc/new", 8)
    expect_update(stub, 8, service(8, [new, OLD_ACTIVE]))
    expect_describe(stub, service(8, [{**new, "runningCount": 1, "pendingCount": 1}, OLD_ACTIVE]))
    expect_describe(
        stub,
        service(
            8,
            [deployment("ecs-svc/new", 8, state="COMPLETED", running=2)],
            ["has started 2 tasks", "has reached a steady state."],
        ),
    )
    expect_mark(stub, 8, "completed")
    result = deployer.deploy(request())
    assert (result.outcome, result.exit_code) == (flow.SUCCEEDED, 0)
    assert (result.previous_task_definition, result.new_task_definition) == (arn(7), arn(8))
    assert result.deployment_id == "ecs-svc/new"
    assert any("running 1, pending 1, desired 2" in line for line in logs)
    assert [line for line in logs if "event:" in line] == [
        "  event: has started 2 tasks",
        "  event: has reached a steady state.",
    ]


def test_rollout_failed_rolls_back_to_the_previous_revision(stub, deployer, fake_time):
    asked = []
    deployer.diagnose = lambda *where: asked.append(where) or ["1 x CannotPullContainerError"]
    expect_render_and_register(stub)
    new = deployment("ecs-svc/new", 8)
    expect_update(stub, 8, service(8, [new, OLD_ACTIVE]))
    expect_describe(stub, service(8, [new, OLD_ACTIVE]))
    failed = deployment("ecs-svc/new", 8, state="FAILED", reason="tasks failed to start: OOM")
    expect_describe(stub, service(8, [failed, OLD_ACTIVE], ["task stopped: OutOfMemoryError"]))
    expect_describe(stub, service(8, [failed, OLD_ACTIVE]))
    back = deployment("ecs-svc/back", 7)
    expect_update(stub, 7, service(7, [back, {**failed, "status": "ACTIVE"}]))
    expect_describe(stub, service(7, [deployment("ecs-svc/back", 7, state="COMPLETED")]))
    expect_mark(stub, 8, "rolled-back")

    result = deployer.deploy(request())

    assert (result.outcome, result.exit_code) == (flow.ROLLED_BACK, 1)
    assert "tasks failed to start: OOM" in result.reason
    assert result.events == ["task stopped: OutOfMemoryError"]
    assert result.rollback_deployment_id == "ecs-svc/back"
    assert fake_time.sleeps == [5]
    assert asked == [(CLUSTER, SERVICE, "ecs-svc/new", arn(8))]
    assert result.diagnostics == ["1 x CannotPullContainerError"]


def test_a_failing_diagnosis_does_not_stop_the_rollback(stub, deployer):
    def broken(*where):
        raise RuntimeError("ListTasks refused")

    deployer.diagnose = broken
    expect_render_and_register(stub)
    failed = deployment("ecs-svc/new", 8, state="FAILED", reason="tasks failed to start")
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8), OLD_ACTIVE]))
    expect_describe(stub, service(8, [failed, OLD_ACTIVE]))
    expect_describe(stub, service(8, [failed, OLD_ACTIVE]))
    expect_update(stub, 7, service(7, [deployment("ecs-svc/back", 7)]))
    expect_describe(stub, service(7, [deployment("ecs-svc/back", 7, state="COMPLETED")]))
    expect_mark(stub, 8, "rolled-back")

    result = deployer.deploy(request())

    assert result.outcome == flow.ROLLED_BACK
    assert result.diagnostics == ["diagnostics unavailable: ListTasks refused"]


def test_timeout_rolls_back_after_the_configured_time(stub, deployer, fake_time):
    expect_render_and_register(stub)
    new = deployment("ecs-svc/new", 8)
    expect_update(stub, 8, service(8, [new, OLD_ACTIVE]))
    for _ in range(4):  # t = 0, 5, 10, 12
        expect_describe(stub, service(8, [new, OLD_ACTIVE]))
    expect_describe(stub, service(8, [new, OLD_ACTIVE]))
    back = deployment("ecs-svc/back", 7)
    expect_update(stub, 7, service(7, [back, {**new, "status": "ACTIVE"}]))
    expect_describe(stub, service(7, [deployment("ecs-svc/back", 7, state="COMPLETED")]))
    expect_mark(stub, 8, "rolled-back")

    result = deployer.deploy(request(timeout=12))

    assert (result.outcome, result.exit_code) == (flow.ROLLED_BACK, 1)
    assert "did not complete within 12 s" in result.reason
    assert fake_time.sleeps == [5, 5, 2]
    assert result.duration_seconds == 12


@pytest.mark.parametrize("ours_left", [False, True], ids=["ours-gone", "ours-demoted"])
def test_circuit_breaker_rollback_by_ecs_is_a_failed_deploy(stub, deployer, fake_time, ours_left):
    expect_render_and_register(stub)
    new = deployment("ecs-svc/new", 8)
    expect_update(stub, 8, service(8, [new, OLD_ACTIVE]))
    rollback = deployment(
        "ecs-svc/ecs-rollback",
        7,
        reason="ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/old.",
    )
    # The PRIMARY runs the previous revision; ours is gone or demoted to ACTIVE.
    after = [rollback, {**new, "status": "ACTIVE"}] if ours_left else [rollback]
    expect_describe(stub, service(7, after))
    expect_describe(stub, service(7, after))
    # No update_service is scripted: we wait on ECS's own rollback instead of starting one.
    expect_describe(stub, service(7, [{**rollback, "rolloutState": "COMPLETED"}]))
    expect_mark(stub, 8, "rolled-back")

    result = deployer.deploy(request())

    assert (result.outcome, result.exit_code) == (flow.ROLLED_BACK, 1)
    assert "circuit breaker" in result.reason
    assert result.rollback_deployment_id == "ecs-svc/ecs-rollback"
    assert fake_time.sleeps == []  # detected on the first poll, not by timing out


def test_failed_rollback_is_reported(stub, deployer):
    expect_render_and_register(stub)
    failed = deployment("ecs-svc/new", 8, state="FAILED", reason="health checks failed")
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8), OLD_ACTIVE]))
    expect_describe(stub, service(8, [failed, OLD_ACTIVE]))
    expect_describe(stub, service(8, [failed, OLD_ACTIVE]))
    back_failed = deployment("ecs-svc/back", 7, state="FAILED", reason="old image gone")
    expect_update(stub, 7, service(7, [deployment("ecs-svc/back", 7)]))
    expect_describe(stub, service(7, [back_failed]))
    expect_mark(stub, 8, "failed")

    result = deployer.deploy(request())

    assert (result.outcome, result.exit_code) == (flow.ROLLBACK_FAILED, 1)
    assert "health checks failed" in result.reason
    assert "old image gone" in result.reason


def test_another_deploy_taking_over_is_not_rolled_back(stub, deployer):
    expect_render_and_register(stub)
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8), OLD_ACTIVE]))
    other = deployment("ecs-svc/other", 9)
    expect_describe(stub, service(9, [other]))
    expect_mark(stub, 8, "superseded")

    result = deployer.deploy(request())

    # Not reported as an ECS rollback: the cause is the other deployment, named.
    assert (result.outcome, result.exit_code) == (flow.SUPERSEDED, 1)
    assert "superseded by deployment ecs-svc/other of " + arn(9) in result.reason
    assert "circuit breaker" not in result.reason


def test_unknown_service_is_a_clear_error(stub, deployer):
    stub.add_response(
        "describe_services",
        {"services": [], "failures": [{"arn": SERVICE, "reason": "MISSING"}]},
        {"cluster": CLUSTER, "services": [SERVICE]},
    )
    with pytest.raises(
        UserError, match=f"ECS service '{SERVICE}' not found in cluster '{CLUSTER}'"
    ):
        deployer.deploy(request())


def test_unknown_cluster_is_a_clear_error(stub, deployer):
    stub.add_client_error(
        "describe_services", service_error_code="ClusterNotFoundException", http_status_code=400
    )
    with pytest.raises(UserError, match=f"ECS cluster '{CLUSTER}' not found"):
        deployer.deploy(request())


def test_missing_task_definition_is_a_clear_error(stub, deployer):
    expect_describe(stub, service(7, [OLD]))
    stub.add_client_error(
        "describe_task_definition",
        service_error_code="ClientException",
        service_message="Unable to describe task definition.",
        http_status_code=400,
    )
    with pytest.raises(UserError, match=f"task definition '{arn(7)}' not found"):
        deployer.deploy(request())


def test_unknown_container_is_a_clear_error(stub, deployer):
    expect_describe(stub, service(7, [OLD]))
    stub.add_response(
        "describe_task_definition", {"taskDefinition": described(7), "tags": []}, None
    )
    expect_list_active(stub, [7])
    with pytest.raises(UserError, match="container 'web' not found"):
        deployer.deploy(request(container="web"))


def test_dry_run_renders_the_diff_and_registers_nothing(stub, deployer):
    expect_describe(stub, service(7, [OLD]))
    expect_describe_revision(stub, 7)
    expect_list_active(stub, [7, 6])
    result = deployer.deploy(request(dry_run=True))
    assert (result.outcome, result.exit_code, result.new_task_definition) == (
        flow.DRY_RUN,
        0,
        None,
    )
    assert f'-      "image": "{ECR}:old",' in result.diff
    assert f'+      "image": "{NEW_IMAGE}",' in result.diff


def test_from_running_clones_the_revision_the_service_runs(stub, deployer):
    expect_describe(stub, service(5, [deployment("ecs-svc/old", 5, state="COMPLETED")]))
    stub.add_response(
        "describe_task_definition",
        {"taskDefinition": described(5), "tags": []},
        {"taskDefinition": arn(5), "include": ["TAGS"]},
    )
    result = deployer.deploy(request(from_running=True, dry_run=True))
    assert result.source_task_definition == arn(5)


def expect_run_before(stub, exit_codes: dict[str, int | None]) -> None:
    task_arn = "arn:aws:ecs:us-east-1:123456789012:task/lms-dev/abc"
    stub.add_response(
        "run_task",
        {"tasks": [{"taskArn": task_arn, "lastStatus": "PROVISIONING"}], "failures": []},
        {
            "cluster": CLUSTER,
            "taskDefinition": arn(8),
            "count": 1,
            "startedBy": "lmsops-deploy",
            "overrides": {
                "containerOverrides": [{"name": "app", "command": ["bin/migrate", "--to", "v2"]}]
            },
            "networkConfiguration": NETWORK,
            "launchType": "FARGATE",
        },
    )
    stub.add_response(
        "describe_tasks",
        {"tasks": [{"taskArn": task_arn, "lastStatus": "RUNNING"}]},
        {"cluster": CLUSTER, "tasks": [task_arn]},
    )
    stopped_containers = [
        {"name": name, **({} if code is None else {"exitCode": code})}
        for name, code in exit_codes.items()
    ]
    stub.add_response(
        "describe_tasks",
        {
            "tasks": [
                {
                    "taskArn": task_arn,
                    "lastStatus": "STOPPED",
                    "stoppedReason": "Essential container in task exited",
                    "containers": stopped_containers,
                }
            ]
        },
        {"cluster": CLUSTER, "tasks": [task_arn]},
    )


def test_run_before_nonzero_exit_fails_the_deploy_without_updating(stub, deployer):
    expect_render_and_register(stub)
    expect_run_before(stub, {"app": 3})
    expect_mark(stub, 8, "failed")
    # No update_service scripted: Stubber would reject it.
    result = deployer.deploy(request(run_before="bin/migrate --to v2"))
    assert (result.outcome, result.exit_code) == (flow.RUN_BEFORE_FAILED, 1)
    assert "container app exited 3" in result.reason


def test_run_before_success_then_deploys(stub, deployer):
    expect_render_and_register(stub)
    expect_run_before(stub, {"app": 0})
    expect_describe(stub, service(7, [OLD]))  # nobody deployed while the task ran
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8), OLD_ACTIVE]))
    expect_describe(stub, service(8, [deployment("ecs-svc/new", 8, state="COMPLETED")]))
    expect_mark(stub, 8, "completed")
    result = deployer.deploy(request(run_before="bin/migrate --to v2"))
    assert result.outcome == flow.SUCCEEDED


def test_keep_never_deregisters_terraforms_revision_the_running_one_or_the_new(stub, deployer):
    # Issue 9: Terraform registered 5; lmsops deployed 6 and 7 from it; the service runs 7.
    # This deploy registers 8 with --keep 1. On main, 5 (Terraform's) was deregistered and
    # the next plan re-created it.
    running_tags = TAGS + lmsops_tags("completed", terraform=5, previous=6)
    expect_describe(stub, service(7, [deployment("ecs-svc/old", 7, state="COMPLETED")]))
    expect_describe_revision(stub, 7, running_tags)
    expect_list_active(stub, range(7, 0, -1))
    expect_describe_revision(stub, 7, running_tags)
    expect_describe_revision(stub, 6, TAGS + lmsops_tags("completed", terraform=5, previous=5))
    params = register_params()
    params["tags"] = TAGS + lmsops_tags("pending", terraform=5, previous=7)
    expect_register(stub, 8, params)
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8)]))
    expect_describe(stub, service(8, [deployment("ecs-svc/new", 8, state="COMPLETED")]))
    expect_mark(stub, 8, "completed")
    expect_list_active(stub, range(8, 0, -1))
    for revision in (6, 4, 3, 2, 1):
        stub.add_response(
            "deregister_task_definition",
            {"taskDefinition": described(revision)},
            {"taskDefinition": arn(revision)},
        )

    result = deployer.deploy(request(keep=1))

    assert result.outcome == flow.SUCCEEDED
    assert result.deregistered == [arn(n) for n in (6, 4, 3, 2, 1)]
    assert result.previous_task_definition == arn(7)


def test_no_deregistration_without_keep(stub, deployer):
    expect_render_and_register(stub)
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8)]))
    expect_describe(stub, service(8, [deployment("ecs-svc/new", 8, state="COMPLETED")]))
    expect_mark(stub, 8, "completed")
    result = deployer.deploy(request())
    assert result.deregistered == []


def test_no_deregistration_after_a_failed_deploy_even_with_keep(stub, deployer, fake_time):
    # The revisions --keep would prune are what an operator rolls back to by hand.
    deployer.diagnose = lambda *where: []
    expect_render_and_register(stub)
    new = deployment("ecs-svc/new", 8)
    expect_update(stub, 8, service(8, [new, OLD_ACTIVE]))
    failed = deployment("ecs-svc/new", 8, state="FAILED", reason="tasks failed to start")
    expect_describe(stub, service(8, [failed, OLD_ACTIVE]))
    expect_describe(stub, service(8, [failed, OLD_ACTIVE]))
    back = deployment("ecs-svc/back", 7)
    expect_update(stub, 7, service(7, [back, {**failed, "status": "ACTIVE"}]))
    expect_describe(stub, service(7, [deployment("ecs-svc/back", 7, state="COMPLETED")]))
    expect_mark(stub, 8, "rolled-back")

    # Stubber rejects the list/deregister calls a prune would make: none are scripted.
    result = deployer.deploy(request(keep=1))

    assert (result.outcome, result.exit_code) == (flow.ROLLED_BACK, 1)
    assert result.deregistered == []


def test_result_is_json_serialisable_with_the_fields_ci_reads(stub, deployer):
    expect_render_and_register(stub)
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8)]))
    expect_describe(stub, service(8, [deployment("ecs-svc/new", 8, state="COMPLETED")]))
    expect_mark(stub, 8, "completed")
    data = json.loads(json.dumps(deployer.deploy(request()).as_dict()))
    assert {
        "outcome": data["outcome"],
        "previous_task_definition": data["previous_task_definition"],
        "new_task_definition": data["new_task_definition"],
        "exit_code": data["exit_code"],
    } == {
        "outcome": "succeeded",
        "previous_task_definition": arn(7),
        "new_task_definition": arn(8),
        "exit_code": 0,
    }
    assert isinstance(data["duration_seconds"], float)


def test_update_that_starts_no_deployment_of_our_revision_is_rolled_back(stub, deployer):
    expect_render_and_register(stub)
    # The service's PRIMARY deployment is still the old one after the update.
    expect_update(stub, 8, service(8, [OLD]))
    expect_describe(stub, service(8, [OLD]))
    expect_describe(stub, service(8, [OLD]))
    # Not mistaken for an ECS rollback: the service is pointed back at the previous revision.
    expect_update(stub, 7, service(7, [deployment("ecs-svc/back", 7), OLD_ACTIVE]))
    expect_describe(stub, service(7, [deployment("ecs-svc/back", 7, state="COMPLETED")]))
    expect_mark(stub, 8, "rolled-back")

    result = deployer.deploy(request())

    assert (result.outcome, result.exit_code, result.deployment_id) == (flow.ROLLED_BACK, 1, None)
    assert "no PRIMARY deployment of" in result.reason


# --- Issue 9: which revision a deploy starts from -------------------------------------

FEATURE_ON = [{"name": "PORT", "value": "4000"}, {"name": "FEATURE_X", "value": "on"}]


def expect_success(stub, revision: int) -> None:
    new = deployment("ecs-svc/new", revision)
    expect_update(stub, revision, service(revision, [new]))
    expect_describe(stub, service(revision, [{**new, "rolloutState": "COMPLETED"}]))
    expect_mark(stub, revision, "completed")


def test_a_revision_that_never_completed_is_not_the_base(stub, deployer):
    # Service runs 8 (deployed by lmsops, completed). 9 was registered with
    # --env-var FEATURE_X=on by a deploy interrupted during --run-before: the family's
    # latest ACTIVE revision, which main rendered from (shipping FEATURE_X=on).
    running_tags = TAGS + lmsops_tags("completed", terraform=7, previous=7)
    expect_describe(stub, service(8, [deployment("ecs-svc/old", 8, state="COMPLETED")]))
    expect_describe_revision(stub, 8, running_tags)
    expect_list_active(stub, range(9, 0, -1))
    expect_describe_revision(
        stub, 9, TAGS + lmsops_tags("interrupted", 7, 8, "FEATURE_X"), FEATURE_ON
    )
    expect_describe_revision(stub, 8, running_tags)
    params = register_params()  # PORT only: no FEATURE_X
    params["tags"] = TAGS + lmsops_tags("pending", terraform=7, previous=8)
    expect_register(stub, 10, params)
    expect_success(stub, 10)

    result = deployer.deploy(request())

    assert (result.outcome, result.source_task_definition) == (flow.SUCCEEDED, arn(8))
    assert "FEATURE_X" not in result.diff


def test_a_newer_terraform_revision_is_the_base_and_earlier_env_vars_carry_over(stub, deployer):
    # Running 8 was deployed with --env-var FEATURE_X=on from Terraform's 7. Since then a
    # deploy failed (9) and Terraform registered 10 with LOG_LEVEL=debug.
    running_tags = TAGS + lmsops_tags("completed", terraform=7, previous=7, env_names="FEATURE_X")
    terraform_env = [{"name": "PORT", "value": "4000"}, {"name": "LOG_LEVEL", "value": "debug"}]
    expect_describe(stub, service(8, [deployment("ecs-svc/old", 8, state="COMPLETED")]))
    expect_describe_revision(stub, 8, running_tags, FEATURE_ON)
    expect_list_active(stub, range(10, 0, -1))
    expect_describe_revision(stub, 10, TAGS, terraform_env)
    params = register_params()
    params["containerDefinitions"][0]["environment"] = [
        *terraform_env,
        {"name": "FEATURE_X", "value": "on"},
    ]
    params["tags"] = TAGS + lmsops_tags("pending", terraform=10, previous=8, env_names="FEATURE_X")
    expect_register(stub, 11, params)
    expect_success(stub, 11)

    result = deployer.deploy(request())

    assert (result.outcome, result.source_task_definition) == (flow.SUCCEEDED, arn(10))
    assert "Terraform's revision 10 is newer" in result.source_reason


def test_a_running_revision_whose_deployment_failed_is_not_the_base(stub, deployer):
    failed_primary = deployment("ecs-svc/bad", 8, state="FAILED", reason="tasks failed")
    expect_describe(stub, service(8, [failed_primary]))
    expect_describe_revision(stub, 8, TAGS + lmsops_tags("pending", 7, 7, "FEATURE_X"), FEATURE_ON)
    expect_list_active(stub, range(8, 0, -1))
    expect_describe_revision(stub, 8, TAGS + lmsops_tags("pending", 7, 7, "FEATURE_X"), FEATURE_ON)
    expect_describe_revision(stub, 7)

    result = deployer.deploy(request(dry_run=True))

    assert result.source_task_definition == arn(7)
    assert "FEATURE_X" not in result.diff


# --- Issue 9: one deploy at a time, real causes ----------------------------------------


def test_a_deployment_in_progress_refuses_the_deploy_before_anything_is_registered(stub, deployer):
    other = deployment("ecs-svc/other", 8)  # IN_PROGRESS, started by someone else
    expect_describe(stub, service(8, [other, OLD_ACTIVE]))
    # Nothing else is scripted: no describe, register or update may follow.
    with pytest.raises(UserError) as refused:
        deployer.deploy(request())
    message = str(refused.value)
    assert refused.value.exit_code == 2
    assert "deployment ecs-svc/other" in message
    assert "IN_PROGRESS on service lms-dev-backend since 2026-11-25T12:00:00+00:00" in message


def test_someone_deploying_during_run_before_refuses_the_update(stub, deployer):
    expect_render_and_register(stub)
    expect_run_before(stub, {"app": 0})
    expect_describe(stub, service(9, [deployment("ecs-svc/other", 9, state="COMPLETED")]))
    expect_mark(stub, 8, "refused")
    # No update_service scripted.
    result = deployer.deploy(request(run_before="bin/migrate --to v2"))
    assert (result.outcome, result.exit_code) == (flow.REFUSED, 2)
    assert f"the service now runs {arn(9)}" in result.reason


# --- Issue 9: interrupts ------------------------------------------------------------


def interrupting_sleep(exception: type[BaseException]):
    def sleep(seconds: float) -> None:
        raise exception()

    return sleep


def deploy_or_fail(deployer: flow.Deployer, deploy_request: flow.DeployRequest):
    """deployer.deploy(), where a signal escaping it fails the test: an escaping
    KeyboardInterrupt would otherwise stop the whole session instead of failing one test."""
    try:
        return deployer.deploy(deploy_request)
    except (KeyboardInterrupt, interrupts.Terminated) as escaped:
        pytest.fail(f"deploy let {type(escaped).__name__} escape instead of reporting it")


@pytest.mark.parametrize(
    "signal_case",
    [(KeyboardInterrupt, "SIGINT", 130), (interrupts.Terminated, "SIGTERM", 143)],
    ids=["SIGINT", "SIGTERM"],
)
def test_interrupted_rollout_reports_the_deployment_and_the_commands(
    stub, client, fake_time, logs, signal_case
):
    exception, signal_text, code = signal_case
    deployer = flow.Deployer(client, fake_time.clock, interrupting_sleep(exception), logs.append)
    expect_render_and_register(stub)
    new = deployment("ecs-svc/new", 8)
    expect_update(stub, 8, service(8, [new, OLD_ACTIVE]))
    expect_describe(stub, service(8, [new, OLD_ACTIVE]))
    # The signal arrives while waiting for the next poll: no rollback is started for it.

    result = deploy_or_fail(deployer, request())

    data = json.loads(json.dumps(result.as_dict()))
    assert (data["outcome"], data["signal"], data["exit_code"]) == (
        "interrupted",
        signal_text,
        code,
    )
    assert (data["deployment_id"], data["state"]) == ("ecs-svc/new", "IN_PROGRESS")
    assert (data["new_task_definition"], data["previous_task_definition"]) == (arn(8), arn(7))
    assert data["next_steps"] == [
        f"lmsops deploy status --cluster {CLUSTER} --service {SERVICE} --wait",
        f"lmsops deploy rollback --cluster {CLUSTER} --service {SERVICE} --to {arn(7)}",
    ]


def test_interrupt_during_run_before_stops_the_one_off_task(stub, client, fake_time, logs):
    deployer = flow.Deployer(
        client, fake_time.clock, interrupting_sleep(KeyboardInterrupt), logs.append
    )
    task_arn = "arn:aws:ecs:us-east-1:123456789012:task/lms-dev/abc"
    expect_render_and_register(stub)
    stub.add_response(
        "run_task", {"tasks": [{"taskArn": task_arn, "lastStatus": "PROVISIONING"}]}, None
    )
    stub.add_response(
        "describe_tasks", {"tasks": [{"taskArn": task_arn, "lastStatus": "RUNNING"}]}, None
    )
    stub.add_response(
        "stop_task",
        {"task": {"taskArn": task_arn}},
        {"cluster": CLUSTER, "task": task_arn, "reason": "lmsops deploy interrupted"},
    )
    expect_mark(stub, 8, "interrupted")

    result = deploy_or_fail(deployer, request(run_before="bin/migrate --to v2"))

    assert (result.outcome, result.exit_code) == (flow.INTERRUPTED, 130)
    assert (result.state, result.one_off_task) == ("service not updated", task_arn)
    assert f"it still runs {arn(7)}" in result.reason
    assert result.next_steps == []


# --- Issue 14: deployment alarms. Stubber: the emulator evaluates no metrics and ECS on it
# never rolls back because of an alarm, so an alarm-triggered ECS rollback is scripted here.

ALARM = "lms-dev-backend-5xx"
ALARM_REASON = "Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0)."


def with_alarms(svc: dict) -> dict:
    return {
        **svc,
        "deploymentConfiguration": {
            "alarms": {"alarmNames": [ALARM], "enable": True, "rollback": True}
        },
    }


@pytest.fixture
def cloudwatch():
    return boto3.client(
        "cloudwatch", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


@pytest.fixture
def cw_stub(cloudwatch):
    with Stubber(cloudwatch) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def expect_alarm_state(cw_stub, firing: bool) -> None:
    alarm = {
        "AlarmName": ALARM,
        "StateValue": "ALARM",
        "StateReason": ALARM_REASON,
        "StateUpdatedTimestamp": NOW,
    }
    cw_stub.add_response(
        "describe_alarms",
        {"MetricAlarms": [alarm] if firing else [], "CompositeAlarms": []},
        {
            "AlarmNames": [ALARM],
            "AlarmTypes": ["MetricAlarm", "CompositeAlarm"],
            "StateValue": "ALARM",
        },
    )


def expect_render_and_register_with_alarms(stub) -> None:
    expect_describe(
        stub, with_alarms(service(7, [deployment("ecs-svc/old", 7, state="COMPLETED")]))
    )
    expect_describe_revision(stub, 7)
    expect_list_active(stub, range(7, 0, -1))
    params = register_params()
    params["tags"] = TAGS + lmsops_tags("pending", terraform=7, previous=7)
    expect_register(stub, 8, params)


def test_an_alarm_triggered_ecs_rollback_names_the_alarm(stub, cw_stub, deployer, cloudwatch):
    deployer.cloudwatch = lambda: cloudwatch
    expect_render_and_register_with_alarms(stub)
    new = deployment("ecs-svc/new", 8)
    expect_update(stub, 8, service(8, [new, OLD_ACTIVE]))
    failed = deployment(
        "ecs-svc/new", 8, state="FAILED", reason=f"ECS deployment alarm(s) {ALARM} in ALARM state"
    )
    rollback = deployment("ecs-svc/ecs-rollback", 7, reason="ECS alarm rollback")
    expect_describe(stub, service(7, [rollback, {**failed, "status": "ACTIVE"}]))
    expect_alarm_state(cw_stub, firing=True)
    expect_describe(stub, service(7, [rollback, {**failed, "status": "ACTIVE"}]))
    expect_describe(stub, service(7, [{**rollback, "rolloutState": "COMPLETED"}]))
    expect_mark(stub, 8, "rolled-back")

    result = deployer.deploy(request())

    assert (result.outcome, result.exit_code) == (flow.ROLLED_BACK, 1)
    assert f"{ALARM}: {ALARM_REASON}" in result.reason
    assert result.alarms == [f"alarm {ALARM} is in ALARM since {NOW.isoformat()}: {ALARM_REASON}"]
    assert result.rollback_deployment_id == "ecs-svc/ecs-rollback"


def test_bake_rolls_back_when_an_alarm_fires_after_completed(
    stub, cw_stub, deployer, cloudwatch, fake_time
):
    deployer.cloudwatch = lambda: cloudwatch
    expect_render_and_register_with_alarms(stub)
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8), OLD_ACTIVE]))
    expect_describe(stub, service(8, [deployment("ecs-svc/new", 8, state="COMPLETED")]))
    expect_alarm_state(cw_stub, firing=False)  # t = 0
    expect_alarm_state(cw_stub, firing=True)  # t = 5
    expect_update(stub, 7, service(7, [deployment("ecs-svc/back", 7)]))
    expect_describe(stub, service(7, [deployment("ecs-svc/back", 7, state="COMPLETED")]))
    expect_mark(stub, 8, "rolled-back")  # never marked completed

    result = deployer.deploy(request(bake=30))

    assert (result.outcome, result.exit_code, result.state) == (flow.ROLLED_BACK, 1, "BAKE_FAILED")
    assert f"deployment alarm {ALARM} fired during the 30 s bake" in result.reason
    assert ALARM_REASON in result.reason
    assert result.rollback_deployment_id == "ecs-svc/back"
    assert fake_time.sleeps == [5]


def test_a_quiet_bake_succeeds_after_the_whole_period(
    stub, cw_stub, deployer, cloudwatch, fake_time
):
    deployer.cloudwatch = lambda: cloudwatch
    expect_render_and_register_with_alarms(stub)
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8), OLD_ACTIVE]))
    expect_describe(stub, service(8, [deployment("ecs-svc/new", 8, state="COMPLETED")]))
    for _ in range(3):  # t = 0, 5, 8
        expect_alarm_state(cw_stub, firing=False)
    expect_mark(stub, 8, "completed")

    result = deployer.deploy(request(bake=8))

    assert (result.outcome, result.exit_code) == (flow.SUCCEEDED, 0)
    assert fake_time.sleeps == [5, 3]


def test_bake_without_deployment_alarms_is_refused_before_anything_is_registered(stub, deployer):
    expect_describe(stub, service(7, [OLD]))
    with pytest.raises(UserError, match="--bake watches the service's deployment alarms"):
        deployer.deploy(request(bake=60))


def test_a_refused_status_tag_is_reported_but_the_deploy_still_succeeds(stub, deployer, logs):
    expect_render_and_register(stub)
    expect_update(stub, 8, service(8, [deployment("ecs-svc/new", 8)]))
    expect_describe(stub, service(8, [deployment("ecs-svc/new", 8, state="COMPLETED")]))
    stub.add_client_error("tag_resource", service_error_code="AccessDeniedException")

    result = deployer.deploy(request())

    assert (result.outcome, result.exit_code) == (flow.SUCCEEDED, 0)
    assert any(f"could not tag {arn(8)} lmsops:deploy-status=completed" in line for line in logs)
