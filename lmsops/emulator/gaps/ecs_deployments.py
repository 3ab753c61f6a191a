"""ECS deployments in the emulator: started by UpdateService, completed, failed on alarms.

Each function below fills one gap of moto 5.2.5 (its "Gap: ... AWS: ..." docstring);
lmsops.emulator.gaps.apply() installs them with the others.
"""

from __future__ import annotations

import datetime
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.core.utils import utcnow
from moto.ecs.models import EC2ContainerServiceBackend
from moto.moto_api._internal import mock_random


def emulate_ecs_deployments() -> None:
    """Gap: ECS UpdateService starts no deployment, and deployments never complete.

    AWS: UpdateService with a new task definition (or forceNewDeployment) puts a new
    PRIMARY deployment (rolloutState IN_PROGRESS) first in `deployments` and demotes the
    previous one to ACTIVE; once the new tasks run, the PRIMARY is COMPLETED, the ACTIVE
    ones are gone, running = desired, and "deployment completed" / "has reached a steady
    state" events appear. moto keeps the first deployment for ever (IN_PROGRESS, running 0)
    and only rewrites its id, so `lmsops deploy` and `wait_for_steady_state` cannot tell a
    rollout happened or finished. Emulated: UpdateService starts a deployment; the next
    DescribeServices finds its tasks running and completes it. A bare family or
    family:revision is stored as the task definition ARN, as AWS reports it.
    """
    original_update = EC2ContainerServiceBackend.update_service
    original_describe = EC2ContainerServiceBackend.describe_services

    def update_service(self: Any, service_properties: dict[str, Any]) -> Any:
        requested = service_properties.get("task_definition")
        force = bool(service_properties.get("force_new_deployment"))
        cluster = service_properties.get("cluster", "default")
        before = self._get_service(cluster, service_properties["service"].split("/")[-1])
        previous = before.task_definition
        service = original_update(self, service_properties)
        if service.deployment_controller.get("type", "ECS") != "ECS":
            return service
        if requested:
            service.task_definition = self.describe_task_definition(requested).arn
        if service.task_definition != previous or force:
            start_ecs_deployment(service)
        return service

    def describe_services(self: Any, cluster_str: str, service_names_or_arns: list[str]) -> Any:
        services, failures = original_describe(self, cluster_str, service_names_or_arns)
        for service in services:
            complete_ecs_deployment(service)
        return services, failures

    EC2ContainerServiceBackend.update_service = update_service
    EC2ContainerServiceBackend.describe_services = describe_services


# Key of a deployment dict (never serialised: not in the API shape) marking a deployment
# this module started, and one another extension holds back from completing this time.
STARTED_BY_EMULATOR = "_lmsops_started"
HELD_THIS_TIME = "_lmsops_held"
ROLLBACK_DEPLOYMENT = "_lmsops_rollback"


def start_ecs_deployment(service: Any) -> None:
    """Demote the PRIMARY deployment to ACTIVE and put a new IN_PROGRESS one first."""
    for deployment in service.deployments:
        if deployment["status"] == "PRIMARY":
            deployment["status"] = "ACTIVE"
    deployment_id = f"ecs-svc/{mock_random.randint(0, 32**12)}"
    now = utcnow()
    service.deployments.insert(
        0,
        {
            "createdAt": now,
            "desiredCount": service.desired_count,
            "failedTasks": 0,
            "id": deployment_id,
            "launchType": service.launch_type,
            "pendingCount": 0,
            "rolloutState": "IN_PROGRESS",
            "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
            "runningCount": 0,
            "platformVersion": service.platform_version,
            "networkConfiguration": service.network_configuration or None,
            "platformFamily": "EC2" if service.launch_type == "EC2" else "FARGATE",
            "status": "PRIMARY",
            "taskDefinition": service.task_definition,
            "updatedAt": now,
            STARTED_BY_EMULATOR: True,
        },
    )


def complete_ecs_deployment(service: Any) -> None:
    """Finish an IN_PROGRESS PRIMARY deployment: tasks running, older deployments drained."""
    primary = next((d for d in service.deployments if d["status"] == "PRIMARY"), None)
    if primary is None or primary.get("rolloutState") != "IN_PROGRESS":
        return
    if primary.pop(HELD_THIS_TIME, False):
        return  # its tasks failed this time (fail_ecs_deployments_whose_tasks_cannot_start)
    now = utcnow()
    primary.update(
        runningCount=service.desired_count,
        desiredCount=service.desired_count,
        pendingCount=0,
        rolloutState="COMPLETED",
        rolloutStateReason=f"ECS deployment {primary['id']} completed.",
        updatedAt=now,
    )
    service.deployments = [primary]
    service.running_count = service.desired_count
    service.pending_count = 0
    for message in (
        f"(service {service.name}) (deployment {primary['id']}) deployment completed.",
        f"(service {service.name}) has reached a steady state.",
    ):
        service.events.insert(
            0, {"id": str(mock_random.uuid4()), "createdAt": now, "message": message}
        )


CIRCUIT_BREAKER_REASON = "ECS deployment circuit breaker: tasks failed to start."


def fail_ecs_deployments_on_alarms() -> None:
    """Gap: ECS deployment alarms (`deploymentConfiguration.alarms`) are stored, never watched.

    AWS: while a deployment of a service whose deployment alarms are enabled is in
    progress, ECS watches the named CloudWatch alarms; when one goes into ALARM the
    deployment is FAILED, and with `rollback` on ECS starts a deployment of the last
    COMPLETED revision (the service's taskDefinition goes back to it). moto evaluates no
    metric, but an alarm's state can be set with SetAlarmState. Emulated: each
    DescribeServices fails the IN_PROGRESS deployment UpdateService started when one of
    its alarms has gone into ALARM since the deployment began (so a rollback started after
    the alarm fired is not failed by it), with the reason "ECS deployment alarms detected:
    <names> in ALARM.", and rolls back as the circuit breaker does. So `lmsops deploy`'s
    report of an alarm rollback runs end to end on the emulator.
    """
    original_describe = EC2ContainerServiceBackend.describe_services

    def describe_services(self: Any, cluster_str: str, service_names_or_arns: list[str]) -> Any:
        services, failures = original_describe(self, cluster_str, service_names_or_arns)
        for service in services:
            fail_on_deployment_alarms(self.account_id, service)
        return services, failures

    EC2ContainerServiceBackend.describe_services = describe_services


def fail_on_deployment_alarms(account_id: str, service: Any) -> None:
    """Fail (and maybe roll back) the service's IN_PROGRESS deployment if an alarm fires."""
    primary = next((d for d in service.deployments if d["status"] == "PRIMARY"), None)
    if not primary or primary.get("rolloutState") != "IN_PROGRESS":
        return
    if not primary.get(STARTED_BY_EMULATOR) or primary.get(ROLLBACK_DEPLOYMENT):
        return
    alarms = (getattr(service, "deployment_configuration", None) or {}).get("alarms") or {}
    if not alarms.get("enable"):
        return
    firing = alarms_gone_into_alarm(
        account_id, service.region_name, alarms.get("alarmNames") or [], primary["createdAt"]
    )
    if not firing:
        return
    named = ", ".join(firing)
    fail_ecs_deployment(
        service,
        primary,
        roll_back=bool(alarms.get("rollback")),
        reason=f"ECS deployment alarms detected: {named} in ALARM.",
        cause=f"alarm(s) {named} in ALARM.",
        rollback_by="ECS deployment alarms",
    )


def alarms_gone_into_alarm(
    account_id: str, region: str, names: list[str], since: datetime.datetime
) -> list[str]:
    """Which of NAMES went into state ALARM at or after SINCE, in the emulator's backend."""
    alarms = cloudwatch_backends[account_id][region].alarms
    return [
        name
        for name in names
        if name in alarms
        and alarms[name].state_value == "ALARM"
        and alarms[name].state_updated_timestamp >= since
    ]


def circuit_breaker_threshold(desired_count: int) -> int:
    """Failed tasks that trip the circuit breaker: half the desired count, within 3..200."""
    return max(3, min(200, -(-desired_count // 2)))


def fail_ecs_deployment(
    service: Any,
    primary: dict[str, Any],
    roll_back: bool,
    *,
    reason: str = CIRCUIT_BREAKER_REASON,
    cause: str = "tasks failed to start.",
    rollback_by: str = "ECS deployment circuit breaker",
) -> None:
    """Mark PRIMARY FAILED; with ROLL_BACK, start a deployment of the last COMPLETED one."""
    primary.update(rolloutState="FAILED", rolloutStateReason=reason, updatedAt=utcnow())
    primary.pop(HELD_THIS_TIME, None)
    add_ecs_service_event(
        service,
        f"(service {service.name}) (deployment {primary['id']}) deployment failed: {cause}",
    )
    completed = [d for d in service.deployments if d.get("rolloutState") == "COMPLETED"]
    target = next((d for d in completed if d is not primary), None)
    if not roll_back or target is None:
        return
    service.deployments = [primary]
    service.task_definition = target["taskDefinition"]
    start_ecs_deployment(service)
    rollback = service.deployments[0]
    rollback[HELD_THIS_TIME] = True  # its tasks start on the next DescribeServices
    rollback[ROLLBACK_DEPLOYMENT] = True
    rollback["rolloutStateReason"] = f"{rollback_by}: rolling back to deploymentId {target['id']}."
    add_ecs_service_event(
        service, f"(service {service.name}) rolling back to deployment {target['id']}."
    )


def add_ecs_service_event(service: Any, message: str) -> None:
    """Newest first, as DescribeServices lists them."""
    service.events.insert(
        0, {"id": str(mock_random.uuid4()), "createdAt": utcnow(), "message": message}
    )
