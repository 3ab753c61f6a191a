"""`lmsops deploy rollback` rule by rule (lmsops.deploy.rollback) against a fake ECS client.

The target (recorded previous, --to as a number or ARN, family and ACTIVE checks), the
service already on it, the update and its outcome, and the printed result; found by
mutation testing.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from lmsops.deploy import revisions, rollback
from lmsops.errors import UserError

PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition"


def arn(number: int, family: str = "lms") -> str:
    return f"{PREFIX}/{family}:{number}"


class FakeEcs:
    """A service on CURRENT; revisions by reference; DescribeServices answers in order."""

    def __init__(self, services: list[dict], revs: dict[str, tuple[str, str, dict]], update=None):
        self.services = services
        self.revs = revs  # arn -> (family, status, tags)
        self.update = update
        self.describes = 0
        self.updates: list[dict] = []
        self.tagged: list[tuple[str, list]] = []
        self.looked_up: list[str] = []

    def describe_services(self, cluster, services):
        answer = self.services[min(self.describes, len(self.services) - 1)]
        self.describes += 1
        return {"services": [answer]}

    def describe_task_definition(self, taskDefinition, include):
        self.looked_up.append(taskDefinition)
        reference = (
            taskDefinition if taskDefinition.startswith("arn:") else f"{PREFIX}/{taskDefinition}"
        )
        if reference not in self.revs:
            raise ClientError(
                {"Error": {"Code": "ClientException", "Message": "no"}}, "DescribeTaskDefinition"
            )
        family, state, tags = self.revs[reference]
        return {
            "taskDefinition": {"taskDefinitionArn": reference, "family": family, "status": state},
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
        }

    def get_paginator(self, name):
        return self

    def paginate(self, familyPrefix, status):
        yield {"taskDefinitionArns": [a for a, (f, s, _) in self.revs.items() if s == "ACTIVE"]}

    def update_service(self, **kwargs):
        self.updates.append(kwargs)
        return {"service": self.update}

    def tag_resource(self, resourceArn, tags):
        self.tagged.append((resourceArn, tags))


def service(on: int, *deployments: dict) -> dict:
    return {"serviceName": "s", "taskDefinition": arn(on), "deployments": list(deployments)}


def dep(dep_id: str, revision: int, state="COMPLETED", primary=True) -> dict:
    return {
        "id": dep_id,
        "status": "PRIMARY" if primary else "ACTIVE",
        "rolloutState": state,
        "taskDefinition": arn(revision),
    }


OURS = {revisions.STATUS: "completed", revisions.PREVIOUS: arn(7)}


def roller(client, log=None, preflight=None, flags="") -> rollback.Rollback:
    clock = {"now": 0.0}

    def sleep(seconds):
        clock["now"] += seconds

    return rollback.Rollback(
        client,
        lambda: clock["now"],
        sleep,
        (log if log is not None else []).append,
        target_flags=flags,
        preflight=preflight,
    )


def run(client, to=None, **kwargs):
    return roller(client, **kwargs).run("c", "s", to=to, poll_interval=1, timeout=5)


def test_rolls_back_to_the_recorded_previous_and_tags_ours_rolled_back():
    revs = {arn(8): ("lms", "ACTIVE", OURS), arn(7): ("lms", "ACTIVE", {})}
    back = service(7, dep("ecs-svc/2", 7))
    client = FakeEcs([service(8, dep("ecs-svc/1", 8)), back], revs, update=back)
    log: list[str] = []
    checked = []
    result = run(client, log=log, preflight=lambda s, cur, tgt: checked.append((cur.arn, tgt.arn)))
    assert (result.outcome, result.exit_code) == ("rolled-back", 0)
    assert (result.from_task_definition, result.to_task_definition) == (arn(8), arn(7))
    assert result.deployment_id == "ecs-svc/2"
    assert checked == [(arn(8), arn(7))]
    assert client.updates == [{"cluster": "c", "service": "s", "taskDefinition": arn(7)}]
    assert client.tagged == [(arn(8), [{"key": "lmsops:deploy-status", "value": "rolled-back"}])]
    assert log[0] == f"rolling s back from {arn(8)} to {arn(7)}"


def test_a_terraform_revision_rolled_back_from_is_not_tagged():
    revs = {arn(8): ("lms", "ACTIVE", {}), arn(7): ("lms", "ACTIVE", {})}
    back = service(7, dep("ecs-svc/2", 7))
    client = FakeEcs([service(8, dep("ecs-svc/1", 8)), back], revs, update=back)
    assert run(client, to="7").outcome == "rolled-back"
    assert client.looked_up[1] == "lms:7"
    assert client.tagged == []


def test_a_failed_rollback_keeps_the_reason_and_exits_1():
    revs = {arn(8): ("lms", "ACTIVE", OURS), arn(7): ("lms", "ACTIVE", {})}
    failing = service(8, {**dep("ecs-svc/2", 7, "FAILED"), "rolloutStateReason": "boom"})
    client = FakeEcs([service(8, dep("ecs-svc/1", 8)), failing], revs, update=failing)
    result = run(client)
    assert (result.outcome, result.reason, result.exit_code) == ("rollback-failed", "boom", 1)
    assert client.tagged == []


def test_no_deployment_started_is_a_failure_naming_the_target():
    revs = {arn(8): ("lms", "ACTIVE", OURS), arn(7): ("lms", "ACTIVE", {})}
    still = service(8, dep("ecs-svc/1", 8))
    client = FakeEcs([still], revs, update=still)
    result = run(client)
    assert result.outcome == "rollback-failed"
    assert result.reason == f"update_service started no deployment of {arn(7)}"
    assert result.deployment_id is None


def test_already_on_the_target_changes_nothing():
    revs = {arn(7): ("lms", "ACTIVE", {})}
    client = FakeEcs([service(7, dep("ecs-svc/1", 7))], revs)
    log: list[str] = []
    result = run(client, to=arn(7), log=log, preflight=lambda *a: pytest.fail("no check"))
    assert (result.outcome, result.exit_code) == ("already-on-target", 0)
    assert result.reason == f"already on {arn(7)}; nothing to do"
    assert result.deployment_id is None
    assert log == [result.reason]
    assert client.updates == []


@pytest.mark.parametrize(
    "flags, shown", [("", "--cluster c --service s"), ("--env dev", "--env dev")]
)
def test_already_on_the_target_while_its_deployment_runs_says_how_to_follow(flags, shown):
    revs = {arn(7): ("lms", "ACTIVE", {})}
    client = FakeEcs([service(7, dep("ecs-svc/9", 7, "IN_PROGRESS"))], revs)
    result = run(client, to="7", flags=flags)
    assert result.deployment_id == "ecs-svc/9"
    assert result.reason == (
        f"already on {arn(7)}; nothing to do (its deployment ecs-svc/9 is IN_PROGRESS: follow "
        f"it with lmsops deploy status {shown} --wait)"
    )


def test_no_recorded_previous_and_no_to_asks_for_to():
    client = FakeEcs([service(8, dep("ecs-svc/1", 8))], {arn(8): ("lms", "ACTIVE", {})})
    with pytest.raises(UserError) as refused:
        run(client)
    assert str(refused.value) == (
        f"{arn(8)} records no previous revision (it was not registered by lmsops deploy); "
        "name the revision to go back to with --to"
    )


def test_a_target_of_another_family_is_refused():
    revs = {arn(8): ("lms", "ACTIVE", OURS), arn(3, "other"): ("other", "ACTIVE", {})}
    client = FakeEcs([service(8, dep("ecs-svc/1", 8))], revs)
    with pytest.raises(UserError) as refused:
        run(client, to=arn(3, "other"))
    assert str(refused.value) == (
        f"{arn(3, 'other')} is of family other, but the service runs family lms: roll back to "
        "a revision of lms"
    )


def test_an_inactive_target_is_refused_with_an_active_suggestion():
    revs = {
        arn(8): ("lms", "ACTIVE", OURS),
        arn(7): ("lms", "INACTIVE", {}),
        arn(5): ("lms", "ACTIVE", {revisions.STATUS: "completed"}),
    }
    client = FakeEcs([service(8, dep("ecs-svc/1", 8))], revs)
    with pytest.raises(UserError) as refused:
        run(client, flags="--env dev")
    assert str(refused.value) == (
        f"{arn(7)} is INACTIVE, not ACTIVE (deregistered, e.g. by --keep): roll back to an "
        "ACTIVE revision, e.g. the newest that completed a deployment: lmsops deploy rollback "
        "--env dev --to 5"
    )


def test_no_active_candidate_says_what_to_do_instead():
    client = FakeEcs([], {arn(8): ("lms", "ACTIVE", OURS)})
    assert rollback.suggest_active_target(client, arn(8), "") == (
        "family lms has no other ACTIVE revision that completed a deployment; apply the "
        "backend's Terraform root, or deploy an earlier image"
    )
    client.revs[arn(4)] = ("lms", "ACTIVE", {})
    assert rollback.suggest_active_target(client, arn(8), "").endswith(
        "lmsops deploy rollback --cluster <cluster> --service <service> --to 4"
    )


# --- printing -----------------------------------------------------------------------------


def result(outcome, **fields) -> rollback.RollbackResult:
    return rollback.RollbackResult(outcome, "c", "s", arn(8), arn(7), **fields)


def test_print_result_of_a_failure_shows_reason_and_events(capsys):
    failed = result("rollback-failed", deployment_id="d", reason="boom", events=["e1", "e2"])
    rollback.print_result(failed, "text")
    assert capsys.readouterr().out.splitlines() == [
        "rollback-failed: s on c",
        f"  from       {arn(8)}",
        f"  to         {arn(7)}",
        "  deployment d",
        "  reason     boom",
        "  event      e1",
        "  event      e2",
    ]


def test_print_result_of_a_success_and_of_already_on_target(capsys):
    rollback.print_result(result("rolled-back", deployment_id="d", reason="ok"), "text")
    rollback.print_result(result("already-on-target", reason="already on x"), "text")
    assert capsys.readouterr().out.splitlines() == [
        "rolled-back: s on c",
        f"  from       {arn(8)}",
        f"  to         {arn(7)}",
        "  deployment d",
        "s on c: already on x",
    ]


def test_print_result_json_has_the_exit_code(capsys):
    rollback.print_result(result("rollback-failed"), "json")
    data = json.loads(capsys.readouterr().out)
    assert (data["outcome"], data["exit_code"]) == ("rollback-failed", 1)


def test_rollback_json_is_indented_and_sorted(capsys):
    failed = result("rollback-failed", reason="r")
    rollback.print_result(failed, "json")
    assert capsys.readouterr().out == json.dumps(failed.as_dict(), indent=2, sort_keys=True) + "\n"


def test_already_on_names_the_revision_twice_and_the_service():
    client = FakeEcs([service(7, dep("ecs-svc/1", 7))], {arn(7): ("lms", "ACTIVE", {})})
    got = roller(client).run("lms-dev", "web", to="7", poll_interval=1, timeout=5)
    assert (got.cluster, got.service) == ("lms-dev", "web")
    assert (got.from_task_definition, got.to_task_definition) == (arn(7), arn(7))


def test_a_rollback_that_takes_polls_and_names_its_service():
    revs = {arn(8): ("lms", "ACTIVE", OURS), arn(7): ("lms", "ACTIVE", {})}
    busy = service(8, dep("ecs-svc/2", 7, "IN_PROGRESS"), dep("ecs-svc/1", 8, primary=False))
    back = service(7, dep("ecs-svc/2", 7))
    client = FakeEcs([service(8, dep("ecs-svc/1", 8)), busy, busy, back], revs, update=busy)
    log: list[str] = []
    got = roller(client, log=log).run("lms-dev", "web", to=None, poll_interval=2, timeout=30)
    assert (got.outcome, got.cluster, got.service) == ("rolled-back", "lms-dev", "web")
    assert any(line.startswith("[    2s] ecs-svc/2 IN_PROGRESS") for line in log)


def test_a_rollback_replaced_by_another_update_of_its_target_is_not_rolled_back():
    revs = {arn(8): ("lms", "ACTIVE", OURS), arn(7): ("lms", "ACTIVE", {})}
    replaced = service(7, dep("ecs-svc/3", 7), dep("ecs-svc/2", 7, "IN_PROGRESS", primary=False))
    client = FakeEcs(
        [service(8, dep("ecs-svc/1", 8)), replaced], revs, update=service(8, dep("ecs-svc/2", 7))
    )
    got = run(client)
    assert got.outcome == "rollback-failed"
    assert got.reason.startswith(
        "deployment ecs-svc/2 was superseded by deployment ecs-svc/3 of the same"
    )
