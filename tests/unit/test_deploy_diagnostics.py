"""Deployment diagnostics: Stubber for the exact ECS calls, the emulator for a real failure."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import boto3
import pytest
from botocore.stub import Stubber

from lmsops.deploy import diagnostics

CLUSTER = "lms-dev"
SERVICE = "lms-dev"
DEPLOYMENT = "ecs-svc/1234567890"
T0 = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
PULL = "CannotPullContainerError: pull image manifest has been retried 5 time(s): not found"


def td(revision: int) -> str:
    return f"arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev:{revision}"


def task(task_id: str, revision: int, stopped: str, stopped_at: dt.datetime, **container) -> dict:
    return {
        "taskArn": f"arn:aws:ecs:us-east-1:123456789012:task/{CLUSTER}/{task_id}",
        "taskDefinitionArn": td(revision),
        "lastStatus": "STOPPED",
        "stopCode": "TaskFailedToStart",
        "stoppedReason": stopped,
        "stoppedAt": stopped_at,
        "containers": [{"name": "app", **container}],
    }


def event(seconds: int, message: str) -> dict:
    return {"id": str(seconds), "createdAt": T0 + dt.timedelta(seconds=seconds), "message": message}


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


def test_stopped_tasks_of_the_deployment_give_reasons_exit_codes_and_events(client, stub):
    arns = [f"arn:aws:ecs:us-east-1:123456789012:task/{CLUSTER}/t{i}" for i in range(3)]
    stub.add_response(
        "list_tasks",
        {"taskArns": arns},
        {"cluster": CLUSTER, "desiredStatus": "STOPPED", "startedBy": DEPLOYMENT},
    )
    stub.add_response(
        "describe_tasks",
        {
            "tasks": [
                task("t0", 8, PULL, T0 + dt.timedelta(seconds=5), reason=PULL),
                task("t1", 8, PULL, T0 + dt.timedelta(seconds=9), reason=PULL),
                task(
                    "t2",
                    7,
                    "Essential container in task exited",
                    T0 + dt.timedelta(seconds=1),
                    exitCode=1,
                ),
            ]
        },
        {"cluster": CLUSTER, "tasks": arns},
    )
    stub.add_response(
        "describe_services",
        {
            "services": [
                {
                    "serviceName": SERVICE,
                    "events": [
                        event(12, "(service lms-dev) (deployment x) deployment failed."),
                        event(3, "(service lms-dev) has started 1 tasks: (task t0)."),
                        event(-60, "(service lms-dev) has reached a steady state."),
                    ],
                }
            ]
        },
        {"cluster": CLUSTER, "services": [SERVICE]},
    )

    found = diagnostics.diagnose(
        client, CLUSTER, SERVICE, deployment_id=DEPLOYMENT, task_definition_arn=td(8), since=T0
    )

    assert [t.task_id for t in found.stopped_tasks] == ["t1", "t0"]  # only :8, newest first
    assert found.reasons() == [(PULL, 2)]
    assert found.stopped_tasks[0].containers == [diagnostics.ContainerStop("app", None, PULL, None)]
    assert [e.message for e in found.events] == [
        "(service lms-dev) has started 1 tasks: (task t0).",
        "(service lms-dev) (deployment x) deployment failed.",
    ]
    assert found.lines() == [
        f"deployment {DEPLOYMENT} of lms-dev:8: 2 stopped task(s)",
        f"  2 x {PULL}",
        f"  task t1 (lms-dev:8) stopped 12:00:09Z [TaskFailedToStart]: {PULL}",
        f"    container app: exit code none, reason: {PULL}",
        f"  task t0 (lms-dev:8) stopped 12:00:05Z [TaskFailedToStart]: {PULL}",
        f"    container app: exit code none, reason: {PULL}",
        "service lms-dev events:",
        "  12:00:03Z (service lms-dev) has started 1 tasks: (task t0).",
        "  12:00:12Z (service lms-dev) (deployment x) deployment failed.",
    ]
    as_json = json.loads(json.dumps(found.as_dict()))
    assert as_json["reasons"] == [[PULL, 2]]
    assert as_json["stopped_tasks"][0]["stopped_at"] == "2026-11-29T12:00:09+00:00"
    assert as_json["deployment_id"] == DEPLOYMENT


def test_a_crashing_container_shows_its_exit_code(client, stub):
    arn = f"arn:aws:ecs:us-east-1:123456789012:task/{CLUSTER}/crash"
    stub.add_response(
        "list_tasks",
        {"taskArns": [arn]},
        {"cluster": CLUSTER, "desiredStatus": "STOPPED", "serviceName": SERVICE},
    )
    stub.add_response(
        "describe_tasks",
        {
            "tasks": [
                task(
                    "crash",
                    8,
                    "Essential container in task exited",
                    T0,
                    exitCode=137,
                    healthStatus="UNHEALTHY",
                )
            ]
        },
        {"cluster": CLUSTER, "tasks": [arn]},
    )
    described = {"serviceName": SERVICE, "events": []}

    found = diagnostics.diagnose(client, CLUSTER, SERVICE, described_service=described)

    assert found.lines() == [
        "the deployment: 1 stopped task(s)",
        "  1 x Essential container in task exited",
        "  task crash (lms-dev:8) stopped 12:00:00Z [TaskFailedToStart]: "
        "Essential container in task exited",
        "    container app: exit code 137, health UNHEALTHY",
    ]


def test_no_stopped_tasks_says_so(client, stub):
    stub.add_response(
        "list_tasks",
        {"taskArns": []},
        {"cluster": CLUSTER, "desiredStatus": "STOPPED", "startedBy": DEPLOYMENT},
    )
    found = diagnostics.diagnose(
        client, CLUSTER, SERVICE, deployment_id=DEPLOYMENT, described_service={"events": []}
    )
    assert found.lines() == [f"deployment {DEPLOYMENT}: no stopped tasks found"]


def test_many_stopped_tasks_are_described_in_batches_of_100_and_limited(client, stub):
    arns = [f"arn:aws:ecs:us-east-1:123456789012:task/{CLUSTER}/t{i}" for i in range(150)]
    stub.add_response(
        "list_tasks",
        {"taskArns": arns[:100], "nextToken": "more"},
        {"cluster": CLUSTER, "desiredStatus": "STOPPED", "startedBy": DEPLOYMENT},
    )
    stub.add_response(
        "list_tasks",
        {"taskArns": arns[100:]},
        {
            "cluster": CLUSTER,
            "desiredStatus": "STOPPED",
            "startedBy": DEPLOYMENT,
            "nextToken": "more",
        },
    )
    for chunk in (arns[:100], arns[100:]):
        stub.add_response(
            "describe_tasks",
            {
                "tasks": [
                    task(a.rsplit("/", 1)[-1], 8, PULL, T0 + dt.timedelta(seconds=i))
                    for i, a in enumerate(chunk)
                ]
            },
            {"cluster": CLUSTER, "tasks": chunk},
        )
    found = diagnostics.diagnose(
        client, CLUSTER, SERVICE, deployment_id=DEPLOYMENT, described_service={}, limit=5
    )
    assert len(found.stopped_tasks) == 5


def test_emulated_failed_deployment_shows_cannot_pull_container_error(emulator):
    ecs = boto3.session.Session().client("ecs")
    cluster = f"diag-{uuid.uuid4().hex[:8]}"
    ecs.create_cluster(clusterName=cluster)
    image = f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{cluster}:never-pushed"
    arn = ecs.register_task_definition(
        family=cluster, containerDefinitions=[{"name": "app", "image": "app:1", "memory": 128}]
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(cluster=cluster, serviceName="api", taskDefinition=arn, desiredCount=1)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    new = ecs.register_task_definition(
        family=cluster, containerDefinitions=[{"name": "app", "image": image, "memory": 128}]
    )["taskDefinition"]["taskDefinitionArn"]
    deployment = ecs.update_service(cluster=cluster, service="api", taskDefinition=new)["service"][
        "deployments"
    ][0]["id"]
    ecs.describe_services(cluster=cluster, services=["api"])  # one task launch fails

    found = diagnostics.diagnose(
        ecs, cluster, "api", deployment_id=deployment, task_definition_arn=new, since=started
    )

    assert [t.stop_code for t in found.stopped_tasks] == ["TaskFailedToStart"]
    assert found.reasons()[0][0].startswith("CannotPullContainerError: ")
    assert image in found.reasons()[0][0]
    text = "\n".join(found.lines())
    assert "container app: exit code none, reason: CannotPullContainerError" in text
    assert "failed to start: CannotPullContainerError" in text
