"""How one ECS deployment is judged and followed (lmsops.deploy.rollout), rule by rule.

A fake client returns prepared DescribeServices answers; the clock and sleep are fakes, so
every message, state and boundary is asserted exactly.
"""

from __future__ import annotations

import pytest

from lmsops.deploy import rollout

OURS = "ecs-svc/1"
NEW = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms:8"
OLD = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms:7"
OTHER = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms:9"


def deployment(dep_id=OURS, status="PRIMARY", revision=NEW, **fields) -> dict:
    return {"id": dep_id, "status": status, "taskDefinition": revision, **fields}


def service(*deployments: dict, events=()) -> dict:
    return {"deployments": list(deployments), "events": list(events)}


# --- judge -------------------------------------------------------------------------------


def test_completed_primary_is_success_with_its_reason_or_completed():
    done = rollout.judge(
        service(deployment(rolloutState="COMPLETED", rolloutStateReason="all good")), OURS, NEW
    )
    assert (done.state, done.reason, done.deployment_id) == ("COMPLETED", "all good", OURS)
    assert done.succeeded
    plain = rollout.judge(service(deployment(rolloutState="COMPLETED")), OURS, NEW)
    assert (plain.state, plain.reason) == ("COMPLETED", "completed")


def test_failed_rollout_is_failure_with_its_reason_or_a_default():
    failed = rollout.judge(
        service(deployment(rolloutState="FAILED", rolloutStateReason="circuit breaker")),
        OURS,
        NEW,
    )
    assert (failed.state, failed.reason, failed.deployment_id) == (
        "FAILED",
        "circuit breaker",
        OURS,
    )
    assert not failed.succeeded
    plain = rollout.judge(service(deployment(rolloutState="FAILED")), OURS, NEW)
    assert (plain.state, plain.reason) == ("FAILED", "rollout FAILED")


def test_failed_is_reported_even_when_our_deployment_is_no_longer_primary():
    failed = rollout.judge(
        service(
            deployment("ecs-svc/2", revision=OLD),
            deployment(status="ACTIVE", rolloutState="FAILED", rolloutStateReason="tasks died"),
        ),
        OURS,
        NEW,
        previous=OLD,
    )
    assert (failed.state, failed.reason) == ("FAILED", "tasks died")


def test_in_progress_is_no_outcome_yet():
    busy = service(
        deployment(rolloutState="IN_PROGRESS", runningCount=1, desiredCount=1),
        deployment("ecs-svc/0", status="ACTIVE", revision=OLD),
    )
    assert rollout.judge(busy, OURS, NEW) is None


def test_without_rollout_state_the_only_deployment_with_all_tasks_running_is_complete():
    steady = rollout.judge(
        service(deployment(runningCount=2, desiredCount=2, pendingCount=0)), OURS, NEW
    )
    assert (steady.state, steady.reason, steady.deployment_id) == (
        "COMPLETED",
        "the only deployment left, all tasks running",
        OURS,
    )
    # pendingCount absent counts as none pending
    assert rollout.judge(service(deployment(runningCount=2, desiredCount=2)), OURS, NEW)


@pytest.mark.parametrize(
    "ours, others",
    [
        ({"runningCount": 1, "desiredCount": 2, "pendingCount": 0}, []),
        ({"runningCount": 2, "desiredCount": 2, "pendingCount": 1}, []),
        ({"runningCount": 2, "desiredCount": 2, "pendingCount": 0}, [OLD]),
    ],
    ids=["not-all-running", "some-pending", "old-deployment-still-there"],
)
def test_without_rollout_state_anything_less_is_still_in_progress(ours, others):
    deployments = [deployment(**ours)] + [
        deployment(f"ecs-svc/old-{i}", status="ACTIVE", revision=rev)
        for i, rev in enumerate(others)
    ]
    assert rollout.judge(service(*deployments), OURS, NEW) is None


def test_a_rollout_state_other_than_completed_is_not_read_as_steady():
    ours = deployment(rolloutState="IN_PROGRESS", runningCount=2, desiredCount=2)
    assert rollout.judge(service(ours), OURS, NEW) is None


def test_replaced_by_the_previous_revision_is_ecs_rolling_back_with_its_reason():
    back = rollout.judge(
        service(
            deployment("ecs-svc/2", revision=OLD, rolloutStateReason="alarm lms-5xx"),
            deployment(status="ACTIVE"),
        ),
        OURS,
        NEW,
        previous=OLD,
    )
    assert back.state == "ROLLED_BACK_BY_ECS"
    assert back.reason == f"ECS replaced deployment {OURS} with ecs-svc/2 on {OLD}: alarm lms-5xx"
    assert back.deployment_id == OURS


def test_replaced_without_a_reason_says_so_and_without_previous_it_is_a_rollback():
    back = rollout.judge(service(deployment("ecs-svc/2", revision=OTHER)), OURS, NEW)
    assert back.state == "ROLLED_BACK_BY_ECS"
    assert back.reason == (
        f"ECS replaced deployment {OURS} with ecs-svc/2 on {OTHER}: no reason given"
    )


def test_replaced_by_another_revision_than_the_previous_is_superseded():
    other = rollout.judge(service(deployment("ecs-svc/3", revision=OTHER)), OURS, NEW, previous=OLD)
    assert other.state == "SUPERSEDED"
    assert other.reason == (
        f"deployment {OURS} was superseded by deployment ecs-svc/3 of {OTHER} "
        "(another deploy or update of the service)"
    )
    assert other.deployment_id == OURS


def test_replaced_by_a_deployment_of_the_same_revision_is_superseded():
    same = rollout.judge(service(deployment("ecs-svc/4")), OURS, NEW, previous=OLD)
    assert same.state == "SUPERSEDED"
    assert same.reason == (
        f"deployment {OURS} was superseded by deployment ecs-svc/4 of the same revision "
        "(another update of the service)"
    )
    assert same.deployment_id == OURS


def test_gone_with_no_primary_at_all_is_a_rollback_without_a_deployment_id():
    gone = rollout.judge(service(deployment("ecs-svc/5", status="ACTIVE")), OURS, NEW)
    assert gone.state == "ROLLED_BACK_BY_ECS"
    assert gone.reason == f"deployment {OURS} is gone and none is PRIMARY"
    assert gone.deployment_id is None


def test_ours_still_listed_but_not_primary_is_judged_as_replaced():
    replaced = rollout.judge(
        service(deployment(status="ACTIVE"), deployment("ecs-svc/6", revision=OTHER)),
        OURS,
        NEW,
        previous=OLD,
    )
    assert replaced.state == "SUPERSEDED"


def test_primary_on_only_matches_the_primary_of_that_revision():
    svc = service(deployment("ecs-svc/0", status="ACTIVE", revision=NEW), deployment(revision=OLD))
    assert rollout.primary_on(svc, NEW) is None
    assert rollout.primary_on(svc, OLD)["id"] == OURS
    assert rollout.primary_on(service(), NEW) is None
    assert rollout.primary_deployment({}) is None


# --- progress_line -----------------------------------------------------------------------


def test_progress_line_names_every_count_of_our_deployment():
    svc = service(
        deployment(
            rolloutState="IN_PROGRESS",
            runningCount=1,
            pendingCount=2,
            desiredCount=3,
            failedTasks=4,
        ),
        deployment("ecs-svc/0", status="ACTIVE", revision=OLD),
    )
    assert rollout.progress_line(svc, OURS, 12.4) == (
        f"[   12s] {OURS} IN_PROGRESS: running 1, pending 2, desired 3, failed tasks 4; "
        "2 deployment(s)"
    )


def test_progress_line_of_an_unknown_deployment_shows_placeholders():
    svc = service(deployment("ecs-svc/0"))
    assert rollout.progress_line(svc, OURS, 0) == (
        f"[    0s] {OURS} no rolloutState: running ?, pending ?, desired ?, failed tasks 0; "
        "1 deployment(s)"
    )
    assert rollout.progress_line({}, OURS, 1).endswith("; 0 deployment(s)")


# --- Watcher -----------------------------------------------------------------------------


class FakeClient:
    """DescribeServices answers in order (the last one repeats); update_service recorded."""

    def __init__(self, answers: list[dict], update_answer: dict | None = None):
        self.answers = answers
        self.update_answer = update_answer
        self.updates: list[dict] = []
        self.describes = 0

    def describe_services(self, cluster, services):
        assert (cluster, services) == ("c", ["s"])
        answer = self.answers[min(self.describes, len(self.answers) - 1)]
        self.describes += 1
        return {"services": [answer], "failures": []}

    def update_service(self, **kwargs):
        self.updates.append(kwargs)
        return {"service": self.update_answer}


class Clock:
    def __init__(self):
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def watcher(client, clock, log, poll=5.0, timeout=12.0) -> rollout.Watcher:
    return rollout.Watcher(client, "c", "s", poll, timeout, clock, clock.sleep, log.append)


def test_start_returns_the_primary_deployment_of_the_update_answer():
    client = FakeClient([], update_answer=service(deployment(revision=NEW)))
    assert watcher(client, Clock(), []).start(NEW) == OURS
    assert client.updates == [{"cluster": "c", "service": "s", "taskDefinition": NEW}]
    assert client.describes == 0


def test_start_falls_back_to_describing_when_the_answer_has_not_switched_yet():
    client = FakeClient(
        [service(deployment("ecs-svc/9", revision=NEW))],
        update_answer=service(deployment(revision=OLD)),
    )
    assert watcher(client, Clock(), []).start(NEW) == "ecs-svc/9"
    assert client.describes == 1


def test_start_without_a_primary_on_the_revision_returns_none():
    client = FakeClient([service(deployment(revision=OLD))], service(deployment(revision=OLD)))
    assert watcher(client, Clock(), []).start(NEW) is None


def test_watch_polls_at_the_interval_and_never_sleeps_past_the_deadline():
    busy = service(deployment(rolloutState="IN_PROGRESS", runningCount=0, desiredCount=1))
    clock, log = Clock(), []
    outcome = watcher(FakeClient([busy]), clock, log, poll=5.0, timeout=12.0).watch(OURS, NEW)
    assert clock.sleeps == [5.0, 5.0, 2.0]
    assert outcome.state == "TIMED_OUT"
    assert outcome.reason == (
        f"deployment {OURS} did not complete within 12 s (last rolloutStateReason: none)"
    )
    assert outcome.deployment_id == OURS
    assert log[0].startswith(f"[    0s] {OURS} IN_PROGRESS:")
    assert log[-1].startswith(f"[   12s] {OURS} IN_PROGRESS:")
    assert len(log) == 4


def test_timeout_names_the_last_rollout_state_reason_and_a_fractional_timeout():
    busy = service(
        deployment(rolloutState="IN_PROGRESS", rolloutStateReason="waiting for tasks"),
        deployment("ecs-svc/0", status="ACTIVE", revision=OLD, rolloutStateReason="old one"),
    )
    clock = Clock()
    outcome = watcher(FakeClient([busy]), clock, [], poll=1.0, timeout=1.5).watch(OURS, NEW)
    assert outcome.reason == (
        f"deployment {OURS} did not complete within 1.5 s "
        "(last rolloutStateReason: waiting for tasks)"
    )


def test_a_deadline_reached_exactly_times_out_without_another_poll():
    busy = service(deployment(rolloutState="IN_PROGRESS"))
    clock = Clock()
    client = FakeClient([busy])
    outcome = watcher(client, clock, [], poll=5.0, timeout=10.0).watch(OURS, NEW)
    assert outcome.state == "TIMED_OUT"
    assert clock.sleeps == [5.0, 5.0]
    assert client.describes == 3


def test_watch_returns_the_outcome_with_new_events_oldest_first_and_only_once():
    first = service(
        deployment(rolloutState="IN_PROGRESS"),
        events=[{"id": "e2", "message": "started 1 task"}, {"id": "e1", "message": "old news"}],
    )
    done = service(
        deployment(rolloutState="COMPLETED"),
        events=[
            {"id": "e3", "message": "reached steady state"},
            {"id": "e2", "message": "started 1 task"},
            {"id": "e1", "message": "old news"},
        ],
    )
    clock, log = Clock(), []
    w = watcher(FakeClient([first, done]), clock, log)
    w.remember_events(service(events=[{"id": "e1", "message": "old news"}, {"message": "no id"}]))
    outcome = w.watch(OURS, NEW)
    assert outcome.state == "COMPLETED"
    assert [line for line in log if line.startswith("  event:")] == [
        "  event: started 1 task",
        "  event: reached steady state",
    ]
    assert outcome.events == ["started 1 task", "reached steady state"]
    assert w.last_service is not None and w.last_service["deployments"][0]["rolloutState"] == (
        "COMPLETED"
    )


def test_an_outcome_carries_only_the_last_ten_events():
    events = [{"id": f"e{i}", "message": f"event {i}"} for i in range(14, 0, -1)]
    done = service(deployment(rolloutState="FAILED"), events=events)
    outcome = watcher(FakeClient([done]), Clock(), []).watch(OURS, NEW)
    assert outcome.events == [f"event {i}" for i in range(5, 15)]


def test_a_timeout_also_carries_the_last_ten_events():
    events = [{"id": f"e{i}", "message": f"event {i}"} for i in range(12, 0, -1)]
    busy = service(deployment(rolloutState="IN_PROGRESS"), events=events)
    outcome = watcher(FakeClient([busy]), Clock(), [], timeout=1.0).watch(OURS, NEW)
    assert outcome.events == [f"event {i}" for i in range(3, 13)]


def test_an_event_without_a_message_is_logged_empty():
    done = service(deployment(rolloutState="COMPLETED"), events=[{"id": "x"}])
    log: list[str] = []
    outcome = watcher(FakeClient([done]), Clock(), log).watch(OURS, NEW)
    assert log == ["  event: "]
    assert outcome.events == [""]


def test_watch_passes_previous_to_tell_a_rollback_from_another_deploy():
    replaced = service(deployment("ecs-svc/2", revision=OLD))
    back = watcher(FakeClient([replaced]), Clock(), []).watch(OURS, NEW, previous=OLD)
    assert back.state == "ROLLED_BACK_BY_ECS"
    other = watcher(FakeClient([replaced]), Clock(), []).watch(OURS, NEW, previous=OTHER)
    assert other.state == "SUPERSEDED"


def test_a_service_without_deployments_is_judged_gone():
    gone = rollout.judge({}, OURS, NEW)
    assert (gone.state, gone.deployment_id) == ("ROLLED_BACK_BY_ECS", None)


def test_watch_judges_against_the_revision_it_deployed():
    same = service(deployment("ecs-svc/2"), deployment(status="ACTIVE"))
    outcome = watcher(FakeClient([same]), Clock(), []).watch(OURS, NEW, previous=OLD)
    assert outcome.state == "SUPERSEDED"


def test_less_than_a_second_left_is_still_waited_for():
    busy = service(deployment(rolloutState="IN_PROGRESS"))
    clock = Clock()
    outcome = watcher(FakeClient([busy]), clock, [], poll=4.0, timeout=8.5).watch(OURS, NEW)
    assert clock.sleeps == [4.0, 4.0, 0.5]
    assert outcome.state == "TIMED_OUT"
