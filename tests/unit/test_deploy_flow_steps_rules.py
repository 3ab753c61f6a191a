"""What each step of a deploy reports: rolling out, rolling back, --run-before, an interrupt.

The end-to-end flow tests (test_deploy_flow.py) script every ECS call; here one step runs
against a fake watcher and a fake ECS client, and its outcome, reason, log lines and tags
are asserted exactly (the mutants these steps left alive, docs/mutation.md).
"""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from lmsops.deploy import flow, revisions, rollout
from lmsops.deploy.outcome import DeployRequest, DeployResult
from lmsops.errors import UserError

PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition"
NEW, PREVIOUS = f"{PREFIX}/lms:9", f"{PREFIX}/lms:8"
TASK = "arn:aws:ecs:us-east-1:123456789012:task/c/abc"
STATUS_CMD = "lmsops deploy status --cluster c --service s --wait"
ROLLBACK_CMD = f"lmsops deploy rollback --cluster c --service s --to {PREVIOUS}"


class FakeEcs:
    """Records tags (what became of a revision) and answers the one-off task's calls."""

    def __init__(self, refuse_tags: bool = False, task_statuses: list[dict] | None = None):
        self.refuse_tags = refuse_tags
        self.task_statuses = task_statuses or []
        self.tagged: list[tuple[str, str]] = []

    def tag_resource(self, resourceArn, tags):
        if self.refuse_tags:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "TagResource")
        [tag] = tags
        self.tagged.append((resourceArn, f"{tag['key']}={tag['value']}"))

    def run_task(self, **arguments):
        return {"tasks": [{"taskArn": TASK}], "failures": []}

    def describe_tasks(self, cluster, tasks):
        return {"tasks": [self.task_statuses.pop(0)]}

    def stop_task(self, **arguments):
        pass


class FakeWatcher:
    """rollout.Watcher's interface: START answers per revision, WATCH outcomes in order."""

    def __init__(self, starts: dict, outcomes: list[rollout.Outcome], primary: dict | None = None):
        self.starts = starts
        self.outcomes = outcomes
        self.primary = primary
        self.last_service: dict = {}
        self.started: list[str] = []
        self.watched: list[tuple] = []

    def remember_events(self, service):
        pass

    def start(self, arn):
        self.started.append(arn)
        answer = self.starts[arn]
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def watch(self, deployment_id, arn, previous=None):
        self.watched.append((deployment_id, arn, previous))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def describe(self):
        return {"deployments": [self.primary] if self.primary else []}


def result(**changes) -> DeployResult:
    values = {
        "outcome": "",
        "cluster": "c",
        "service": "s",
        "container": "app",
        "image": "img",
        "previous_task_definition": PREVIOUS,
        "source_task_definition": PREVIOUS,
        "new_task_definition": NEW,
    }
    return DeployResult(**{**values, **changes})


class Steps(flow.Deployer):
    """A Deployer whose deploy() goes straight to the roll-out, with a fake watcher."""

    fake_watcher: FakeWatcher
    prepared: DeployResult

    def _watcher(self, request):
        return self.fake_watcher

    def _deploy(self, request):
        self._result = self.prepared
        return self._roll_out(request, {"events": []}, self.prepared, None, [])


def steps(watcher: FakeWatcher, client: FakeEcs, log: list[str], res: DeployResult) -> Steps:
    d = Steps(client, lambda: 0.0, lambda seconds: None, log.append)
    d.fake_watcher, d.prepared = watcher, res
    return d


def reported(d: flow.Deployer, request: DeployRequest) -> DeployResult:
    """deploy() once something was registered: an interrupt is reported, never raised."""
    try:
        return d.deploy(request)
    except KeyboardInterrupt:
        pytest.fail("the interrupt escaped deploy() instead of being reported")


def deployer(client, log: list[str]) -> flow.Deployer:
    return flow.Deployer(client, lambda: 0.0, lambda seconds: None, log.append)


REQUEST = DeployRequest("c", "s", "img")
DONE = rollout.Outcome(rollout.COMPLETED, "ECS deployment ecs-svc/1 completed.", "ecs-svc/1")


# --- rolling out ---------------------------------------------------------------------------


def test_a_completed_rollout_keeps_the_watchers_state_and_events_and_watches_our_revision():
    watcher = FakeWatcher({NEW: "ecs-svc/1"}, [rollout.Outcome(**{**vars(DONE), "events": ["e1"]})])
    client, log = FakeEcs(), []
    res = steps(watcher, client, log, result()).deploy(REQUEST)
    assert (res.outcome, res.state, res.events) == ("succeeded", "COMPLETED", ["e1"])
    assert res.reason == "ECS deployment ecs-svc/1 completed."
    assert watcher.watched == [("ecs-svc/1", NEW, PREVIOUS)]
    assert client.tagged == [(NEW, "lmsops:deploy-status=completed")]


def test_keep_after_a_completed_rollout_deregisters_beyond_the_newest_keep():
    """Revisions 9 (new) .. 1 ACTIVE; 8 runs before, 5 is Terraform's: --keep 3 keeps 9, 8, 7."""

    class Family(FakeEcs):
        def __init__(self):
            super().__init__()
            self.deregistered: list[str] = []

        def get_paginator(self, name):
            return self

        def paginate(self, familyPrefix, status):
            yield {"taskDefinitionArns": [f"{PREFIX}/lms:{n}" for n in range(1, 10)]}

        def deregister_task_definition(self, taskDefinition):
            self.deregistered.append(taskDefinition)

    client = Family()
    watcher = FakeWatcher({NEW: "ecs-svc/1"}, [DONE])
    d = steps(watcher, client, [], result())
    d._deploy = lambda request: d._roll_out(request, {}, d.prepared, f"{PREFIX}/lms:5", [])
    res = d.deploy(DeployRequest("c", "s", "img", keep=3))
    assert res.deregistered == [f"{PREFIX}/lms:{n}" for n in (6, 4, 3, 2, 1)]
    assert client.deregistered == res.deregistered


def test_a_superseded_rollout_logs_why_it_failed_and_that_it_does_not_roll_back():
    replaced = rollout.Outcome(rollout.SUPERSEDED, "superseded by deployment ecs-svc/2")
    watcher = FakeWatcher({NEW: "ecs-svc/1"}, [replaced])
    client, log = FakeEcs(), []
    res = steps(watcher, client, log, result()).deploy(REQUEST)
    assert res.outcome == "superseded"
    assert log == [
        "service s updated; following deployment ecs-svc/1",
        "deployment failed (SUPERSEDED): superseded by deployment ecs-svc/2",
        "another deployment replaced ours; not rolling back over it",
    ]
    assert watcher.started == [NEW]
    assert client.tagged == [(NEW, "lmsops:deploy-status=superseded")]


# --- rolling back --------------------------------------------------------------------------


def test_a_rollback_that_starts_no_deployment_fails_and_marks_our_revision_failed():
    watcher = FakeWatcher({PREVIOUS: None}, [])
    client, log = FakeEcs(), []
    res = result(reason="tasks failed")
    deployer(client, log)._roll_back(watcher, res, {}, ecs_may_roll_back=True)
    assert res.outcome == "rollback-failed"
    assert res.reason == f"tasks failed; rollback to {PREVIOUS} did not start a deployment"
    assert res.rollback_deployment_id is None
    assert client.tagged == [(NEW, "lmsops:deploy-status=failed")]
    assert log == [f"rolling back to {PREVIOUS}"]
    assert watcher.watched == []


def test_a_rollback_we_start_is_watched_on_the_previous_revision_and_logged():
    back = rollout.Outcome(rollout.COMPLETED, "done", "ecs-svc/back", ["rolled back event"])
    watcher = FakeWatcher({PREVIOUS: "ecs-svc/back"}, [back])
    client, log = FakeEcs(), []
    res = result(reason="tasks failed", events=["rollout event"])
    deployer(client, log)._roll_back(watcher, res, {}, ecs_may_roll_back=True)
    assert (res.outcome, res.rollback_deployment_id) == ("rolled-back", "ecs-svc/back")
    assert watcher.watched == [("ecs-svc/back", PREVIOUS, None)]
    assert res.events == ["rolled back event"]
    assert res.reason == "tasks failed"
    assert log == [f"rolling back to {PREVIOUS}", f"rolled back: the service runs {PREVIOUS} again"]
    assert client.tagged == [(NEW, "lmsops:deploy-status=rolled-back")]


def test_ecs_rolling_back_itself_is_followed_not_started_and_its_silence_keeps_our_events():
    ecs_rollback = {"id": "ecs-svc/ecs", "taskDefinition": PREVIOUS}
    failed = rollout.Outcome(rollout.FAILED, "old image gone", "ecs-svc/ecs", [])
    watcher = FakeWatcher({}, [failed])
    client, log = FakeEcs(), []
    res = result(reason="circuit breaker", events=["rollout event"])
    deployer(client, log)._roll_back(watcher, res, ecs_rollback, ecs_may_roll_back=True)
    assert watcher.started == []
    assert watcher.watched == [("ecs-svc/ecs", PREVIOUS, None)]
    assert res.events == ["rollout event"]
    assert (res.outcome, res.rollback_deployment_id) == ("rollback-failed", "ecs-svc/ecs")
    assert res.reason == f"circuit breaker; rollback to {PREVIOUS} also failed: old image gone"
    assert log == [f"ECS is already rolling back to {PREVIOUS} (deployment ecs-svc/ecs)"]
    assert client.tagged == [(NEW, "lmsops:deploy-status=failed")]


# --- --run-before --------------------------------------------------------------------------

RENDERED = {"containerDefinitions": [{"name": "app", "essential": True}]}


def run_before(client: FakeEcs, log: list[str], res: DeployResult) -> bool:
    request = DeployRequest("c", "s", "img", run_before="bin/migrate", poll_interval=1)
    return deployer(client, log)._run_before(request, {}, RENDERED, "app", res)


def test_a_failed_run_before_task_is_named_logged_and_the_service_not_updated():
    stopped = {"lastStatus": "STOPPED", "containers": [{"name": "app", "exitCode": 3}]}
    client, log, res = FakeEcs(task_statuses=[stopped]), [], result()
    assert run_before(client, log, res) is False
    assert (res.outcome, res.one_off_task) == ("run-before-failed", TASK)
    assert res.reason == f"--run-before task {TASK}: container app exited 3: no reason given"
    assert log[-1] == f"{res.reason}; the service was not updated"


def test_a_run_before_task_that_succeeds_is_recorded():
    stopped = {"lastStatus": "STOPPED", "containers": [{"name": "app", "exitCode": 0}]}
    client, log, res = FakeEcs(task_statuses=[stopped]), [], result()
    assert run_before(client, log, res) is True
    assert (res.outcome, res.one_off_task) == ("", TASK)


def test_an_interrupt_before_the_one_off_task_started_records_no_task():
    class Interrupted(FakeEcs):
        def run_task(self, **arguments):
            raise KeyboardInterrupt

    res = result(one_off_task="left over")
    with pytest.raises(KeyboardInterrupt):
        run_before(Interrupted(), [], res)
    assert res.one_off_task is None


# --- an interrupt --------------------------------------------------------------------------


def test_an_interrupt_during_the_update_itself_is_reported_as_following_an_unseen_deployment():
    """update_service was sent: ECS may be deploying, so the service is not 'not updated'."""
    watcher = FakeWatcher({NEW: KeyboardInterrupt()}, [])
    client = FakeEcs()
    res = reported(steps(watcher, client, [], result()), REQUEST)
    assert (res.outcome, res.signal, res.exit_code) == ("interrupted", "SIGINT", 130)
    assert res.state == "unknown"
    assert res.reason == (
        "SIGINT while following deployment (not seen yet) (unknown when last seen); "
        "ECS goes on with it"
    )
    assert res.next_steps == [STATUS_CMD, ROLLBACK_CMD]
    assert client.tagged == []


def test_an_interrupt_while_following_our_deployment_names_it_and_its_last_state():
    watcher = FakeWatcher({NEW: "ecs-svc/1"}, [KeyboardInterrupt()])
    watcher.last_service = {
        "deployments": [
            {"id": "ecs-svc/old", "rolloutState": "COMPLETED"},
            {"id": "ecs-svc/1", "rolloutState": "IN_PROGRESS"},
        ]
    }
    res = reported(steps(watcher, FakeEcs(), [], result()), REQUEST)
    assert (res.deployment_id, res.state) == ("ecs-svc/1", "IN_PROGRESS")
    assert res.reason == (
        "SIGINT while following deployment ecs-svc/1 (IN_PROGRESS when last seen); "
        "ECS goes on with it"
    )
    assert res.next_steps == [STATUS_CMD, ROLLBACK_CMD]


def test_an_interrupt_while_following_the_rollback_names_it_and_offers_no_second_rollback():
    failed = rollout.Outcome(rollout.FAILED, "tasks failed", "ecs-svc/1")
    starts = {NEW: "ecs-svc/1", PREVIOUS: "ecs-svc/back"}
    watcher = FakeWatcher(starts, [failed, KeyboardInterrupt()])
    watcher.last_service = {"deployments": [{"id": "ecs-svc/1", "rolloutState": "FAILED"}]}
    res = reported(steps(watcher, FakeEcs(), [], result()), REQUEST)
    assert (res.rollback_deployment_id, res.state) == ("ecs-svc/back", "unknown")
    assert res.reason == (
        "SIGINT while following rollback deployment ecs-svc/back (unknown when last seen); "
        "ECS goes on with it"
    )
    assert res.next_steps == [STATUS_CMD]


def test_an_interrupt_with_a_deployment_but_no_watcher_recorded_reports_an_unknown_state():
    """_interrupted's own guard: no watcher means nothing was seen, not a crash."""
    d = deployer(FakeEcs(), [])
    d._update_sent = True
    res = d._interrupted(result(deployment_id="ecs-svc/1"), KeyboardInterrupt())
    assert (res.outcome, res.state) == ("interrupted", "unknown")


def test_an_interrupt_before_the_update_is_reported_even_when_tagging_fails():
    d = deployer(FakeEcs(refuse_tags=True), [])
    res = d._interrupted(result(one_off_task=TASK), KeyboardInterrupt())
    assert (res.outcome, res.state) == ("interrupted", "service not updated")
    assert res.reason == (
        f"SIGINT before the service was updated; it still runs {PREVIOUS}; "
        f"the --run-before task {TASK} was stopped"
    )


# --- alarms --------------------------------------------------------------------------------


class TwoAlarms:
    """DescribeAlarms with StateValue=ALARM: both deployment alarms fire."""

    def get_paginator(self, name):
        return self

    def paginate(self, **kwargs):
        yield {
            "MetricAlarms": [
                {"AlarmName": "lms-5xx", "StateValue": "ALARM", "StateReason": "5xx above 5"},
                {"AlarmName": "lms-p99", "StateValue": "ALARM", "StateReason": "p99 above 2 s"},
            ]
        }


def test_two_alarms_in_alarm_are_joined_by_a_semicolon():
    log: list[str] = []
    d = flow.Deployer(FakeEcs(), lambda: 0.0, lambda s: None, log.append, cloudwatch=TwoAlarms)
    res = result(reason="tasks failed")
    d._explain_alarms(res, ["lms-5xx", "lms-p99"])
    named = "lms-5xx: 5xx above 5; lms-p99: p99 above 2 s"
    assert res.reason == f"deployment alarm(s) in ALARM ({named}); tasks failed"
    assert log == [f"  alarm: {named}"]


def test_an_interrupt_before_anything_is_registered_is_raised_as_it_came():
    class Early(flow.Deployer):
        def _deploy(self, request):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Early(FakeEcs(), lambda: 0.0, lambda s: None, [].append).deploy(REQUEST)


def test_the_duration_is_the_clock_difference_in_milliseconds():
    watcher = FakeWatcher({NEW: "ecs-svc/1"}, [DONE])
    d = steps(watcher, FakeEcs(), [], result())
    d.clock = iter([100.0, 112.34567]).__next__
    assert d.deploy(REQUEST).duration_seconds == 12.346


def test_a_deployment_in_progress_is_refused_with_commands_naming_the_cluster():
    class Busy(FakeEcs):
        def describe_services(self, cluster, services):
            deployment = {"id": "ecs-svc/2", "taskDefinition": NEW, "rolloutState": "IN_PROGRESS"}
            return {
                "services": [{"serviceName": "s", "status": "ACTIVE", "deployments": [deployment]}]
            }

    with pytest.raises(UserError) as refused:
        deployer(Busy(), []).deploy(DeployRequest("lms-dev", "s", "img"))
    assert str(refused.value).endswith(
        "(lmsops deploy status --cluster lms-dev --service s --wait) or roll it back "
        "(lmsops deploy rollback --cluster lms-dev --service s --to <revision ARN>)"
    )


# --- what the pre-flight and --from-running are handed ---------------------------------------


def test_the_image_the_named_container_runs_is_found_among_several():
    definition = {
        "containerDefinitions": [
            {"name": "app", "image": "repo/app:1"},
            {"name": "proxy", "image": "repo/proxy:2"},
        ]
    }
    assert flow._image_of(definition, "proxy") == "repo/proxy:2"
    assert flow._image_of(definition, "app") == "repo/app:1"
    assert flow._image_of(definition, "worker") is None
    assert flow._image_of({}, "app") is None


def test_from_running_starts_from_the_running_revision_and_says_so():
    running = revisions.Revision(
        {"taskDefinitionArn": PREVIOUS}, {revisions.ENV_VARS: "FEATURE MODE"}
    )
    request = DeployRequest("c", "s", "img", from_running=True)
    base = deployer(FakeEcs(), [])._choose_base(request, {}, running)
    assert (base.source, base.terraform_arn, base.carried_env) == (running, None, {})
    assert base.env_var_names == ["FEATURE", "MODE"]
    assert base.why == "--from-running: the revision the service runs"


# --- a dry run: what the pre-flight sees and the result says --------------------------------

RUNNING_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms:old"


def ecs_client():
    return boto3.client(
        "ecs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def running_service(alarms: bool = False) -> dict:
    described = {
        "serviceName": "s",
        "status": "ACTIVE",
        "taskDefinition": PREVIOUS,
        "deployments": [
            {
                "id": "ecs-svc/1",
                "status": "PRIMARY",
                "rolloutState": "COMPLETED",
                "taskDefinition": PREVIOUS,
            }
        ],
    }
    if alarms:
        described["deploymentConfiguration"] = {
            "alarms": {"enable": False, "rollback": False, "alarmNames": ["a"]}
        }
    return described


def test_a_dry_run_hands_the_preflight_the_service_the_rendered_revision_and_the_running_image():
    client = ecs_client()
    seen = []
    d = flow.Deployer(client, lambda: 0.0, lambda s: None, [].append)
    d.preflight = lambda *checked: seen.append(checked)
    definition = {
        "taskDefinitionArn": PREVIOUS,
        "family": "lms",
        "containerDefinitions": [
            {"name": "proxy", "image": "repo/proxy:1"},
            {"name": "app", "image": RUNNING_IMAGE},
        ],
    }
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [running_service()]})
        stub.add_response(
            "describe_task_definition",
            {"taskDefinition": definition, "tags": [{"key": "Project", "value": "lms"}]},
        )
        stub.add_response("list_task_definitions", {"taskDefinitionArns": [PREVIOUS]})
        res = d.deploy(DeployRequest("c", "s", "repo/lms:new", container="app", dry_run=True))
    [(service, rendered, container, current_image)] = seen
    assert (service["serviceName"], container, current_image) == ("s", "app", RUNNING_IMAGE)
    assert rendered["containerDefinitions"][1]["image"] == "repo/lms:new"
    assert {"key": "Project", "value": "lms"} in rendered["tags"]
    assert (res.outcome, res.image) == ("dry-run", "repo/lms:new")
    assert f"--- {PREVIOUS}\n+++ new revision\n" in res.diff
    # The source's own tags are on both sides of the diff: only what changes is marked.
    added = [line for line in res.diff.splitlines() if line.startswith("+")]
    assert not [line for line in added if '"Project"' in line or '"lms"' in line]
    assert '+      "image": "repo/lms:new",' in added


def test_bake_without_deployment_alarms_says_where_to_enable_them():
    client = ecs_client()
    with Stubber(client) as stub:
        stub.add_response("describe_services", {"services": [running_service(alarms=True)]})
        with pytest.raises(UserError) as refused:
            deployer(client, []).deploy(DeployRequest("c", "s", "repo/lms:new", bake=60))
    assert str(refused.value) == (
        "--bake watches the service's deployment alarms, but s has none "
        "(deploymentConfiguration.alarms): enable them in its Terraform module or deploy "
        "without --bake"
    )
