"""Start an ECS rolling deployment and follow that one deployment until it settles.

`services_stable` is not enough: after a circuit-breaker rollback the service is stable
again, on the old revision. So we record the id of the PRIMARY deployment our update
created and judge that deployment: COMPLETED is success; FAILED, a timeout, or ECS
replacing it with a deployment of another revision is failure. Who replaced it is told
apart: a deployment of the previous revision is ECS rolling back (circuit breaker or
deployment alarm, as its reason says); a deployment of any other revision is someone
else's update (superseded), which is never rolled back over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lmsops.annotations import Client
from lmsops.deploy import ecs

COMPLETED = "COMPLETED"
FAILED = "FAILED"
TIMED_OUT = "TIMED_OUT"
ROLLED_BACK_BY_ECS = "ROLLED_BACK_BY_ECS"
SUPERSEDED = "SUPERSEDED"
NOT_STARTED = "NOT_STARTED"
RECENT_EVENTS = 10


@dataclass
class Outcome:
    state: str
    reason: str
    deployment_id: str | None = None
    events: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.state == COMPLETED


@dataclass
class Watcher:
    """Polls one service. CLOCK and SLEEP are injected so tests need no real waiting."""

    client: Client
    cluster: str
    service: str
    poll_interval: float
    timeout: float
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    log: Callable[[str], None]
    seen_events: set[str] = field(default_factory=set)
    recent_events: list[str] = field(default_factory=list)
    last_service: dict = field(default_factory=dict)

    def describe(self) -> dict:
        self.last_service = ecs.describe_service(self.client, self.cluster, self.service)
        return self.last_service

    def remember_events(self, service: dict) -> None:
        """Mark the events already present as seen, so only new ones are printed."""
        self.seen_events.update(e["id"] for e in service.get("events", []) if "id" in e)

    def start(self, task_definition_arn: str) -> str | None:
        """update_service onto TASK_DEFINITION_ARN; the id of the deployment it created."""
        response = self.client.update_service(
            cluster=self.cluster, service=self.service, taskDefinition=task_definition_arn
        )
        found = primary_on(response["service"], task_definition_arn)
        if found is None:
            found = primary_on(self.describe(), task_definition_arn)
        return found["id"] if found else None

    def watch(
        self, deployment_id: str, task_definition_arn: str, previous: str | None = None
    ) -> Outcome:
        """Poll until the deployment is COMPLETED, fails, is replaced, or time runs out.

        PREVIOUS is the revision the service ran before: a deployment of it replacing ours
        is ECS rolling back; one of any other revision is another deploy superseding ours.
        """
        started = self.clock()
        deadline = started + self.timeout
        while True:
            service = self.describe()
            self._print_new_events(service)
            outcome = judge(service, deployment_id, task_definition_arn, previous)
            if outcome is not None:
                outcome.events = list(self.recent_events[-RECENT_EVENTS:])
                return outcome
            self.log(progress_line(service, deployment_id, self.clock() - started))
            remaining = deadline - self.clock()
            if remaining <= 0:
                return Outcome(
                    TIMED_OUT,
                    f"deployment {deployment_id} did not complete within {self.timeout:g} s "
                    f"(last rolloutStateReason: {_reason(service, deployment_id)})",
                    deployment_id,
                    list(self.recent_events[-RECENT_EVENTS:]),
                )
            self.sleep(min(self.poll_interval, remaining))

    def _print_new_events(self, service: dict) -> None:
        # ECS lists events newest first; print them in the order they happened.
        for event in reversed(service.get("events", [])):
            event_id = event.get("id")
            if event_id in self.seen_events:
                continue
            self.seen_events.add(event_id)
            message = event.get("message", "")
            self.recent_events.append(message)
            self.log(f"  event: {message}")


def primary_on(service: dict, task_definition_arn: str) -> dict | None:
    primary = primary_deployment(service)
    if primary and primary.get("taskDefinition") == task_definition_arn:
        return primary
    return None


def primary_deployment(service: dict) -> dict | None:
    return next((d for d in service.get("deployments", []) if d.get("status") == "PRIMARY"), None)


def judge(
    service: dict, deployment_id: str, task_definition_arn: str, previous: str | None = None
) -> Outcome | None:
    """The final outcome of the deployment in SERVICE, or None while it is in progress."""
    deployments = service.get("deployments", [])
    ours = next((d for d in deployments if d.get("id") == deployment_id), None)
    if ours is not None and ours.get("rolloutState") == FAILED:
        return Outcome(FAILED, ours.get("rolloutStateReason", "rollout FAILED"), deployment_id)
    if ours is None or ours.get("status") != "PRIMARY":
        return _replaced(service, deployment_id, task_definition_arn, previous)
    state = ours.get("rolloutState")
    if state == COMPLETED:
        return Outcome(COMPLETED, ours.get("rolloutStateReason", "completed"), deployment_id)
    if state is None and _steady_without_rollout_state(deployments, ours):
        return Outcome(COMPLETED, "the only deployment left, all tasks running", deployment_id)
    return None


def _replaced(
    service: dict, deployment_id: str, task_definition_arn: str, previous: str | None
) -> Outcome:
    primary = primary_deployment(service)
    if primary is None:
        return Outcome(
            ROLLED_BACK_BY_ECS, f"deployment {deployment_id} is gone and none is PRIMARY"
        )
    other_id, other_revision = primary.get("id"), primary.get("taskDefinition")
    if other_revision == task_definition_arn:
        return Outcome(
            SUPERSEDED,
            f"deployment {deployment_id} was superseded by deployment {other_id} of the same "
            "revision (another update of the service)",
            deployment_id,
        )
    if previous is not None and other_revision != previous:
        return Outcome(
            SUPERSEDED,
            f"deployment {deployment_id} was superseded by deployment {other_id} of "
            f"{other_revision} (another deploy or update of the service)",
            deployment_id,
        )
    why = primary.get("rolloutStateReason") or "no reason given"
    return Outcome(
        ROLLED_BACK_BY_ECS,
        f"ECS replaced deployment {deployment_id} with {other_id} on {other_revision}: {why}",
        deployment_id,
    )


def _steady_without_rollout_state(deployments: list[dict], ours: dict) -> bool:
    # rolloutState is absent for services behind a Classic Load Balancer: fall back to
    # "the only deployment left, with every desired task running".
    return (
        len(deployments) == 1
        and ours.get("runningCount") == ours.get("desiredCount")
        and not ours.get("pendingCount")
    )


def _deployment(service: dict, deployment_id: str) -> dict:
    """The deployment DEPLOYMENT_ID of SERVICE, {} when the service no longer lists it."""
    deployments = service.get("deployments", [])
    return next((d for d in deployments if d.get("id") == deployment_id), {})


def _reason(service: dict, deployment_id: str) -> str:
    return _deployment(service, deployment_id).get("rolloutStateReason", "none")


def progress_line(service: dict, deployment_id: str, elapsed: float) -> str:
    ours = _deployment(service, deployment_id)
    return (
        f"[{elapsed:5.0f}s] {deployment_id} {ours.get('rolloutState', 'no rolloutState')}: "
        f"running {ours.get('runningCount', '?')}, pending {ours.get('pendingCount', '?')}, "
        f"desired {ours.get('desiredCount', '?')}, failed tasks {ours.get('failedTasks', 0)}; "
        f"{len(service.get('deployments', []))} deployment(s)"
    )
