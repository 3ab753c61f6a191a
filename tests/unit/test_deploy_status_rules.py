"""`lmsops deploy status` rule by rule (lmsops.deploy.status) against a fake ECS client.

The exit code, the printed lines, the rollback target check and following a deployment
in progress, each asserted exactly (found by mutation testing).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from botocore.exceptions import ClientError

from lmsops.deploy import revisions, status

PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition"


def arn(number: int) -> str:
    return f"{PREFIX}/lms:{number}"


def dep(dep_id="ecs-svc/1", state="COMPLETED", revision=8, primary=True, **extra) -> dict:
    return {
        "id": dep_id,
        "status": "PRIMARY" if primary else "ACTIVE",
        "rolloutState": state,
        "taskDefinition": arn(revision),
        **extra,
    }


class FakeEcs:
    """Services answered in order (the last repeats); revisions number -> (status, tags)."""

    def __init__(self, services: list[dict], revisions_by_number: dict[int, tuple[str, dict]]):
        self.services = services
        self.revisions = revisions_by_number
        self.describes = 0
        self.tagged: list[tuple[str, list]] = []

    def describe_services(self, cluster, services):
        answer = self.services[min(self.describes, len(self.services) - 1)]
        self.describes += 1
        return {"services": [{"serviceName": "s", **answer}]}

    def describe_task_definition(self, taskDefinition, include):
        number = int(taskDefinition.rsplit(":", 1)[1])
        if number not in self.revisions:
            raise ClientError(
                {"Error": {"Code": "ClientException", "Message": "gone"}}, "DescribeTaskDefinition"
            )
        state, tags = self.revisions[number]
        return {
            "taskDefinition": {"taskDefinitionArn": arn(number), "status": state},
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
        }

    def get_paginator(self, name):
        return self

    def paginate(self, familyPrefix, status):
        yield {
            "taskDefinitionArns": [arn(n) for n, (s, _) in self.revisions.items() if s == "ACTIVE"]
        }

    def tag_resource(self, resourceArn, tags):
        self.tagged.append((resourceArn, tags))


def checker(client, log=None, diagnose=None, flags="") -> status.Status:
    clock = {"now": 0.0}

    def sleep(seconds):
        clock["now"] += seconds

    return status.Status(
        client,
        lambda: clock["now"],
        sleep,
        (log if log is not None else []).append,
        diagnose=diagnose,
        target_flags=flags,
    )


def lmsops(state="completed", previous: str | None = None) -> dict:
    tags = {revisions.STATUS: state}
    if previous:
        tags[revisions.PREVIOUS] = previous
    return tags


# --- exit code ---------------------------------------------------------------------------


def report(**fields) -> status.StatusReport:
    return status.StatusReport("c", "s", arn(8), None, None, **fields)


def test_exit_code_without_following_is_1_only_when_the_primary_failed():
    assert report(deployments=[{"status": "PRIMARY", "rolloutState": "FAILED"}]).exit_code == 1
    assert report(deployments=[{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}]).exit_code == 0
    assert report(deployments=[{"status": "ACTIVE", "rolloutState": "FAILED"}]).exit_code == 0
    assert report().exit_code == 0


def test_exit_code_of_a_followed_deployment_is_0_only_when_it_completed():
    assert report(followed="d", outcome="COMPLETED").exit_code == 0
    assert report(followed="d", outcome="FAILED").exit_code == 1
    assert report(followed="d", outcome="").exit_code == 1
    assert report(followed="d", outcome="COMPLETED").as_dict()["exit_code"] == 0


# --- report without --wait ----------------------------------------------------------------


def test_status_names_the_running_revision_its_target_and_the_recent_events():
    events = [{"message": f"event {i}"} for i in range(12, 0, -1)] + [{}]
    created = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    service = {
        "taskDefinition": arn(8),
        "deployments": [
            dep(runningCount=2, pendingCount=0, desiredCount=2, createdAt=created),
            dep("ecs-svc/0", "COMPLETED", 7, primary=False, failedTasks=3),
        ],
        "events": events,
    }
    client = FakeEcs([service], {7: ("ACTIVE", lmsops()), 8: ("ACTIVE", lmsops(previous=arn(7)))})
    got = checker(client).report("c", "s", wait=False, poll_interval=1, timeout=10)
    assert (got.task_definition, got.revision_status, got.rollback_target) == (
        arn(8),
        "completed",
        arn(7),
    )
    assert got.rollback_target_status == "ACTIVE"
    assert got.rollback_hint == ""
    assert got.events == [f"event {i}" for i in range(3, 13)]
    assert got.deployments[0] == {
        "id": "ecs-svc/1",
        "status": "PRIMARY",
        "rolloutState": "COMPLETED",
        "rolloutStateReason": None,
        "taskDefinition": arn(8),
        "running": 2,
        "pending": 0,
        "desired": 2,
        "failedTasks": 0,
        "createdAt": "2026-05-01T12:00:00+00:00",
    }
    assert got.deployments[1]["failedTasks"] == 3
    assert got.deployments[1]["createdAt"] is None
    assert (got.followed, got.outcome, got.reason) == (None, "", "")


@pytest.mark.parametrize("target_state, shown", [("INACTIVE", "INACTIVE"), (None, "not found")])
def test_a_rollback_target_no_longer_active_suggests_an_active_one(target_state, shown):
    revs = {5: ("ACTIVE", {}), 8: ("ACTIVE", lmsops(previous=arn(7)))}
    if target_state:
        revs[7] = (target_state, lmsops())
    client = FakeEcs([{"taskDefinition": arn(8), "deployments": [dep()]}], revs)
    got = checker(client, flags="--env dev").report(
        "c", "s", wait=False, poll_interval=1, timeout=10
    )
    assert got.rollback_target_status == shown
    assert got.rollback_hint == (
        "roll back to an ACTIVE revision, e.g. the newest that completed a deployment: "
        "lmsops deploy rollback --env dev --to 5"
    )


def test_a_revision_without_a_recorded_target_is_not_checked():
    client = FakeEcs(
        [{"taskDefinition": arn(5), "deployments": [dep(revision=5)]}], {5: ("ACTIVE", {})}
    )
    got = checker(client).report("c", "s", wait=False, poll_interval=1, timeout=10)
    assert (got.rollback_target, got.rollback_target_status, got.rollback_hint) == (None, None, "")
    assert got.revision_status is None


# --- --wait -------------------------------------------------------------------------------


def test_wait_on_a_settled_service_reports_its_primary_without_following():
    settled = dep(state="COMPLETED", rolloutStateReason="done")
    client = FakeEcs([{"taskDefinition": arn(8), "deployments": [settled]}], {8: ("ACTIVE", {})})
    log: list[str] = []
    got = checker(client, log).report("c", "s", wait=True, poll_interval=1, timeout=10)
    assert (got.followed, got.outcome, got.reason) == ("ecs-svc/1", "COMPLETED", "done")
    assert got.exit_code == 0
    assert log == []
    assert client.describes == 1


def test_wait_follows_a_deployment_in_progress_and_tags_lmsops_revisions():
    busy = {"taskDefinition": arn(7), "deployments": [dep(state="IN_PROGRESS", revision=8)]}
    done = {
        "taskDefinition": arn(8),
        "deployments": [dep(state="COMPLETED", revision=8, rolloutStateReason="steady")],
    }
    revs = {7: ("ACTIVE", lmsops()), 8: ("ACTIVE", lmsops("pending", previous=arn(7)))}
    client = FakeEcs([busy, busy, done], revs)
    log: list[str] = []
    got = checker(client, log).report("c", "s", wait=True, poll_interval=1, timeout=10)
    assert log[0] == f"following deployment ecs-svc/1 of {arn(8)}"
    assert (got.followed, got.outcome, got.reason) == ("ecs-svc/1", "COMPLETED", "steady")
    assert client.tagged == [(arn(8), [{"key": "lmsops:deploy-status", "value": "completed"}])]
    assert got.task_definition == arn(8)  # described again after following
    assert got.diagnostics == []


def test_a_followed_failure_is_diagnosed_and_terraform_revisions_are_not_tagged():
    busy = {"taskDefinition": arn(7), "deployments": [dep(state="IN_PROGRESS", revision=8)]}
    failed = {
        "taskDefinition": arn(7),
        "deployments": [dep(state="FAILED", revision=8, rolloutStateReason="tasks failed")],
    }
    client = FakeEcs([busy, failed], {7: ("ACTIVE", {}), 8: ("ACTIVE", {})})
    asked = []

    def diagnose(*args):
        asked.append(args)
        return ["1 x CannotPullContainerError"]

    got = checker(client, diagnose=diagnose).report(
        "c", "s", wait=True, poll_interval=1, timeout=10
    )
    assert (got.outcome, got.reason, got.exit_code) == ("FAILED", "tasks failed", 1)
    assert asked == [("c", "s", "ecs-svc/1", arn(8))]
    assert got.diagnostics == ["1 x CannotPullContainerError"]
    assert client.tagged == []


@pytest.mark.parametrize(
    "state, tag",
    [("FAILED", "failed"), ("COMPLETED", "completed")],
)
def test_the_followed_outcome_is_recorded_on_an_lmsops_revision(state, tag):
    busy = {"taskDefinition": arn(7), "deployments": [dep(state="IN_PROGRESS")]}
    end = {"taskDefinition": arn(8), "deployments": [dep(state=state)]}
    client = FakeEcs([busy, end], {7: ("ACTIVE", {}), 8: ("ACTIVE", lmsops("pending"))})
    checker(client).report("c", "s", wait=True, poll_interval=1, timeout=10)
    assert client.tagged == [(arn(8), [{"key": "lmsops:deploy-status", "value": tag}])]


def test_a_followed_timeout_is_not_recorded():
    busy = {"taskDefinition": arn(7), "deployments": [dep(state="IN_PROGRESS")]}
    client = FakeEcs([busy], {7: ("ACTIVE", {}), 8: ("ACTIVE", lmsops("pending"))})
    got = checker(client).report("c", "s", wait=True, poll_interval=1, timeout=2)
    assert got.outcome == "TIMED_OUT"
    assert client.tagged == []


# --- printing -----------------------------------------------------------------------------


def full_report() -> status.StatusReport:
    return status.StatusReport(
        cluster="c",
        service="s",
        task_definition=arn(8),
        revision_status=None,
        rollback_target=arn(7),
        rollback_target_status="INACTIVE",
        rollback_hint="roll back to 5",
        deployments=[
            {
                "id": "ecs-svc/1",
                "status": "PRIMARY",
                "rolloutState": None,
                "taskDefinition": arn(8),
                "running": 1,
                "pending": 0,
                "desired": 1,
                "failedTasks": 2,
                "createdAt": "2026-05-01T12:00:00+00:00",
            }
        ],
        events=["e1"],
        followed="ecs-svc/1",
        outcome="COMPLETED",
        reason="",
        diagnostics=["why 1"],
    )


def test_print_report_text(capsys):
    status.print_report(full_report(), "text")
    assert capsys.readouterr().out.splitlines() == [
        "service s on c",
        f"  runs      {arn(8)} (not lmsops)",
        f"  previous  {arn(7)} (INACTIVE: not a rollback target)",
        "  rollback  roll back to 5",
        f"  PRIMARY  ecs-svc/1 - {arn(8)}: running 1, pending 0, desired 1, failed tasks 2, "
        "since 2026-05-01T12:00:00+00:00",
        "  followed  ecs-svc/1: COMPLETED",
        "  why       why 1",
        "  event     e1",
    ]


def test_print_report_of_an_active_target_and_nothing_followed(capsys):
    plain = status.StatusReport("c", "s", arn(8), "completed", arn(7), "ACTIVE")
    status.print_report(plain, "text")
    assert capsys.readouterr().out.splitlines() == [
        "service s on c",
        f"  runs      {arn(8)} (completed)",
        f"  previous  {arn(7)}",
    ]


def test_print_report_json(capsys):
    status.print_report(full_report(), "json")
    data = json.loads(capsys.readouterr().out)
    assert data["exit_code"] == 0
    assert data["rollback_target_status"] == "INACTIVE"
    assert data["deployments"][0]["failedTasks"] == 2


def test_status_json_is_indented_and_sorted(capsys):
    got = full_report()
    status.print_report(got, "json")
    assert capsys.readouterr().out == (
        json.dumps(got.as_dict(), indent=2, sort_keys=True, default=str) + "\n"
    )
    got.deployments[0]["createdAt"] = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    status.print_report(got, "json")
    assert '"createdAt": "2026-05-01 00:00:00+00:00"' in capsys.readouterr().out


def test_status_names_its_target_and_keeps_each_deployments_reason():
    svc = {
        "taskDefinition": arn(8),
        "deployments": [dep(rolloutStateReason="steady")],
        "events": [{"id": "1"}],
    }
    got = checker(FakeEcs([svc], {8: ("ACTIVE", {})})).report(
        "lms-dev", "web", wait=False, poll_interval=1, timeout=10
    )
    assert (got.cluster, got.service) == ("lms-dev", "web")
    assert got.deployments[0]["rolloutStateReason"] == "steady"
    assert got.events == [""]


def test_a_service_without_deployments_or_events_lists_none():
    got = checker(FakeEcs([{"taskDefinition": arn(8)}], {8: ("ACTIVE", {})})).report(
        "c", "s", wait=False, poll_interval=1, timeout=10
    )
    assert (got.deployments, got.events) == ([], [])


def test_wait_on_a_primary_without_rollout_state_reports_empty_outcome_and_reason():
    bare = {"id": "ecs-svc/1", "status": "PRIMARY", "taskDefinition": arn(8)}
    client = FakeEcs([{"taskDefinition": arn(8), "deployments": [bare]}], {8: ("ACTIVE", {})})
    got = checker(client).report("c", "s", wait=True, poll_interval=1, timeout=10)
    assert (got.followed, got.outcome, got.reason) == ("ecs-svc/1", "", "")


def test_following_tells_ecs_rolling_back_to_the_recorded_previous_from_another_deploy():
    busy = {"taskDefinition": arn(7), "deployments": [dep(state="IN_PROGRESS")]}
    back = {"taskDefinition": arn(7), "deployments": [dep("ecs-svc/2", revision=7)]}
    revs = {7: ("ACTIVE", {}), 8: ("ACTIVE", lmsops("pending", previous=arn(7)))}
    client = FakeEcs([busy, back], revs)
    got = checker(client).report("c", "s", wait=True, poll_interval=1, timeout=10)
    assert got.outcome == "ROLLED_BACK_BY_ECS"
    assert client.tagged == [(arn(8), [{"key": "lmsops:deploy-status", "value": "rolled-back"}])]
    other = {"taskDefinition": arn(9), "deployments": [dep("ecs-svc/3", revision=9)]}
    client = FakeEcs([busy, other], {**revs, 9: ("ACTIVE", {})})
    assert checker(client).report("c", "s", wait=True, poll_interval=1, timeout=10).outcome == (
        "SUPERSEDED"
    )
    same = {"taskDefinition": arn(8), "deployments": [dep("ecs-svc/4", revision=8)]}
    client = FakeEcs([busy, same], revs)
    got = checker(client).report("c", "s", wait=True, poll_interval=1, timeout=10)
    assert got.outcome == "SUPERSEDED"
    assert "of the same revision" in got.reason
