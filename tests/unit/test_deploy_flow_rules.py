"""Steps of one deploy the end-to-end flow tests do not pin down (lmsops.deploy.flow).

--keep's protected set when Terraform's revision must be looked up, the re-check after
--run-before, and the bake's log and outcome. Fake clients; every message is exact.
"""

from __future__ import annotations

import pytest

from lmsops.deploy import flow, revisions
from lmsops.deploy.outcome import DeployRequest, DeployResult
from lmsops.errors import UserError

PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition"


def arn(number: int) -> str:
    return f"{PREFIX}/lms:{number}"


class FakeEcs:
    """ACTIVE revisions of family lms (number -> tags), a service, calls recorded."""

    def __init__(self, tags_by_number: dict[int, dict], service: dict | None = None):
        self.tags_by_number = tags_by_number
        self.service = service
        self.deregistered: list[str] = []
        self.tagged: list[tuple[str, list]] = []
        self.described: list[str] = []

    def get_paginator(self, name):
        return self

    def paginate(self, familyPrefix, status):
        yield {"taskDefinitionArns": [arn(n) for n in self.tags_by_number]}

    def describe_task_definition(self, taskDefinition, include):
        self.described.append(taskDefinition)
        number = int(taskDefinition.rsplit(":", 1)[1])
        tags = self.tags_by_number[number]
        return {
            "taskDefinition": {"taskDefinitionArn": arn(number)},
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
        }

    def deregister_task_definition(self, taskDefinition):
        self.deregistered.append(taskDefinition)

    def tag_resource(self, resourceArn, tags):
        self.tagged.append((resourceArn, tags))

    def describe_services(self, cluster, services):
        return {"services": [self.service]}


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def deployer(client, log, cloudwatch=None) -> flow.Deployer:
    clock = Clock()
    return flow.Deployer(client, clock, clock.sleep, log.append, cloudwatch=lambda: cloudwatch)


def result(new=9, previous=8, source=8) -> DeployResult:
    return DeployResult(
        outcome="",
        cluster="c",
        service="s",
        container="app",
        image="img",
        previous_task_definition=arn(previous),
        source_task_definition=arn(source),
        new_task_definition=arn(new),
        deployment_id="ecs-svc/1",
    )


OURS = {revisions.STATUS: "completed"}


def test_keep_looks_up_terraforms_revision_when_the_base_did_not_name_it():
    client = FakeEcs({n: ({} if n == 5 else OURS) for n in range(9, 0, -1)})
    log: list[str] = []
    request = DeployRequest("c", "s", "img", keep=2)
    doomed = deployer(client, log)._prune(request.keep, result(), terraform_arn=None)
    assert doomed == [arn(7), arn(6), arn(4), arn(3), arn(2), arn(1)]
    assert client.deregistered == doomed
    assert log[0] == f"deregistered {arn(7)}"


def test_keep_protects_the_named_terraform_revision_without_looking_it_up():
    client = FakeEcs({n: OURS for n in range(9, 0, -1)})
    request = DeployRequest("c", "s", "img", keep=3)
    doomed = deployer(client, [])._prune(request.keep, result(source=6), terraform_arn=arn(2))
    assert doomed == [arn(5), arn(4), arn(3), arn(1)]
    assert client.described == []


# --- after --run-before ------------------------------------------------------------------


def test_a_service_now_running_another_revision_is_refused_and_ours_tagged_refused():
    client = FakeEcs({}, service={"serviceName": "s", "taskDefinition": arn(7), "deployments": []})
    log: list[str] = []
    res = result()
    assert deployer(client, log)._still_ours(DeployRequest("c", "s", "img"), arn(8), res) is False
    assert res.outcome == "refused"
    assert res.reason == (
        f"the service now runs {arn(7)}, not {arn(8)}: someone deployed while --run-before ran; "
        "the service was not updated"
    )
    assert log == [res.reason]
    assert client.tagged == [(arn(9), [{"key": "lmsops:deploy-status", "value": "refused"}])]


def test_a_deployment_started_meanwhile_is_refused_naming_the_cluster():
    busy = {
        "serviceName": "s",
        "taskDefinition": arn(8),
        "deployments": [
            {"id": "ecs-svc/2", "taskDefinition": arn(7), "rolloutState": "IN_PROGRESS"}
        ],
    }
    res = result()
    ok = deployer(FakeEcs({}, service=busy), [])._still_ours(
        DeployRequest("lms-dev", "s", "img"), arn(8), res
    )
    assert ok is False
    assert res.outcome == "refused"
    assert "--cluster lms-dev --service s" in res.reason
    assert res.reason.endswith("; the service was not updated")


def test_the_same_revision_and_no_deployment_in_progress_is_still_ours():
    quiet = {"serviceName": "s", "taskDefinition": arn(8), "deployments": []}
    client = FakeEcs({}, service=quiet)
    res = result()
    assert deployer(client, [])._still_ours(DeployRequest("c", "s", "img"), arn(8), res) is True
    assert res.outcome == ""
    assert client.tagged == []


# --- the bake ----------------------------------------------------------------------------


class Alarms:
    """DescribeAlarms answers: quiet, then one alarm in ALARM."""

    def __init__(self, fire_after: int | None):
        self.fire_after = fire_after
        self.calls = 0

    def get_paginator(self, name):
        return self

    def paginate(self, **kwargs):
        self.calls += 1
        alarm = {"AlarmName": "lms-5xx", "StateValue": "OK", "StateReason": "fine"}
        if self.fire_after is not None and self.calls > self.fire_after:
            alarm = {**alarm, "StateValue": "ALARM", "StateReason": "5xx above 5"}
        wanted = kwargs.get("StateValue")
        yield {"MetricAlarms": [alarm] if wanted in (None, alarm["StateValue"]) else []}


def test_a_quiet_bake_logs_what_it_watches_and_lets_the_deploy_succeed():
    log: list[str] = []
    request = DeployRequest("c", "s", "img", bake=1.5, poll_interval=1.0)
    res = result()
    fired = deployer(FakeEcs({}), log, Alarms(None))._bake_fired(request, res, ["lms-5xx", "b"])
    assert fired is False
    assert log[0] == "baking 1.5 s: watching alarms lms-5xx, b"
    assert log[1:] == [
        "[    0s] bake: 2 alarm(s) quiet, 2 s left",
        "[    1s] bake: 2 alarm(s) quiet, 0 s left",
        "[    2s] bake: 2 alarm(s) quiet, 0 s left",
    ]
    assert res.state == ""


def test_an_alarm_firing_during_the_bake_fails_the_deploy_with_its_reason():
    log: list[str] = []
    request = DeployRequest("c", "s", "img", bake=30.0, poll_interval=10.0)
    res = result()
    fired = deployer(FakeEcs({}), log, Alarms(0))._bake_fired(request, res, ["lms-5xx"])
    assert fired is True
    assert res.state == "BAKE_FAILED"
    assert res.reason == (
        "deployment alarm lms-5xx fired during the 30 s bake after deployment ecs-svc/1 "
        "COMPLETED: 5xx above 5"
    )
    assert res.alarms == ["alarm lms-5xx is in ALARM: 5xx above 5"]
    assert log == [
        "baking 30 s: watching alarms lms-5xx",
        "[    0s] bake: alarm lms-5xx is in ALARM: 5xx above 5",
        res.reason,
    ]


# --- explaining a failure: alarms and diagnosis ---------------------------------------------


def test_alarms_in_alarm_are_named_in_the_reason_and_the_log():
    log: list[str] = []
    res = result()
    res.reason = "tasks failed"
    deployer(FakeEcs({}), log, Alarms(0))._explain_alarms(res, ["lms-5xx"])
    assert res.alarms == ["alarm lms-5xx is in ALARM: 5xx above 5"]
    assert res.reason == "deployment alarm(s) in ALARM (lms-5xx: 5xx above 5); tasks failed"
    assert log == ["  alarm: lms-5xx: 5xx above 5"]


def test_no_alarm_names_or_no_cloudwatch_explains_nothing():
    res = result()
    deployer(FakeEcs({}), [], Alarms(0))._explain_alarms(res, [])
    no_cloudwatch = flow.Deployer(FakeEcs({}), Clock(), Clock().sleep, print)
    no_cloudwatch._explain_alarms(res, ["lms-5xx"])
    assert res.alarms == []


def test_cloudwatch_failing_is_reported_not_fatal():
    class Broken:
        def get_paginator(self, name):
            raise RuntimeError("throttled")

    res = result()
    deployer(FakeEcs({}), [], Broken())._explain_alarms(res, ["a"])
    assert res.alarms == ["deployment alarms unavailable: throttled"]


def test_a_bake_without_a_cloudwatch_client_is_a_user_error():
    no_cloudwatch = flow.Deployer(FakeEcs({}), Clock(), Clock().sleep, print)
    with pytest.raises(UserError, match=r"^--bake needs a CloudWatch client$"):
        no_cloudwatch._cloudwatch()


def test_the_diagnosis_is_logged_line_by_line():
    log: list[str] = []
    d = deployer(FakeEcs({}), log)
    d.diagnose = lambda *a: ["1 x crash", "task t1"]
    assert d._diagnose(DeployRequest("c", "s", "img"), result()) == ["1 x crash", "task t1"]
    assert log == ["  why: 1 x crash", "  why: task t1"]
