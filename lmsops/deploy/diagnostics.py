"""Why a deployment failed: the stopped tasks it started and the service's recent events.

ECS's rolloutStateReason only says "tasks failed to start"; the cause (an image that
cannot be pulled, a crash with exit code 1, failed health checks) is on the stopped tasks
(stoppedReason, stopCode, each container's exitCode and reason) and in the service events.

Public interface
----------------
`diagnose(client, cluster, service, *, deployment_id=None, task_definition_arn=None,
          since=None, described_service=None, limit=10) -> Diagnosis`
    client               an ECS client
    cluster, service     names or ARNs
    deployment_id        "ecs-svc/..." of the deployment; its tasks are those ECS started
                         with startedBy = this id (ListTasks startedBy, desiredStatus=STOPPED)
    task_definition_arn  keep only tasks of this revision (without deployment_id, the
                         service's stopped tasks are listed by serviceName and filtered)
    since                datetime (timezone-aware); only events created at or after it
                         (e.g. when the deploy started)
    described_service    a DescribeServices result to take the events from (saves a call)
    limit                how many stopped tasks to describe (newest first, at most 100)
    Calls: ListTasks, DescribeTasks, and DescribeServices unless described_service is given.
    ClientErrors propagate (wrap the call in `ecs.aws_errors()`).

`Diagnosis` (dataclass)
    stopped_tasks: list[StoppedTask]   newest first
    events: list[ServiceEvent]         oldest first
    .reasons() -> list[tuple[str, int]]  distinct stoppedReasons with their task counts
    .lines() -> list[str]   human-readable lines to print (no trailing newlines)
    .as_dict() -> dict      JSON-ready (datetimes as ISO 8601 strings)

`StoppedTask(task_arn, task_definition_arn, stopped_reason, stop_code, stopped_at,
             containers: list[ContainerStop])`
`ContainerStop(name, exit_code, reason, health_status)`
`ServiceEvent(created_at, message)`
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

DESCRIBE_TASKS_MAX = 100
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ContainerStop:
    name: str
    exit_code: int | None
    reason: str | None
    health_status: str | None


@dataclass(frozen=True)
class StoppedTask:
    task_arn: str
    task_definition_arn: str
    stopped_reason: str
    stop_code: str | None
    stopped_at: dt.datetime | None
    containers: list[ContainerStop] = field(default_factory=list)

    @property
    def task_id(self) -> str:
        return self.task_arn.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ServiceEvent:
    created_at: dt.datetime | None
    message: str


@dataclass
class Diagnosis:
    cluster: str
    service: str
    deployment_id: str | None
    task_definition_arn: str | None
    stopped_tasks: list[StoppedTask] = field(default_factory=list)
    events: list[ServiceEvent] = field(default_factory=list)

    def reasons(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for task in self.stopped_tasks:
            counts[task.stopped_reason] = counts.get(task.stopped_reason, 0) + 1
        return sorted(counts.items(), key=lambda item: -item[1])

    def lines(self) -> list[str]:
        what = f"deployment {self.deployment_id}" if self.deployment_id else "the deployment"
        if self.task_definition_arn:
            what += f" of {_short(self.task_definition_arn)}"
        if not self.stopped_tasks:
            lines = [f"{what}: no stopped tasks found"]
        else:
            lines = [f"{what}: {len(self.stopped_tasks)} stopped task(s)"]
            lines += [f"  {count} x {reason}" for reason, count in self.reasons()]
            for task in self.stopped_tasks:
                lines.append(
                    f"  task {task.task_id} ({_short(task.task_definition_arn)}) stopped "
                    f"{_time(task.stopped_at)} [{task.stop_code or 'no stop code'}]: "
                    f"{task.stopped_reason}"
                )
                lines += [f"    container {_container_line(c)}" for c in task.containers]
        if self.events:
            lines.append(f"service {self.service} events:")
            lines += [f"  {_time(e.created_at)} {e.message}" for e in self.events]
        return lines

    def as_dict(self) -> dict:
        return _jsonable(asdict(self)) | {"reasons": [list(r) for r in self.reasons()]}


def diagnose(
    client: Any,
    cluster: str,
    service: str,
    *,
    deployment_id: str | None = None,
    task_definition_arn: str | None = None,
    since: dt.datetime | None = None,
    described_service: dict | None = None,
    limit: int = 10,
) -> Diagnosis:
    """The stopped tasks of the deployment and the service events since SINCE."""
    arns = _stopped_task_arns(client, cluster, service, deployment_id)
    tasks = _describe(client, cluster, arns)
    if task_definition_arn:
        tasks = [t for t in tasks if t.get("taskDefinitionArn") == task_definition_arn]
    tasks.sort(key=lambda t: t.get("stoppedAt") or _EPOCH, reverse=True)
    if described_service is None:
        found = client.describe_services(cluster=cluster, services=[service])["services"]
        described_service = found[0] if found else {}
    return Diagnosis(
        cluster=cluster,
        service=service,
        deployment_id=deployment_id,
        task_definition_arn=task_definition_arn,
        stopped_tasks=[_stopped_task(t) for t in tasks[: min(limit, DESCRIBE_TASKS_MAX)]],
        events=_events(described_service, since),
    )


def _stopped_task_arns(
    client: Any, cluster: str, service: str, deployment_id: str | None
) -> list[str]:
    filters = {"startedBy": deployment_id} if deployment_id else {"serviceName": service}
    arns: list[str] = []
    paginator = client.get_paginator("list_tasks")
    for page in paginator.paginate(cluster=cluster, desiredStatus="STOPPED", **filters):
        arns.extend(page.get("taskArns", []))
    return arns


def _describe(client: Any, cluster: str, arns: list[str]) -> list[dict]:
    tasks: list[dict] = []
    for start in range(0, len(arns), DESCRIBE_TASKS_MAX):
        chunk = arns[start : start + DESCRIBE_TASKS_MAX]
        tasks.extend(client.describe_tasks(cluster=cluster, tasks=chunk).get("tasks", []))
    return tasks


def _stopped_task(task: dict) -> StoppedTask:
    return StoppedTask(
        task_arn=task.get("taskArn", ""),
        task_definition_arn=task.get("taskDefinitionArn", ""),
        stopped_reason=task.get("stoppedReason") or "no stoppedReason given",
        stop_code=task.get("stopCode"),
        stopped_at=task.get("stoppedAt"),
        containers=[
            ContainerStop(
                name=c.get("name", "?"),
                exit_code=c.get("exitCode"),
                reason=c.get("reason"),
                health_status=c.get("healthStatus"),
            )
            for c in task.get("containers", [])
        ],
    )


def _events(service: dict, since: dt.datetime | None) -> list[ServiceEvent]:
    events = [
        ServiceEvent(e.get("createdAt"), e.get("message", ""))
        for e in service.get("events", [])
        if since is None or (e.get("createdAt") and e["createdAt"] >= since)
    ]
    return list(reversed(events))  # ECS lists newest first; print in the order they happened


def _container_line(container: ContainerStop) -> str:
    parts = ["exit code " + ("none" if container.exit_code is None else str(container.exit_code))]
    if container.health_status and container.health_status != "UNKNOWN":
        parts.append(f"health {container.health_status}")
    if container.reason:
        parts.append(f"reason: {container.reason}")
    return f"{container.name}: {', '.join(parts)}"


def _short(task_definition_arn: str) -> str:
    """'arn:...:task-definition/lms-dev:8' -> 'lms-dev:8'."""
    return task_definition_arn.rsplit("/", 1)[-1]


def _time(value: dt.datetime | None) -> str:
    if value is None:
        return "(time unknown)"
    return value.astimezone(dt.UTC).strftime("%H:%M:%SZ")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value
