"""ECS tasks in the emulator that cannot start: a missing image, a failing health check.

The gap fill below ("Gap: ... AWS: ...") is installed by lmsops.emulator.gaps.apply().
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from moto.core.utils import utcnow
from moto.ecr.models import ecr_backends
from moto.ecs.models import EC2ContainerServiceBackend
from moto.moto_api._internal import mock_random

from lmsops.emulator.gaps.ecs_deployments import (
    HELD_THIS_TIME,
    STARTED_BY_EMULATOR,
    add_ecs_service_event,
    circuit_breaker_threshold,
    fail_ecs_deployment,
)

# Emulator-only marker for tests (never needed in modules or live roots): a container with
# this Docker label set to "unhealthy" fails its health checks in the emulator.
EMULATOR_HEALTH_LABEL = "lmsops.emulator/health"
EMULATOR_UNHEALTHY = "unhealthy"
# Stopped tasks kept per failing deployment (AWS keeps them about an hour; a poller that
# describes a failing service without a circuit breaker must not grow the emulator forever).
STOPPED_TASKS_KEPT = 10
ECR_IMAGE = re.compile(
    r"^(?P<account>[0-9]{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/"
    r"(?P<repository>[^:@]+)(?::(?P<tag>[^@]+))?(?:@(?P<digest>sha256:[a-f0-9]{64}))?$"
)


@dataclass(frozen=True)
class TaskFailure:
    """Why the tasks of a revision stop, as DescribeTasks and the service events tell it."""

    stopped_reason: str
    stop_code: str
    container: str
    container_reason: str | None
    exit_code: int | None
    health_status: str
    event: str


def fail_ecs_deployments_whose_tasks_cannot_start() -> None:
    """Gap: every emulated ECS deployment completes, even when its tasks could never start.

    AWS: a task whose image cannot be pulled stops at once (lastStatus STOPPED, stopCode
    TaskFailedToStart, stoppedReason and the container's reason "CannotPullContainerError:
    ... not found"); a task that fails its health checks is stopped by the scheduler
    ("Task failed container health checks", container healthStatus UNHEALTHY). ECS keeps
    launching replacements (`failedTasks` grows, service events tell each start and stop).
    With the deployment circuit breaker enabled, once failedTasks reaches the threshold
    (half the desired count, at least 3, at most 200) the deployment is FAILED
    ("ECS deployment circuit breaker: tasks failed to start."); with rollback on, ECS
    starts a new PRIMARY deployment of the last COMPLETED deployment's task definition
    and the service's taskDefinition goes back to it. Stopped tasks are listed by
    ListTasks desiredStatus=STOPPED with startedBy = the deployment id.

    Emulated, for deployments UpdateService started (the deploy path; the first deployment
    of CreateService still completes, because a Terraform apply creates the ECR repository
    and the service together, so no image can have been pushed yet): each DescribeServices
    launches one task of the IN_PROGRESS PRIMARY deployment; if it cannot start, it is
    recorded STOPPED and the deployment stays IN_PROGRESS (or fails and rolls back as
    above). A deployment of the rollback completes on the next DescribeServices when its
    own tasks can start. A task cannot start when:
    - an image of this account's emulated ECR (`<account>.dkr.ecr.<region>.amazonaws.com/
      <repository>[:tag][@digest]`, no tag meaning `latest`) is not in the emulator's ECR:
      CannotPullContainerError. Images of other registries or accounts are pulled
      successfully: the emulator cannot know what they hold;
    - a container has the emulator-only Docker label `lmsops.emulator/health=unhealthy`
      (tests use it to fail health checks; modules never need it).
    """
    original_describe = EC2ContainerServiceBackend.describe_services

    def describe_services(self: Any, cluster_str: str, service_names_or_arns: list[str]) -> Any:
        services, failures = original_describe(self, cluster_str, service_names_or_arns)
        for service in services:
            launch_failing_task(self, service)
        return services, failures

    EC2ContainerServiceBackend.describe_services = describe_services


def task_start_failure(account_id: str, task_definition: Any) -> TaskFailure | None:
    """Why tasks of TASK_DEFINITION cannot run in the emulator, or None when they can."""
    containers = task_definition.container_definitions
    for container in containers:
        reason = image_pull_failure(account_id, container.get("image", ""))
        if reason:
            return TaskFailure(
                stopped_reason=reason,
                stop_code="TaskFailedToStart",
                container=container.get("name", ""),
                container_reason=reason,
                exit_code=None,
                health_status="UNKNOWN",
                event=f"failed to start: {reason}",
            )
    for container in containers:
        labels = container.get("dockerLabels") or {}
        if labels.get(EMULATOR_HEALTH_LABEL) == EMULATOR_UNHEALTHY:
            return TaskFailure(
                stopped_reason="Task failed container health checks",
                stop_code="ServiceSchedulerInitiated",
                container=container.get("name", ""),
                container_reason=None,
                exit_code=137,
                health_status="UNHEALTHY",
                event="failed container health checks.",
            )
    return None


def image_pull_failure(account_id: str, image: str) -> str | None:
    """CannotPullContainerError text for an image of the account's ECR that is not there."""
    match = ECR_IMAGE.match(image)
    if not match or match["account"] != account_id:
        return None  # another registry or account: the emulator cannot know, it pulls
    tag, digest = match["tag"], match["digest"]
    if not tag and not digest:
        tag = "latest"
    repository = ecr_backends[account_id][match["region"]].repositories.get(match["repository"])
    for stored in repository.images if repository else []:
        if (not tag or tag in stored.image_tags) and (
            not digest or stored.get_image_digest() == digest
        ):
            return None
    reference = image if (match["tag"] or digest) else f"{image}:latest"
    return (
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): "
        f"failed to resolve ref {reference}: {reference}: not found"
    )


def launch_failing_task(backend: Any, service: Any) -> None:
    """One task launch of the service's IN_PROGRESS deployment, when its tasks cannot run."""
    primary = next((d for d in service.deployments if d["status"] == "PRIMARY"), None)
    if not primary or primary.get("rolloutState") != "IN_PROGRESS":
        return
    if not primary.get(STARTED_BY_EMULATOR):
        return
    definition = backend.describe_task_definition(primary["taskDefinition"])
    failure = task_start_failure(backend.account_id, definition)
    if failure is None:
        return
    primary[HELD_THIS_TIME] = True
    task = EmulatedStoppedTask(backend, service, primary, definition, failure)
    if primary["failedTasks"] < STOPPED_TASKS_KEPT:
        backend.tasks.setdefault(service.cluster_name, {})[task.task_arn] = task
    primary["failedTasks"] += 1
    primary["updatedAt"] = utcnow()
    add_ecs_service_event(
        service, f"(service {service.name}) has started 1 tasks: (task {task.id})."
    )
    add_ecs_service_event(service, f"(service {service.name}) (task {task.id}) {failure.event}")
    breaker = (getattr(service, "deployment_configuration", None) or {}).get(
        "deploymentCircuitBreaker"
    ) or {}
    if breaker.get("enable") and primary["failedTasks"] >= circuit_breaker_threshold(
        service.desired_count
    ):
        fail_ecs_deployment(service, primary, roll_back=bool(breaker.get("rollback")))


class EmulatedStoppedTask:
    """A task of a deployment that stopped, in the shape DescribeTasks answers.

    moto's own Task would create a network interface per launch; a stopped task has none.
    """

    def __init__(
        self,
        backend: Any,
        service: Any,
        deployment: dict[str, Any],
        definition: Any,
        failure: TaskFailure,
    ) -> None:
        now = utcnow()
        self.id = mock_random.uuid4().hex
        self.task_arn = (
            f"arn:aws:ecs:{backend.region_name}:{backend.account_id}:task/"
            f"{service.cluster_name}/{self.id}"
        )
        self.cluster_arn = service.cluster_arn
        self.cluster_name = service.cluster_name
        self.task_definition_arn = definition.arn
        self.container_instance_arn = None
        self.started_by = deployment["id"]
        self.group = f"service:{service.name}"
        self.launch_type = service.launch_type
        self.platform_version = service.platform_version
        self.desired_status = "STOPPED"
        self.last_status = "STOPPED"
        self.stop_code = failure.stop_code
        self.stopped_reason = failure.stopped_reason
        self.health_status = failure.health_status
        self.created_at = now
        self.started_at = now if failure.exit_code is not None else None
        self.stopping_at = now
        self.stopped_at = now
        self.cpu = definition.cpu
        self.memory = definition.memory
        self.tags: list[dict[str, str]] = []
        self.overrides: dict[str, Any] = {}
        self.containers = [
            self._container(container, failure) for container in definition.container_definitions
        ]

    def _container(self, container: dict[str, Any], failure: TaskFailure) -> dict[str, Any]:
        failed = container.get("name") == failure.container
        described = {
            "containerArn": f"{self.task_arn.replace(':task/', ':container/')}/"
            f"{mock_random.uuid4()}",
            "taskArn": self.task_arn,
            "name": container.get("name"),
            "image": container.get("image"),
            "lastStatus": "STOPPED",
            "healthStatus": failure.health_status if failed else "UNKNOWN",
        }
        if failed and failure.container_reason:
            described["reason"] = failure.container_reason
        if failure.exit_code is not None:
            described["exitCode"] = failure.exit_code
        return described

    def advance(self) -> None:
        """moto's DescribeTasks advances each task's state; a stopped task stays stopped."""
