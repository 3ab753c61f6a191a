"""One deploy from start to end: render, register, (one-off task), update, watch, roll back.

Which revision a deploy starts from is `revisions.choose_base`; which revisions `--keep`
may deregister is `_prune` (never Terraform's, the running one or the rollback target).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from botocore.exceptions import ClientError

from lmsops.annotations import Client
from lmsops.deploy import alarms, ecs, interrupts, oneoff, render, revisions, rollout
from lmsops.deploy.guards import (
    primary_completed,
    refuse_concurrent_deployment,
    require_ecs_controller,
)
from lmsops.deploy.outcome import (
    DRY_RUN,
    INTERRUPTED,
    REFUSED,
    ROLLBACK_FAILED,
    ROLLED_BACK,
    RUN_BEFORE_FAILED,
    SUCCEEDED,
    SUPERSEDED,
    DeployRequest,
    DeployResult,
    rollback_command,
    status_command,
)
from lmsops.errors import UserError


@dataclass
class Deployer:
    client: Client
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    log: Callable[[str], None]
    # Hooks filled in by the CLI: checks before anything is registered, and why a
    # deployment failed. Both optional so the flow stays testable on its own.
    preflight: Callable[[dict, dict, str, str | None], None] | None = None
    diagnose: Callable[[str, str, str | None, str | None], list[str]] | None = None
    # CloudWatch client factory: deployment alarms (why ECS rolled back, --bake).
    cloudwatch: Callable[[], Client] | None = None
    _result: DeployResult | None = field(default=None, init=False)
    _watcher_in_use: rollout.Watcher | None = field(default=None, init=False)
    _update_sent: bool = field(default=False, init=False)

    def deploy(self, request: DeployRequest) -> DeployResult:
        started = self.clock()
        self._result, self._watcher_in_use, self._update_sent = None, None, False
        try:
            result = self._deploy(request)
        except KeyboardInterrupt as interrupt:
            if self._result is None:
                raise  # nothing was registered: a plain interrupt says it all
            result = self._interrupted(self._result, interrupt)
        result.duration_seconds = round(self.clock() - started, 3)
        return result

    def _deploy(self, request: DeployRequest) -> DeployResult:
        service = ecs.describe_service(self.client, request.cluster, request.service)
        require_ecs_controller(service)
        refuse_concurrent_deployment(service, request.cluster)
        alarm_names = alarms.deployment_alarm_names(service)
        if request.bake and not alarm_names:
            raise UserError(
                f"--bake watches the service's deployment alarms, but {request.service} has "
                "none (deploymentConfiguration.alarms): enable them in its Terraform module "
                "or deploy without --bake"
            )
        previous = service["taskDefinition"]
        running = revisions.describe(self.client, previous)
        base = self._choose_base(request, service, running)
        container = render.choose_container(base.source.definition, request.container)
        fields = ecs.register_fields(self.client)
        before = render.register_input(base.source.definition, base.source.other_tags(), fields)
        changes = {**base.carried_env, **request.env_vars}
        after = render.render(before, container, request.image, changes)
        after["tags"] = revisions.new_tags(base, list(request.env_vars), previous)
        result = DeployResult(
            outcome=DRY_RUN,
            cluster=request.cluster,
            service=request.service,
            container=container,
            image=request.image,
            previous_task_definition=previous,
            source_task_definition=base.source.arn,
            source_reason=base.why,
            diff=render.diff(before, after, base.source.arn, "new revision"),
        )
        if self.preflight is not None:
            self.preflight(service, after, container, _image_of(running.definition, container))
        if request.dry_run:
            return result

        new_arn = self.client.register_task_definition(**after)["taskDefinition"][
            "taskDefinitionArn"
        ]
        result.new_task_definition = new_arn
        self._result = result
        self.log(f"registered {new_arn} from {base.source.arn}: {base.why}")

        if request.run_before:
            if not self._run_before(request, service, after, container, result):
                self._mark(new_arn, revisions.FAILED)
                return result
            if not self._still_ours(request, previous, result):
                return result
        return self._roll_out(request, service, result, base.terraform_arn, alarm_names)

    def _choose_base(
        self, request: DeployRequest, service: dict, running: revisions.Revision
    ) -> revisions.Base:
        if request.from_running:
            return revisions.Base(
                running,
                None,
                {},
                running.env_var_names,
                "--from-running: the revision the service runs",
            )
        return revisions.choose_base(self.client, running, primary_completed(service))

    def _run_before(
        self,
        request: DeployRequest,
        service: dict,
        rendered: dict,
        container: str,
        result: DeployResult,
    ) -> bool:
        command = request.run_before
        assert command is not None  # _deploy runs this only with --run-before
        arguments = oneoff.run_task_arguments(
            request.cluster, service, result.registered, container, command
        )
        try:
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
        except KeyboardInterrupt as interrupt:
            result.one_off_task = getattr(interrupt, "stopped_task", None)
            raise
        result.one_off_task = one_off.task_arn
        if not one_off.ok:
            result.outcome = RUN_BEFORE_FAILED
            result.reason = f"--run-before task {one_off.task_arn}: {one_off.reason}"
            self.log(f"{result.reason}; the service was not updated")
        return one_off.ok

    def _still_ours(self, request: DeployRequest, previous: str, result: DeployResult) -> bool:
        """After a long --run-before: has someone else deployed meanwhile?"""
        service = ecs.describe_service(self.client, request.cluster, request.service)
        try:
            refuse_concurrent_deployment(service, request.cluster)
            if service["taskDefinition"] != previous:
                raise UserError(
                    f"the service now runs {service['taskDefinition']}, not {previous}: "
                    "someone deployed while --run-before ran"
                )
        except UserError as refusal:
            result.outcome = REFUSED
            result.reason = f"{refusal}; the service was not updated"
            self._mark(result.new_task_definition, revisions.REFUSED)
            self.log(result.reason)
            return False
        return True

    def _roll_out(
        self,
        request: DeployRequest,
        service: dict,
        result: DeployResult,
        terraform_arn: str | None,
        alarm_names: list[str],
    ) -> DeployResult:
        watcher = self._watcher(request)
        self._watcher_in_use = watcher
        watcher.remember_events(service)
        self._update_sent = True
        deployment_id = watcher.start(result.registered)
        if deployment_id is None:
            outcome = rollout.Outcome(
                rollout.NOT_STARTED,
                f"no PRIMARY deployment of {result.new_task_definition} after update_service",
            )
        else:
            result.deployment_id = deployment_id
            self.log(f"service {request.service} updated; following deployment {deployment_id}")
            outcome = watcher.watch(
                deployment_id, result.registered, result.previous_task_definition
            )
        result.reason = outcome.reason
        result.events = outcome.events
        result.state = outcome.state
        if outcome.succeeded:
            self.log(f"deployment {deployment_id} COMPLETED")
            if request.bake and self._bake_fired(request, result, alarm_names):
                self._roll_back(watcher, result, {}, ecs_may_roll_back=False)
                return result
            result.outcome = SUCCEEDED
            self._mark(result.new_task_definition, revisions.COMPLETED)
            if request.keep:
                result.deregistered = self._prune(request.keep, result, terraform_arn)
            return result
        self.log(f"deployment failed ({outcome.state}): {outcome.reason}")
        if outcome.state == rollout.SUPERSEDED:
            result.outcome = SUPERSEDED
            self._mark(result.new_task_definition, revisions.SUPERSEDED)
            self.log("another deployment replaced ours; not rolling back over it")
            return result
        result.diagnostics = self._diagnose(request, result)
        self._explain_alarms(result, alarm_names)
        primary = rollout.primary_deployment(watcher.describe()) or {}
        self._roll_back(
            watcher, result, primary, ecs_may_roll_back=outcome.state != rollout.NOT_STARTED
        )
        return result

    def _mark(self, arn: str | None, status: str) -> None:
        """Record what became of our revision; a refused tag is reported, never fatal."""
        try:
            revisions.mark(self.client, arn, status)
        except ClientError as exc:
            self.log(f"could not tag {arn} {revisions.STATUS}={status}: {exc}")

    def _bake_fired(self, request: DeployRequest, result: DeployResult, names: list[str]) -> bool:
        """Watch the deployment alarms for --bake seconds; True when one fired."""
        self.log(f"baking {request.bake:g} s: watching alarms {', '.join(names)}")
        fired = alarms.bake(
            self._cloudwatch(),
            names,
            request.bake,
            request.poll_interval,
            clock=self.clock,
            sleep=self.sleep,
            log=self.log,
        )
        if fired is None:
            return False
        result.state = "BAKE_FAILED"
        result.alarms = [fired.line()]
        result.reason = (
            f"deployment alarm {fired.name} fired during the {request.bake:g} s bake after "
            f"deployment {result.deployment_id} COMPLETED: {fired.reason}"
        )
        self.log(result.reason)
        return True

    def _explain_alarms(self, result: DeployResult, names: list[str]) -> None:
        """Name the deployment alarms in ALARM: ECS rolls back when one fires."""
        if not names or self.cloudwatch is None:
            return
        try:
            found = alarms.firing(self._cloudwatch(), names)
        except Exception as exc:  # the rollback must go on whatever CloudWatch answers
            result.alarms = [f"deployment alarms unavailable: {exc}"]
            return
        result.alarms = [alarm.line() for alarm in found]
        if found:
            named = "; ".join(f"{a.name}: {a.reason}" for a in found)
            result.reason = f"deployment alarm(s) in ALARM ({named}); {result.reason}"
            self.log(f"  alarm: {named}")

    def _cloudwatch(self):
        if self.cloudwatch is None:
            raise UserError("--bake needs a CloudWatch client")
        return self.cloudwatch()

    def _diagnose(self, request: DeployRequest, result: DeployResult) -> list[str]:
        if self.diagnose is None:
            return []
        try:
            lines = self.diagnose(
                request.cluster, request.service, result.deployment_id, result.new_task_definition
            )
        except Exception as exc:  # the rollback must go on whatever diagnostics hit
            lines = [f"diagnostics unavailable: {exc}"]
        for line in lines:
            self.log(f"  why: {line}")
        return lines

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
            self._mark(result.new_task_definition, revisions.FAILED)
            return
        back = watcher.watch(deployment_id, previous)
        result.events = back.events or result.events
        if back.succeeded:
            result.outcome = ROLLED_BACK
            self._mark(result.new_task_definition, revisions.ROLLED_BACK)
            self.log(f"rolled back: the service runs {previous} again")
        else:
            result.outcome = ROLLBACK_FAILED
            self._mark(result.new_task_definition, revisions.FAILED)
            result.reason += f"; rollback to {previous} also failed: {back.reason}"

    def _prune(self, keep: int, result: DeployResult, terraform_arn: str | None) -> list[str]:
        """Deregister ACTIVE revisions beyond the newest KEEP.

        Never the new (running) revision, the rollback target, or the revision Terraform
        manages: deregistering that one makes Terraform plan to register it again.
        """
        family = ecs.family_of(result.registered)
        protected = {
            result.new_task_definition,
            result.previous_task_definition,
            result.source_task_definition,
            terraform_arn or revisions.terraform_managed(self.client, family),
        }
        return revisions.prune(self.client, family, keep, protected, self.log)

    def _interrupted(self, result: DeployResult, interrupt: BaseException) -> DeployResult:
        result.outcome = INTERRUPTED
        result.signal = interrupts.signal_name(interrupt)
        cluster, service = result.cluster, result.service
        previous = result.previous_task_definition
        if result.deployment_id is None and not self._update_sent:
            result.state = "service not updated"
            result.reason = (
                f"{result.signal} before the service was updated; it still runs {previous}"
            )
            if result.one_off_task:
                result.reason += f"; the --run-before task {result.one_off_task} was stopped"
            _quietly(revisions.mark, self.client, result.new_task_definition, revisions.INTERRUPTED)
            return result
        watcher = self._watcher_in_use
        service_seen = watcher.last_service if watcher else {}
        following = result.rollback_deployment_id or result.deployment_id or "(not seen yet)"
        ours: dict = next(
            (d for d in service_seen.get("deployments", []) if d.get("id") == following), {}
        )
        result.state = ours.get("rolloutState", "unknown")
        what = "rollback deployment" if result.rollback_deployment_id else "deployment"
        result.reason = (
            f"{result.signal} while following {what} {following} ({result.state} when last "
            "seen); ECS goes on with it"
        )
        result.next_steps = [status_command(cluster, service)]
        if not result.rollback_deployment_id:
            result.next_steps.append(rollback_command(cluster, service, previous))
        return result

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


def _image_of(task_definition: dict, container: str) -> str | None:
    found = [c for c in task_definition.get("containerDefinitions", []) if c["name"] == container]
    return found[0].get("image") if found else None


def _quietly(action: Callable[..., object], *arguments: object) -> None:
    """Best effort while interrupted: a second failure must not hide the report."""
    with contextlib.suppress(Exception):
        action(*arguments)
