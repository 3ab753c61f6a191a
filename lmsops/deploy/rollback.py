"""`lmsops deploy rollback`: put the service back on an earlier revision, and follow it.

The default target is the revision the service ran before the current deploy (the
`lmsops:previous` tag the deploy recorded). It works while a deployment is in progress,
which is the case after an interrupted deploy. Nothing is registered. The images the
target brings back are checked to be in ECR first (the deploy's pre-flight), and a service
that already runs the target (e.g. ECS rolled back itself) is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from lmsops.annotations import Client
from lmsops.deploy import ecs, revisions, rollout
from lmsops.errors import UserError

ROLLED_BACK = "rolled-back"
ROLLBACK_FAILED = "rollback-failed"
ALREADY_ON_TARGET = "already-on-target"


@dataclass
class RollbackResult:
    outcome: str
    cluster: str
    service: str
    from_task_definition: str
    to_task_definition: str
    deployment_id: str | None = None
    reason: str = ""
    events: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if self.outcome in (ROLLED_BACK, ALREADY_ON_TARGET) else 1

    def as_dict(self) -> dict:
        return {**asdict(self), "exit_code": self.exit_code}


@dataclass
class Rollback:
    client: Client
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    log: Callable[[str], None]
    # How the suggested commands name the service, e.g. "--env dev".
    target_flags: str = ""
    # Checks of the target before the service is updated (the CLI: its images are in ECR):
    # called with the described service, the running revision and the target.
    preflight: Callable[[dict, revisions.Revision, revisions.Revision], None] | None = None

    def run(
        self, cluster: str, service: str, *, to: str | None, poll_interval: float, timeout: float
    ) -> RollbackResult:
        described = ecs.describe_service(self.client, cluster, service)
        current = revisions.describe(self.client, described["taskDefinition"])
        target = self._target(current, to)
        busy = rollout.primary_deployment(described) or {}
        if target.arn == current.arn:
            return self._already_on(cluster, service, target.arn, busy)
        if self.preflight is not None:
            self.preflight(described, current, target)
        watcher = rollout.Watcher(
            self.client, cluster, service, poll_interval, timeout, self.clock, self.sleep, self.log
        )
        watcher.remember_events(described)
        self.log(f"rolling {service} back from {current.arn} to {target.arn}")
        result = RollbackResult(ROLLBACK_FAILED, cluster, service, current.arn, target.arn)
        result.deployment_id = watcher.start(target.arn)
        if result.deployment_id is None:
            result.reason = f"update_service started no deployment of {target.arn}"
            return result
        outcome = watcher.watch(result.deployment_id, target.arn)
        result.reason, result.events = outcome.reason, outcome.events
        if outcome.succeeded:
            result.outcome = ROLLED_BACK
            if current.by_lmsops and current.arn != target.arn:
                revisions.mark(self.client, current.arn, revisions.ROLLED_BACK)
        return result

    def _already_on(self, cluster: str, service: str, arn: str, primary: dict) -> RollbackResult:
        """The service runs the target already (e.g. ECS rolled back itself): change nothing."""
        result = RollbackResult(ALREADY_ON_TARGET, cluster, service, arn, arn)
        result.reason = f"already on {arn}; nothing to do"
        if primary.get("rolloutState") == "IN_PROGRESS":
            result.deployment_id = primary.get("id")
            flags = self.target_flags or f"--cluster {cluster} --service {service}"
            result.reason += (
                f" (its deployment {result.deployment_id} is IN_PROGRESS: follow it with "
                f"lmsops deploy status {flags} --wait)"
            )
        self.log(result.reason)
        return result

    def _target(self, current: revisions.Revision, to: str | None) -> revisions.Revision:
        family = ecs.family_of(current.arn)
        reference = to or current.tags.get(revisions.PREVIOUS)
        if not reference:
            raise UserError(
                f"{current.arn} records no previous revision (it was not registered by "
                "lmsops deploy); name the revision to go back to with --to"
            )
        if reference.isdigit():
            reference = f"{family}:{reference}"
        target = revisions.describe(self.client, reference)
        if target.definition.get("family") != family:
            raise UserError(
                f"{target.arn} is of family {target.definition.get('family')}, but the service "
                f"runs family {family}: roll back to a revision of {family}"
            )
        if target.definition.get("status") != "ACTIVE":
            raise UserError(
                f"{target.arn} is {target.definition.get('status')}, not ACTIVE (deregistered, "
                f"e.g. by --keep): {self._suggestion(current)}"
            )
        return target

    def _suggestion(self, current: revisions.Revision) -> str:
        return suggest_active_target(self.client, current.arn, self.target_flags)


def suggest_active_target(client: Client, current_arn: str, target_flags: str) -> str:
    """The rollback command to an ACTIVE revision: the newest that completed a deployment."""
    family = ecs.family_of(current_arn)
    candidate = revisions.newest_rollback_candidate(client, family, current_arn)
    flags = target_flags or "--cluster <cluster> --service <service>"
    if candidate is None:
        return (
            f"family {family} has no other ACTIVE revision that completed a deployment; "
            "apply the backend's Terraform root, or deploy an earlier image"
        )
    return (
        "roll back to an ACTIVE revision, e.g. the newest that completed a deployment: "
        f"lmsops deploy rollback {flags} --to {ecs.revision_of(candidate)}"
    )


def print_result(result: RollbackResult, output: str) -> None:
    if output == "json":
        print(json.dumps(result.as_dict(), indent=2, sort_keys=True))
        return
    if result.outcome == ALREADY_ON_TARGET:
        print(f"{result.service} on {result.cluster}: {result.reason}")
        return
    print(f"{result.outcome}: {result.service} on {result.cluster}")
    print(f"  from       {result.from_task_definition}")
    print(f"  to         {result.to_task_definition}")
    print(f"  deployment {result.deployment_id}")
    if result.exit_code:
        print(f"  reason     {result.reason}")
        for event in result.events:
            print(f"  event      {event}")
