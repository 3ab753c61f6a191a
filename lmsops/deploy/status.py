"""`lmsops deploy status`: where the service's deployments are, and (--wait) follow one."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from lmsops.annotations import Client
from lmsops.deploy import ecs, revisions, rollback, rollout
from lmsops.errors import UserError

RECENT_EVENTS = 10
REVISION_OUTCOME = {
    rollout.COMPLETED: revisions.COMPLETED,
    rollout.FAILED: revisions.FAILED,
    rollout.ROLLED_BACK_BY_ECS: revisions.ROLLED_BACK,
    rollout.SUPERSEDED: revisions.SUPERSEDED,
}


@dataclass
class StatusReport:
    cluster: str
    service: str
    task_definition: str
    revision_status: str | None
    rollback_target: str | None
    # ECS status of rollback_target: INACTIVE once deregistered (e.g. by --keep).
    rollback_target_status: str | None = None
    rollback_hint: str = ""
    deployments: list[dict] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    followed: str | None = None
    outcome: str = ""
    reason: str = ""
    diagnostics: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.followed is not None:
            return 0 if self.outcome == rollout.COMPLETED else 1
        primary = next((d for d in self.deployments if d["status"] == "PRIMARY"), {})
        return 1 if primary.get("rolloutState") == rollout.FAILED else 0

    def as_dict(self) -> dict:
        return {**asdict(self), "exit_code": self.exit_code}


@dataclass
class Status:
    client: Client
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    log: Callable[[str], None]
    # Why a followed deployment failed (lmsops.deploy.diagnostics through the CLI).
    diagnose: Callable[[str, str, str | None, str | None], list[str]] | None = None
    # How suggested commands name the service, e.g. "--env dev".
    target_flags: str = ""

    def report(
        self, cluster: str, service: str, *, wait: bool, poll_interval: float, timeout: float
    ) -> StatusReport:
        described = ecs.describe_service(self.client, cluster, service)
        followed, outcome, why = None, None, []
        primary = rollout.primary_deployment(described) or {}
        if wait and primary.get("rolloutState") == "IN_PROGRESS":
            followed = primary["id"]
            outcome = self._follow(
                cluster, service, described, primary, poll_interval=poll_interval, timeout=timeout
            )
            if not outcome.succeeded and self.diagnose is not None:
                why = self.diagnose(cluster, service, followed, primary.get("taskDefinition"))
            described = ecs.describe_service(self.client, cluster, service)
        running = revisions.describe(self.client, described["taskDefinition"])
        report = StatusReport(
            cluster=cluster,
            service=service,
            task_definition=running.arn,
            revision_status=running.status,
            rollback_target=running.tags.get(revisions.PREVIOUS),
            deployments=[_summary(d) for d in described.get("deployments", [])],
            # ECS lists events newest first; oldest first reads like the deploy's own log.
            events=[e.get("message", "") for e in described.get("events", [])[:RECENT_EVENTS]][
                ::-1
            ],
        )
        report.diagnostics = why
        if report.rollback_target:
            self._check_rollback_target(report, report.rollback_target)
        if wait:
            report.followed = followed or primary.get("id")
            report.outcome = outcome.state if outcome else primary.get("rolloutState", "")
            report.reason = outcome.reason if outcome else primary.get("rolloutStateReason", "")
        return report

    def _check_rollback_target(self, report: StatusReport, arn: str) -> None:
        """Is the recorded previous revision still ACTIVE, i.e. can a rollback use it?"""
        try:
            target = revisions.describe(self.client, arn)
        except UserError:
            report.rollback_target_status = "not found"
        else:
            report.rollback_target_status = target.definition.get("status")
        if report.rollback_target_status != "ACTIVE":
            report.rollback_hint = rollback.suggest_active_target(
                self.client, report.task_definition, self.target_flags
            )

    def _follow(
        self,
        cluster: str,
        service: str,
        described: dict,
        primary: dict,
        *,
        poll_interval: float,
        timeout: float,
    ) -> rollout.Outcome:
        revision = revisions.describe(self.client, primary["taskDefinition"])
        watcher = rollout.Watcher(
            self.client, cluster, service, poll_interval, timeout, self.clock, self.sleep, self.log
        )
        watcher.remember_events(described)
        self.log(f"following deployment {primary['id']} of {revision.arn}")
        outcome = watcher.watch(
            primary["id"], revision.arn, revision.tags.get(revisions.PREVIOUS) or None
        )
        if revision.by_lmsops and outcome.state in REVISION_OUTCOME:
            revisions.mark(self.client, revision.arn, REVISION_OUTCOME[outcome.state])
        return outcome


def _summary(deployment: dict) -> dict:
    created = deployment.get("createdAt")
    return {
        "id": deployment.get("id"),
        "status": deployment.get("status"),
        "rolloutState": deployment.get("rolloutState"),
        "rolloutStateReason": deployment.get("rolloutStateReason"),
        "taskDefinition": deployment.get("taskDefinition"),
        "running": deployment.get("runningCount"),
        "pending": deployment.get("pendingCount"),
        "desired": deployment.get("desiredCount"),
        "failedTasks": deployment.get("failedTasks", 0),
        "createdAt": created.isoformat() if isinstance(created, datetime) else created,
    }


def print_report(report: StatusReport, output: str) -> None:
    if output == "json":
        print(json.dumps(report.as_dict(), indent=2, sort_keys=True, default=str))
        return
    print(f"service {report.service} on {report.cluster}")
    print(f"  runs      {report.task_definition} ({report.revision_status or 'not lmsops'})")
    if report.rollback_target:
        state = report.rollback_target_status
        marked = f" ({state}: not a rollback target)" if state != "ACTIVE" else ""
        print(f"  previous  {report.rollback_target}{marked}")
    if report.rollback_hint:
        print(f"  rollback  {report.rollback_hint}")
    for d in report.deployments:
        print(
            f"  {d['status']:<8} {d['id']} {d['rolloutState'] or '-'} {d['taskDefinition']}: "
            f"running {d['running']}, pending {d['pending']}, desired {d['desired']}, "
            f"failed tasks {d['failedTasks']}, since {d['createdAt']}"
        )
    if report.followed:
        print(f"  followed  {report.followed}: {report.outcome} {report.reason}".rstrip())
    for line in report.diagnostics:
        print(f"  why       {line}")
    for event in report.events:
        print(f"  event     {event}")
