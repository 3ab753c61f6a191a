"""ECS services and task definitions in the emulator: what CreateService, RunTask and
DescribeTaskDefinition answer. Deployments are in ecs_deployments, tasks that cannot
start in ecs_task_failures.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

from moto.core.utils import camelcase_to_underscores
from moto.ecs.models import EC2ContainerServiceBackend, Service
from moto.ecs.responses import EC2ContainerServiceResponse

# AWS default for a new ECS service that does not send availabilityZoneRebalancing:
# ENABLED when the service is compatible (replica scheduling, ECS deployment controller),
# DISABLED otherwise (ECS change of September 2025).
AZ_REBALANCING_ENABLED = "ENABLED"
AZ_REBALANCING_DISABLED = "DISABLED"

# CreateService parameters moto accepts but does not keep, with what AWS answers when
# the request leaves them out (None: AWS leaves the field out of the service too).
ECS_SERVICE_ECHOED_PARAMETERS: dict[str, Any] = {
    "healthCheckGracePeriodSeconds": None,
    "deploymentConfiguration": {
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
    },
    "enableExecuteCommand": False,
    "enableECSManagedTags": False,
    "placementConstraints": [],
    "placementStrategy": [],
}


def echo_ecs_availability_zone_rebalancing() -> None:
    """Gap: moto's ECS CreateService ignores availabilityZoneRebalancing.

    AWS: the service stores the value sent to CreateService and returns it from
    Create/Describe/UpdateService; when CreateService omits it AWS picks ENABLED for a
    compatible service (REPLICA scheduling, ECS deployment controller) and DISABLED
    otherwise; UpdateService without it keeps the current value. moto drops it on
    create, so the provider plans a change on every run. (moto's UpdateService already
    stores it, as it copies every parameter onto the service.)
    """
    # Services made by other paths (e.g. CloudFormation) answer DISABLED, as old AWS ones.
    Service.availability_zone_rebalancing = AZ_REBALANCING_DISABLED
    original_create = EC2ContainerServiceResponse.create_service

    def create_service(self: EC2ContainerServiceResponse) -> Any:
        result = original_create(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        service.availability_zone_rebalancing = self._get_param(
            "availabilityZoneRebalancing"
        ) or default_availability_zone_rebalancing(service)
        return result

    EC2ContainerServiceResponse.create_service = create_service


def default_availability_zone_rebalancing(service: Any) -> str:
    """AWS's choice when CreateService does not say: ENABLED if the service supports it."""
    compatible = (
        service.scheduling_strategy == "REPLICA"
        and service.deployment_controller.get("type", "ECS") == "ECS"
    )
    return AZ_REBALANCING_ENABLED if compatible else AZ_REBALANCING_DISABLED


def echo_ecs_service_deployment_settings() -> None:
    """Gap: moto's ECS CreateService drops health-check grace, deployment and exec settings.

    AWS: CreateService stores `healthCheckGracePeriodSeconds`, `deploymentConfiguration`
    (circuit breaker, minimum/maximum percent), `enableExecuteCommand`,
    `enableECSManagedTags`, `placementConstraints` and `placementStrategy`, and
    DescribeServices returns them (with AWS's defaults when not sent). moto forgets
    them, so `health_check_grace_period_seconds` plans a change on every run and a
    boto3 check of the circuit breaker sees nothing. UpdateService already keeps them
    (moto copies every UpdateService parameter onto the service).
    """
    original_create = EC2ContainerServiceResponse.create_service

    def create_service(self: EC2ContainerServiceResponse) -> Any:
        result = original_create(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        for name, default in ECS_SERVICE_ECHOED_PARAMETERS.items():
            value = self._get_param(name)
            if value is None:
                value = copy.deepcopy(default)
            if value is not None:
                setattr(service, camelcase_to_underscores(name), value)
        return result

    EC2ContainerServiceResponse.create_service = create_service


def run_fargate_tasks_without_container_memory() -> None:
    """Gap: ECS RunTask fails (HTTP 500) when a container sets no memory of its own.

    AWS: Fargate task definitions usually size memory at task level only; containers
    without `memory`/`memoryReservation` are valid and RunTask starts the task. moto adds
    each container's memory to compute placement and crashes on None (`int += None`).
    A container without either value now counts as 0 (the task-level memory covers it).
    """
    original = EC2ContainerServiceBackend._calculate_task_resource_requirements

    def with_memory(container: dict[str, Any]) -> dict[str, Any]:
        keys = ("memory", "memoryReservation", "Memory", "MemoryReservation")
        return container if any(key in container for key in keys) else {**container, "memory": 0}

    def calculate(task_definition: Any) -> dict[str, Any]:
        containers = [with_memory(c) for c in task_definition.container_definitions]
        return original(SimpleNamespace(container_definitions=containers))  # type: ignore[arg-type]  # only container_definitions is read

    EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(calculate)


def describe_latest_active_task_definition() -> None:
    """Gap: DescribeTaskDefinition of a bare family returns the newest revision even if INACTIVE.

    AWS: "If a revision isn't specified, the latest ACTIVE revision is used." moto takes the
    highest revision number, so after the newest revision is deregistered a deploy renders
    from a dead revision. A bare family now resolves to its highest ACTIVE revision (moto's
    answer stays when the family has none). Numbering of new revisions is unchanged.
    """
    original = EC2ContainerServiceBackend.describe_task_definition

    def describe_task_definition(self: Any, task_definition_str: str) -> Any:
        name = task_definition_str.rsplit("/", maxsplit=1)[-1]
        if ":" not in name:
            active = [
                revision
                for revision, definition in self.task_definitions.get(name, {}).items()
                if definition.status == "ACTIVE"
            ]
            if active:
                return original(self, f"{name}:{max(active)}")
        return original(self, task_definition_str)

    EC2ContainerServiceBackend.describe_task_definition = describe_task_definition
