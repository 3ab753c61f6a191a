"""What a deploy is asked to do, what became of it, and the commands that follow it up."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from lmsops.deploy import interrupts

SUCCEEDED = "succeeded"
DRY_RUN = "dry-run"
ROLLED_BACK = "rolled-back"
ROLLBACK_FAILED = "rollback-failed"
FAILED = "failed"
RUN_BEFORE_FAILED = "run-before-failed"
SUPERSEDED = "superseded"
INTERRUPTED = "interrupted"
REFUSED = "refused"


@dataclass
class DeployRequest:
    cluster: str
    service: str
    image: str
    container: str | None = None
    env_vars: dict[str, str] = field(default_factory=dict)
    from_running: bool = False
    run_before: str | None = None
    keep: int | None = None
    dry_run: bool = False
    poll_interval: float = 10.0
    timeout: float = 600.0
    bake: float = 0.0


@dataclass
class DeployResult:
    outcome: str
    cluster: str
    service: str
    container: str
    image: str
    previous_task_definition: str
    source_task_definition: str
    source_reason: str = ""
    new_task_definition: str | None = None
    deployment_id: str | None = None
    rollback_deployment_id: str | None = None
    state: str = ""
    reason: str = ""
    events: list[str] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)
    deregistered: list[str] = field(default_factory=list)
    one_off_task: str | None = None
    signal: str | None = None
    next_steps: list[str] = field(default_factory=list)
    duration_seconds: float = 0.0

    @property
    def registered(self) -> str:
        """new_task_definition, for the steps that run only once it is registered."""
        if self.new_task_definition is None:
            raise AssertionError("no task definition was registered yet")
        return self.new_task_definition

    diff: str = ""

    @property
    def exit_code(self) -> int:
        if self.outcome in (SUCCEEDED, DRY_RUN):
            return 0
        if self.outcome == REFUSED:
            return 2
        if self.outcome == INTERRUPTED:
            return interrupts.exit_code(self.signal or "SIGINT")
        return 1

    def as_dict(self) -> dict:
        return {**asdict(self), "exit_code": self.exit_code}


def status_command(cluster: str, service: str) -> str:
    return f"lmsops deploy status --cluster {cluster} --service {service} --wait"


def rollback_command(cluster: str, service: str, to: str) -> str:
    return f"lmsops deploy rollback --cluster {cluster} --service {service} --to {to}"
