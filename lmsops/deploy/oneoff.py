"""`--run-before`: a one-off task (e.g. database migrations) on the new revision.

It runs with the service's own network configuration and launch settings, and must
stop with exit code 0 in every essential container before the service is updated.
Interrupted (Ctrl-C, SIGTERM) while it runs, the task is stopped before the interrupt
goes on: a migration must not keep running after its deploy was abandoned.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass

from lmsops.annotations import Client

STARTED_BY = "lmsops-deploy"


@dataclass
class OneOffResult:
    ok: bool
    task_arn: str | None
    reason: str


def run_task_arguments(
    cluster: str, service: dict, task_definition_arn: str, container: str, command: str
) -> dict:
    """run_task arguments that place the task like the service's own tasks."""
    arguments = {
        "cluster": cluster,
        "taskDefinition": task_definition_arn,
        "count": 1,
        "startedBy": STARTED_BY,
        "overrides": {"containerOverrides": [{"name": container, "command": shlex.split(command)}]},
    }
    if service.get("networkConfiguration"):
        arguments["networkConfiguration"] = service["networkConfiguration"]
    if service.get("capacityProviderStrategy"):
        arguments["capacityProviderStrategy"] = service["capacityProviderStrategy"]
    elif service.get("launchType"):
        arguments["launchType"] = service["launchType"]
    if service.get("platformVersion"):
        arguments["platformVersion"] = service["platformVersion"]
    return arguments


def essential_containers(task_definition: dict) -> set[str]:
    return {c["name"] for c in task_definition["containerDefinitions"] if c.get("essential", True)}


def exit_failures(task: dict, essential: set[str]) -> list[str]:
    """Why the stopped TASK failed: one line per essential container not exiting 0."""
    failures = []
    seen = set()
    for container in task.get("containers", []):
        name = container.get("name")
        seen.add(name)
        if name not in essential:
            continue
        code = container.get("exitCode")
        if code != 0:
            detail = container.get("reason") or task.get("stoppedReason") or "no reason given"
            failures.append(
                f"container {name} exited {code if code is not None else '?'}: {detail}"
            )
    failures.extend(
        f"container {name} did not report an exit code" for name in sorted(essential - seen)
    )
    return failures


def run_before(
    client: Client,
    arguments: dict,
    *,
    essential: set[str],
    timeout: float,
    poll_interval: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    log: Callable[[str], None],
) -> OneOffResult:
    response = client.run_task(**arguments)
    if response.get("failures") or not response.get("tasks"):
        return OneOffResult(False, None, f"run_task failed: {response.get('failures')}")
    task_arn = response["tasks"][0]["taskArn"]
    log(f"one-off task {task_arn} started")
    try:
        return _follow(
            client,
            arguments["cluster"],
            task_arn,
            essential=essential,
            timeout=timeout,
            poll_interval=poll_interval,
            clock=clock,
            sleep=sleep,
            log=log,
        )
    except KeyboardInterrupt as interrupt:
        client.stop_task(
            cluster=arguments["cluster"], task=task_arn, reason="lmsops deploy interrupted"
        )
        log(f"stopped one-off task {task_arn}")
        interrupt.stopped_task = task_arn  # type: ignore[attr-defined]  # flow reads it back
        raise


def _follow(
    client: Client,
    cluster: str,
    task_arn: str,
    *,
    essential: set[str],
    timeout: float,
    poll_interval: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    log: Callable[[str], None],
) -> OneOffResult:
    deadline = clock() + timeout
    while True:
        task = client.describe_tasks(cluster=cluster, tasks=[task_arn])["tasks"][0]
        if task.get("lastStatus") == "STOPPED":
            failures = exit_failures(task, essential)
            if failures:
                return OneOffResult(False, task_arn, "; ".join(failures))
            return OneOffResult(True, task_arn, "every essential container exited 0")
        log(f"  one-off task {task.get('lastStatus')}")
        remaining = deadline - clock()
        if remaining <= 0:
            client.stop_task(cluster=cluster, task=task_arn, reason="lmsops deploy timeout")
            return OneOffResult(False, task_arn, f"did not stop within {timeout:g} s; stopped it")
        sleep(min(poll_interval, remaining))
