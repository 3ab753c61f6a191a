"""ECS service and task-definition gap fills (lmsops.emulator.gaps.ecs), on the emulator."""

from __future__ import annotations

import boto3
from emulator_helpers import describe, unique


def test_ecs_service_echoes_availability_zone_rebalancing(ecs_service):
    ecs, cluster, family = ecs_service
    created = ecs.create_service(
        cluster=cluster,
        serviceName="sent",
        taskDefinition=family,
        desiredCount=1,
        availabilityZoneRebalancing="DISABLED",
    )["service"]
    assert created["availabilityZoneRebalancing"] == "DISABLED"
    ecs.create_service(
        cluster=cluster, serviceName="default", taskDefinition=family, desiredCount=1
    )

    def described() -> dict[str, str]:
        services = ecs.describe_services(cluster=cluster, services=["sent", "default"])
        return {s["serviceName"]: s["availabilityZoneRebalancing"] for s in services["services"]}

    # AWS default for a new replica service that does not say: ENABLED.
    assert described() == {"sent": "DISABLED", "default": "ENABLED"}

    ecs.update_service(cluster=cluster, service="sent", availabilityZoneRebalancing="ENABLED")
    ecs.update_service(cluster=cluster, service="default", desiredCount=2)  # keeps its value
    assert described() == {"sent": "ENABLED", "default": "ENABLED"}


def test_ecs_service_echoes_deployment_settings(ecs_service):
    ecs, cluster, family = ecs_service
    breaker = {"enable": True, "rollback": True}
    ecs.create_service(
        cluster=cluster,
        serviceName="api",
        taskDefinition=family,
        desiredCount=1,
        healthCheckGracePeriodSeconds=60,
        deploymentConfiguration={
            "deploymentCircuitBreaker": breaker,
            "maximumPercent": 200,
            "minimumHealthyPercent": 50,
        },
        enableExecuteCommand=True,
    )
    ecs.create_service(cluster=cluster, serviceName="plain", taskDefinition=family, desiredCount=1)
    services = ecs.describe_services(cluster=cluster, services=["api", "plain"])["services"]
    api, plain = sorted(services, key=lambda s: s["serviceName"] != "api")

    assert api["healthCheckGracePeriodSeconds"] == 60
    assert api["deploymentConfiguration"]["deploymentCircuitBreaker"] == breaker
    assert api["deploymentConfiguration"]["minimumHealthyPercent"] == 50
    assert api["enableExecuteCommand"] is True
    assert "healthCheckGracePeriodSeconds" not in plain
    assert plain["deploymentConfiguration"]["deploymentCircuitBreaker"] == {
        "enable": False,
        "rollback": False,
    }
    assert plain["enableExecuteCommand"] is False


def test_ecs_service_echoes_deployment_alarms(ecs_service):
    ecs, cluster, family = ecs_service
    alarms = {"alarmNames": ["lms-5xx", "lms-latency"], "enable": True, "rollback": True}
    ecs.create_service(
        cluster=cluster,
        serviceName="api",
        taskDefinition=family,
        desiredCount=1,
        deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
            "alarms": alarms,
        },
    )
    assert describe(ecs, cluster)["deploymentConfiguration"]["alarms"] == alarms

    changed = {**alarms, "alarmNames": ["lms-5xx"], "rollback": False}
    ecs.update_service(
        cluster=cluster,
        service="api",
        deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "alarms": changed,
        },
    )
    assert describe(ecs, cluster)["deploymentConfiguration"]["alarms"] == changed


def test_fargate_run_task_without_container_memory_starts_the_task(ecs_service):
    ecs, cluster, _ = ecs_service
    family = unique("fargate")
    ecs.register_task_definition(
        family=family,
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "migrate", "image": "app:1", "essential": True}],
    )
    ec2 = boto3.client("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]
    group = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [subnet["VpcId"]]}])[
        "SecurityGroups"
    ][0]
    network = {"subnets": [subnet["SubnetId"]], "securityGroups": [group["GroupId"]]}
    tasks = ecs.run_task(
        cluster=cluster,
        taskDefinition=family,
        launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": network},
    )["tasks"]
    assert len(tasks) == 1
    assert tasks[0]["taskDefinitionArn"].endswith(f"{family}:1")


def test_bare_family_describes_the_latest_active_revision(ecs_service):
    ecs, _, family = ecs_service
    ecs.register_task_definition(
        family=family, containerDefinitions=[{"name": "app", "image": "app:2", "memory": 128}]
    )
    assert ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["revision"] == 2
    ecs.deregister_task_definition(taskDefinition=f"{family}:2")
    assert ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["revision"] == 1
