"""One deploy from start to end: render, register, (one-off task), update, watch, roll back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from lmsops.deploy import ecs, oneoff, render, rollout
from lmsops.errors import UserError

SUCCEEDED = "succeeded"
DRY_RUN = "dry-run"
ROLLED_BACK = "rolled-back"
ROLLBACK_FAILED = "rollback-failed"
FAILED = "failed"
RUN_BEFORE_FAILED = "run-before-failed"


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


@dataclass
class DeployResult:
    outcome: str
    cluster: str
    service: str
    container: str
    image: str
    previous_task_definition: str
    source_task_definition: str
    new_task_definition: str | None = None
    deployment_id: str | None = None
    rollback_deployment_id: str | None = None
    reason: str = ""
    events: list[str] = field(default_factory=list)
    deregistered: list[str] = field(default_factory=list)
    duration_seconds: float = 0.0
    diff: str = ""

    @property
    def exit_code(self) -> int:
        return 0 if self.outcome in (SUCCEEDED, DRY_RUN) else 1

    def as_dict(self) -> dict:
        return {**asdict(self), "exit_code": self.exit_code}


@dataclass
class Deployer:
    client: object
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    log: Callable[[str], None]

    def deploy(self, request: DeployRequest) -> DeployResult:
        started = self.clock()
        result = self._deploy(request)
        result.duration_seconds = round(self.clock() - started, 3)
        return result

    def _deploy(self, request: DeployRequest) -> DeployResult:
        service = ecs.describe_service(self.client, request.cluster, request.service)
        _require_ecs_controller(service)
        previous = service["taskDefinition"]
        source_ref = previous if request.from_running else ecs.family_of(previous)
        source, tags = ecs.describe_task_definition(self.client, source_ref)
        container = render.choose_container(source, request.container)
        before = render.register_input(source, tags, ecs.register_fields(self.client))
        after = render.render(before, container, request.image, request.env_vars)
        result = DeployResult(
            outcome=DRY_RUN,
            cluster=request.cluster,
            service=request.service,
            container=container,
            image=request.image,
            previous_task_definition=previous,
            source_task_definition=source["taskDefinitionArn"],
            diff=render.diff(before, after, source["taskDefinitionArn"], "new revision"),
        )
        if request.dry_run:
            return result

        new_arn = self.client.register_task_definition(**after)["taskDefinition"][
            "taskDefinitionArn"
        ]
        result.new_task_definition = new_arn
        self.log(f"registered {new_arn} (from {result.source_task_definition})")

        if request.run_before and not self._run_before(request, service, after, container, result):
            return result
        return self._roll_out(request, service, result)

    def _run_before(
        self,
        request: DeployRequest,
        service: dict,
        rendered: dict,
        container: str,
        result: DeployResult,
    ) -> bool:
        arguments = oneoff.run_task_arguments(
            request.cluster, service, result.new_task_definition, container, request.run_before
        )
        one_off = oneoff.run_before(
            self.client,
            arguments,
            essential=oneoff.essential_containers(rendered),
            timeout=request.timeout,
            poll_interval=request.poll_interval,
            clock=self.clock,
            sleep=self.sleep,
            log=self.log,
        )
        if not one_off.ok:
            result.outcome = RUN_BEFORE_FAILED
            result.reason = f"--run-before task {one_off.task_arn}: {one_off.reason}"
            self.log(f"{result.reason}; the service was not updated")
        return one_off.ok

    def _roll_out(self, request: DeployRequest, service: dict, result: DeployResult):
        watcher = self._watcher(request)
        watcher.remember_events(service)
        deployment_id = watcher.start(result.new_task_definition)
        if deployment_id is None:
            outcome = rollout.Outcome(
                rollout.NOT_STARTED,
                f"no PRIMARY deployment of {result.new_task_definition} after update_service",
            )
        else:
            result.deployment_id = deployment_id
            self.log(f"service {request.service} updated; following deployment {deployment_id}")
            outcome = watcher.watch(deployment_id, result.new_task_definition)
        result.reason = outcome.reason
        result.events = outcome.events
        if outcome.succeeded:
            result.outcome = SUCCEEDED
            self.log(f"deployment {deployment_id} COMPLETED")
            if request.keep:
                result.deregistered = self._prune(request, result)
            return result
        self.log(f"deployment failed ({outcome.state}): {outcome.reason}")
        primary = rollout.primary_deployment(watcher.describe()) or {}
        ours_or_previous = (result.previous_task_definition, result.new_task_definition)
        if outcome.state == rollout.SUPERSEDED or (
            primary and primary.get("taskDefinition") not in ours_or_previous
        ):
            result.outcome = FAILED
            self.log("another deployment replaced ours; not rolling back over it")
            return result
        self._roll_back(
            watcher, result, primary, ecs_may_roll_back=outcome.state != rollout.NOT_STARTED
        )
        return result

    def _roll_back(
        self,
        watcher: rollout.Watcher,
        result: DeployResult,
        primary: dict,
        ecs_may_roll_back: bool,
    ) -> None:
        previous = result.previous_task_definition
        if ecs_may_roll_back and primary.get("taskDefinition") == previous:
            deployment_id = primary["id"]
            self.log(f"ECS is already rolling back to {previous} (deployment {deployment_id})")
        else:
            self.log(f"rolling back to {previous}")
            deployment_id = watcher.start(previous)
        result.rollback_deployment_id = deployment_id
        if deployment_id is None:
            result.outcome = ROLLBACK_FAILED
            result.reason += f"; rollback to {previous} did not start a deployment"
            return
        back = watcher.watch(deployment_id, previous)
        result.events = back.events or result.events
        if back.succeeded:
            result.outcome = ROLLED_BACK
            self.log(f"rolled back: the service runs {previous} again")
        else:
            result.outcome = ROLLBACK_FAILED
            result.reason += f"; rollback to {previous} also failed: {back.reason}"

    def _prune(self, request: DeployRequest, result: DeployResult) -> list[str]:
        """Deregister ACTIVE revisions beyond the newest KEEP; never the rollback target."""
        family = ecs.family_of(result.new_task_definition)
        protected = {result.new_task_definition, result.previous_task_definition}
        revisions = ecs.active_revisions(self.client, family)
        doomed = [arn for arn in revisions[request.keep :] if arn not in protected]
        for arn in doomed:
            self.client.deregister_task_definition(taskDefinition=arn)
            self.log(f"deregistered {arn}")
        return doomed

    def _watcher(self, request: DeployRequest) -> rollout.Watcher:
        return rollout.Watcher(
            client=self.client,
            cluster=request.cluster,
            service=request.service,
            poll_interval=request.poll_interval,
            timeout=request.timeout,
            clock=self.clock,
            sleep=self.sleep,
            log=self.log,
        )


def _require_ecs_controller(service: dict) -> None:
    controller = service.get("deploymentController", {}).get("type", "ECS")
    if controller != "ECS":
        raise UserError(
            f"service {service.get('serviceName')} uses the {controller} deployment controller; "
            "lmsops deploy drives ECS rolling deployments only"
        )
