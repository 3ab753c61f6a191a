"""ECS deployments (lmsops.emulator.gaps.ecs_deployments): started, completed, failed on alarms."""

from __future__ import annotations

import boto3
import pytest
from emulator_helpers import ACCOUNT_REGISTRY, describe, push_image, unique, update_to

from lmsops.emulator.gaps import ecs_deployments


def test_ecs_update_to_a_new_revision_starts_a_deployment_that_then_completes(ecs_service):
    ecs, cluster, family = ecs_service
    ecs.create_service(cluster=cluster, serviceName="api", taskDefinition=family, desiredCount=2)
    first = ecs.describe_services(cluster=cluster, services=["api"])["services"][0]
    assert [d["rolloutState"] for d in first["deployments"]] == ["COMPLETED"]
    revision_2 = ecs.register_task_definition(
        family=family, containerDefinitions=[{"name": "app", "image": "app:2", "memory": 128}]
    )["taskDefinition"]["taskDefinitionArn"]

    updated = ecs.update_service(cluster=cluster, service="api", taskDefinition=f"{family}:2")
    deployments = updated["service"]["deployments"]
    assert [(d["status"], d["rolloutState"]) for d in deployments] == [
        ("PRIMARY", "IN_PROGRESS"),
        ("ACTIVE", "COMPLETED"),
    ]
    assert deployments[0]["taskDefinition"] == revision_2
    assert deployments[0]["id"] != deployments[1]["id"]

    service = ecs.describe_services(cluster=cluster, services=["api"])["services"][0]
    assert [(d["id"], d["rolloutState"]) for d in service["deployments"]] == [
        (deployments[0]["id"], "COMPLETED")
    ]
    assert service["taskDefinition"] == revision_2
    assert (service["runningCount"], service["pendingCount"]) == (2, 0)
    assert service["events"][0]["message"].endswith("has reached a steady state.")


def test_ecs_circuit_breaker_threshold_follows_the_desired_count():
    assert [ecs_deployments.circuit_breaker_threshold(n) for n in (1, 6, 7, 10, 1000)] == [
        3,
        3,
        4,
        5,
        200,
    ]


@pytest.fixture
def alarmed_service(emulator):
    """A service (desired 1) whose deployment alarms (rollback on) name one metric alarm.

    Returns (ecs, cloudwatch, cluster, family, alarm name, repository).
    """
    ecs, cloudwatch = boto3.client("ecs"), boto3.client("cloudwatch")
    cluster, family, repository, alarm = (unique(p) for p in ("cluster", "fam", "repo", "5xx"))
    cloudwatch.put_metric_alarm(
        AlarmName=alarm,
        Namespace="AWS/ApplicationELB",
        MetricName="HTTPCode_Target_5XX_Count",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=5,
        ComparisonOperator="GreaterThanThreshold",
    )
    push_image(repository, "good")
    push_image(repository, "bad")
    ecs.create_cluster(clusterName=cluster)
    ecs.register_task_definition(
        family=family,
        containerDefinitions=[
            {"name": "app", "image": f"{ACCOUNT_REGISTRY}/{repository}:good", "memory": 128}
        ],
    )
    ecs.create_service(
        cluster=cluster,
        serviceName="api",
        taskDefinition=family,
        desiredCount=1,
        deploymentConfiguration={
            "alarms": {"alarmNames": [alarm], "enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
        },
    )
    describe(ecs, cluster)
    return ecs, cloudwatch, cluster, family, alarm, repository


def test_ecs_deployment_fails_and_rolls_back_when_a_deployment_alarm_is_in_alarm(
    alarmed_service,
):
    ecs, cloudwatch, cluster, family, alarm, repository = alarmed_service
    previous = describe(ecs, cluster)["taskDefinition"]
    _, deployment = update_to(ecs, cluster, family, image=f"{ACCOUNT_REGISTRY}/{repository}:bad")
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="5xx burst")

    service = describe(ecs, cluster)

    rollback, failed = service["deployments"]
    assert (failed["id"], failed["rolloutState"]) == (deployment, "FAILED")
    assert failed["rolloutStateReason"] == f"ECS deployment alarms detected: {alarm} in ALARM."
    assert (rollback["status"], rollback["taskDefinition"]) == ("PRIMARY", previous)
    assert rollback["rolloutStateReason"].startswith("ECS deployment alarms: rolling back")
    assert service["taskDefinition"] == previous
    # The rollback itself is not failed by the alarm that caused it.
    settled = describe(ecs, cluster)
    assert [(d["id"], d["rolloutState"]) for d in settled["deployments"]] == [
        (rollback["id"], "COMPLETED")
    ]


def test_ecs_deployment_completes_while_its_alarms_are_ok(alarmed_service):
    ecs, _, cluster, family, _, repository = alarmed_service
    new, deployment = update_to(ecs, cluster, family, image=f"{ACCOUNT_REGISTRY}/{repository}:bad")

    service = describe(ecs, cluster)

    assert [(d["id"], d["rolloutState"]) for d in service["deployments"]] == [
        (deployment, "COMPLETED")
    ]
    assert service["taskDefinition"] == new


def test_disabled_deployment_alarms_do_not_fail_a_deployment(alarmed_service):
    ecs, cloudwatch, cluster, family, alarm, repository = alarmed_service
    ecs.update_service(
        cluster=cluster,
        service="api",
        deploymentConfiguration={
            "alarms": {"alarmNames": [alarm], "enable": False, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
        },
    )
    describe(ecs, cluster)
    _, deployment = update_to(ecs, cluster, family, image=f"{ACCOUNT_REGISTRY}/{repository}:bad")
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="5xx burst")

    service = describe(ecs, cluster)

    assert [(d["id"], d["rolloutState"]) for d in service["deployments"]] == [
        (deployment, "COMPLETED")
    ]
