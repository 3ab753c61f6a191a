"""The one-off task of --run-before and the failure diagnosis, rule by rule.

lmsops.deploy.oneoff and lmsops.deploy.diagnostics against fake ECS clients: every line a
user reads, every placement argument and every boundary is asserted exactly.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from lmsops.deploy import diagnostics, oneoff

TD = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev:8"
TASK = "arn:aws:ecs:us-east-1:123456789012:task/lms-dev/0a1b2c"

# --- run_task arguments ------------------------------------------------------------------


def test_run_task_arguments_place_the_task_like_the_service():
    network = {"awsvpcConfiguration": {"subnets": ["subnet-1"], "assignPublicIp": "DISABLED"}}
    service = {
        "networkConfiguration": network,
        "launchType": "FARGATE",
        "platformVersion": "1.4.0",
    }
    assert oneoff.run_task_arguments("c", service, TD, "app", "manage.py migrate --noinput") == {
        "cluster": "c",
        "taskDefinition": TD,
        "count": 1,
        "startedBy": "lmsops-deploy",
        "overrides": {
            "containerOverrides": [
                {"name": "app", "command": ["manage.py", "migrate", "--noinput"]}
            ]
        },
        "networkConfiguration": network,
        "launchType": "FARGATE",
        "platformVersion": "1.4.0",
    }


def test_a_capacity_provider_strategy_replaces_the_launch_type():
    strategy = [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]
    arguments = oneoff.run_task_arguments(
        "c",
        {"capacityProviderStrategy": strategy, "launchType": "FARGATE"},
        TD,
        "app",
        "sh -c 'echo hi'",
    )
    assert arguments["capacityProviderStrategy"] == strategy
    assert "launchType" not in arguments
    assert arguments["overrides"]["containerOverrides"][0]["command"] == ["sh", "-c", "echo hi"]


def test_a_service_without_placement_settings_adds_none():
    arguments = oneoff.run_task_arguments("c", {}, TD, "app", "true")
    assert set(arguments) == {"cluster", "taskDefinition", "count", "startedBy", "overrides"}


def test_essential_containers_default_to_essential():
    definition = {
        "containerDefinitions": [
            {"name": "app"},
            {"name": "migrate", "essential": True},
            {"name": "logs", "essential": False},
        ]
    }
    assert oneoff.essential_containers(definition) == {"app", "migrate"}


# --- exit_failures -----------------------------------------------------------------------


def test_every_essential_container_exiting_0_is_no_failure():
    task = {"containers": [{"name": "app", "exitCode": 0}, {"name": "logs", "exitCode": 1}]}
    assert oneoff.exit_failures(task, {"app"}) == []


def test_each_failing_essential_container_is_one_line_with_its_reason():
    task = {
        "stoppedReason": "Essential container in task exited",
        "containers": [
            {"name": "logs", "exitCode": 2},  # not essential: ignored, but checked on
            {"name": "app", "exitCode": 1, "reason": "OOM"},
            {"name": "migrate", "exitCode": 3},
            {"name": "init"},
        ],
    }
    assert oneoff.exit_failures(task, {"app", "migrate", "init", "seed"}) == [
        "container app exited 1: OOM",
        "container migrate exited 3: Essential container in task exited",
        "container init exited ?: Essential container in task exited",
        "container seed did not report an exit code",
    ]


def test_a_failure_without_any_reason_says_so():
    task = {"containers": [{"name": "app", "exitCode": 137}]}
    assert oneoff.exit_failures(task, {"app"}) == ["container app exited 137: no reason given"]


def test_a_task_without_containers_reports_every_essential_one_sorted():
    assert oneoff.exit_failures({}, {"b", "a"}) == [
        "container a did not report an exit code",
        "container b did not report an exit code",
    ]


# --- run_before / _follow ----------------------------------------------------------------


class FakeTasks:
    def __init__(self, statuses: list[dict], run_answer: dict | None = None):
        self.statuses = statuses
        self.run_answer = run_answer or {"tasks": [{"taskArn": TASK}], "failures": []}
        self.calls: list[tuple[str, dict]] = []

    def run_task(self, **kwargs):
        self.calls.append(("run_task", kwargs))
        return self.run_answer

    def describe_tasks(self, cluster, tasks):
        self.calls.append(("describe_tasks", {"cluster": cluster, "tasks": tasks}))
        index = sum(name == "describe_tasks" for name, _ in self.calls) - 1
        return {"tasks": [self.statuses[min(index, len(self.statuses) - 1)]]}

    def stop_task(self, **kwargs):
        self.calls.append(("stop_task", kwargs))


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def run(client, clock, log, *, timeout=10.0, poll=4.0, essential=frozenset({"app"})):
    return oneoff.run_before(
        client,
        {"cluster": "c", "taskDefinition": TD},
        essential=set(essential),
        timeout=timeout,
        poll_interval=poll,
        clock=clock,
        sleep=clock.sleep,
        log=log.append,
    )


def test_a_task_that_stops_with_exit_0_succeeds_after_polling():
    stopped = {"lastStatus": "STOPPED", "containers": [{"name": "app", "exitCode": 0}]}
    client = FakeTasks([{"lastStatus": "PENDING"}, {"lastStatus": "RUNNING"}, stopped])
    clock, log = Clock(), []
    result = run(client, clock, log)
    assert (result.ok, result.task_arn, result.reason) == (
        True,
        TASK,
        "every essential container exited 0",
    )
    assert log == [
        f"one-off task {TASK} started",
        "  one-off task PENDING",
        "  one-off task RUNNING",
    ]
    assert clock.sleeps == [4.0, 4.0]
    assert client.calls[1] == ("describe_tasks", {"cluster": "c", "tasks": [TASK]})


def test_a_failing_task_joins_its_failures():
    stopped = {
        "lastStatus": "STOPPED",
        "containers": [{"name": "app", "exitCode": 1, "reason": "boom"}],
    }
    result = run(FakeTasks([stopped]), Clock(), [], essential={"app", "seed"})
    assert (result.ok, result.task_arn) == (False, TASK)
    assert result.reason == (
        "container app exited 1: boom; container seed did not report an exit code"
    )


def test_a_task_still_running_at_the_deadline_is_stopped():
    client = FakeTasks([{"lastStatus": "RUNNING"}])
    clock = Clock()
    result = run(client, clock, [], timeout=10.0, poll=4.0)
    assert clock.sleeps == [4.0, 4.0, 2.0]
    assert (result.ok, result.task_arn, result.reason) == (
        False,
        TASK,
        "did not stop within 10 s; stopped it",
    )
    assert client.calls[-1] == (
        "stop_task",
        {"cluster": "c", "task": TASK, "reason": "lmsops deploy timeout"},
    )


def test_a_fractional_timeout_is_printed_as_given():
    result = run(FakeTasks([{"lastStatus": "RUNNING"}]), Clock(), [], timeout=0.5, poll=1.0)
    assert result.reason == "did not stop within 0.5 s; stopped it"


def test_a_task_stopping_within_the_last_second_before_the_deadline_is_still_followed():
    stopped = {"lastStatus": "STOPPED", "containers": [{"name": "app", "exitCode": 0}]}
    client = FakeTasks([{"lastStatus": "RUNNING"}, stopped])
    clock = Clock()
    result = run(client, clock, [], timeout=1.0, poll=0.5)
    assert (result.ok, result.reason) == (True, "every essential container exited 0")
    assert clock.sleeps == [0.5]
    assert "stop_task" not in [name for name, _ in client.calls]


@pytest.mark.parametrize(
    "answer",
    [
        {"tasks": [], "failures": [{"reason": "RESOURCE:MEMORY"}]},
        {"tasks": [{"taskArn": TASK}], "failures": [{"reason": "RESOURCE:MEMORY"}]},
        {"failures": []},
    ],
    ids=["no-task", "task-and-failures", "nothing"],
)
def test_run_task_refused_is_a_failure_without_a_task(answer):
    client = FakeTasks([], run_answer=answer)
    log: list[str] = []
    result = run(client, Clock(), log)
    assert (result.ok, result.task_arn) == (False, None)
    assert result.reason == f"run_task failed: {answer.get('failures')}"
    assert log == []
    assert [name for name, _ in client.calls] == ["run_task"]


def test_an_interrupt_while_following_stops_the_task_and_goes_on():
    class Interrupted(FakeTasks):
        def describe_tasks(self, cluster, tasks):
            raise KeyboardInterrupt

    client = Interrupted([])
    log: list[str] = []
    with pytest.raises(KeyboardInterrupt) as caught:
        run(client, Clock(), log)
    assert caught.value.stopped_task == TASK
    assert client.calls[-1] == (
        "stop_task",
        {"cluster": "c", "task": TASK, "reason": "lmsops deploy interrupted"},
    )
    assert log[-1] == f"stopped one-off task {TASK}"


# --- diagnostics -------------------------------------------------------------------------


def stopped(reason, task_id="t1", at=None, code=None, containers=()):
    return diagnostics.StoppedTask(
        f"arn:aws:ecs:us-east-1:123456789012:task/lms-dev/{task_id}",
        TD,
        reason,
        code,
        at,
        list(containers),
    )


def test_reasons_are_counted_and_the_most_frequent_comes_first():
    found = diagnostics.Diagnosis(
        "c",
        "s",
        None,
        None,
        [stopped("A"), stopped("B"), stopped("B"), stopped("C"), stopped("C"), stopped("C")],
    )
    assert found.reasons() == [("C", 3), ("B", 2), ("A", 1)]


def test_lines_show_counts_each_task_its_containers_and_the_events():
    at = dt.datetime(2026, 5, 1, 14, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    found = diagnostics.Diagnosis(
        "c",
        "lms-dev-backend",
        "ecs-svc/1",
        TD,
        [
            stopped(
                "Essential container in task exited",
                "t1",
                at,
                "EssentialContainerExited",
                [
                    diagnostics.ContainerStop("app", 1, "crash", "UNHEALTHY"),
                    diagnostics.ContainerStop("logs", None, None, "UNKNOWN"),
                    diagnostics.ContainerStop("side", 0, None, None),
                ],
            ),
            stopped("Task failed ELB health checks", "t2"),
        ],
        [diagnostics.ServiceEvent(None, "started 1 task"), diagnostics.ServiceEvent(at, "boom")],
    )
    assert found.lines() == [
        "deployment ecs-svc/1 of lms-dev:8: 2 stopped task(s)",
        "  1 x Essential container in task exited",
        "  1 x Task failed ELB health checks",
        "  task t1 (lms-dev:8) stopped 12:03:09Z [EssentialContainerExited]: "
        "Essential container in task exited",
        "    container app: exit code 1, health UNHEALTHY, reason: crash",
        "    container logs: exit code none",
        "    container side: exit code 0",
        "  task t2 (lms-dev:8) stopped (time unknown) [no stop code]: "
        "Task failed ELB health checks",
        "service lms-dev-backend events:",
        "  (time unknown) started 1 task",
        "  12:03:09Z boom",
    ]


def test_lines_without_a_deployment_or_tasks_say_so():
    assert diagnostics.Diagnosis("c", "s", None, None).lines() == [
        "the deployment: no stopped tasks found"
    ]


def test_as_dict_is_json_ready_with_the_reasons():
    at = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    found = diagnostics.Diagnosis(
        "c", "s", None, None, [stopped("A", at=at)], [diagnostics.ServiceEvent(at, "e")]
    )
    data = found.as_dict()
    assert data["stopped_tasks"][0]["stopped_at"] == "2026-05-01T12:00:00+00:00"
    assert data["events"] == [{"created_at": "2026-05-01T12:00:00+00:00", "message": "e"}]
    assert data["reasons"] == [["A", 1]]
    assert data["cluster"] == "c"


class FakeDiagnosisClient:
    def __init__(self, pages, tasks, services=None):
        self.pages = pages
        self.tasks = {t["taskArn"]: t for t in tasks}
        self.services = services
        self.listed: list[dict] = []
        self.describe_chunks: list[int] = []

    def get_paginator(self, name):
        assert name == "list_tasks"
        return self

    def paginate(self, **kwargs):
        self.listed.append(kwargs)
        yield from self.pages

    def describe_tasks(self, cluster, tasks):
        self.describe_chunks.append(len(tasks))
        return {"tasks": [self.tasks[a] for a in tasks if a in self.tasks]}

    def describe_services(self, cluster, services):
        return {"services": self.services or []}


def task(n, at_minute=None, td=TD, reason=None):
    return {
        "taskArn": f"arn:task/{n}",
        "taskDefinitionArn": td,
        "stoppedReason": reason,
        "stoppedAt": None
        if at_minute is None
        else dt.datetime(2026, 5, 1, 12, at_minute, tzinfo=dt.UTC),
        "containers": [{"exitCode": 1}],
    }


def test_diagnose_lists_by_deployment_sorts_newest_first_filters_and_limits():
    other = TD.replace(":8", ":7")
    tasks = [task(1, 5), task(2, 9), task(3), task(4, 7, td=other), task(5, 8)]
    client = FakeDiagnosisClient(
        [
            {"taskArns": [t["taskArn"] for t in tasks[:3]]},
            {"taskArns": [tasks[3]["taskArn"]]},
            {},
            {"taskArns": [tasks[4]["taskArn"]]},
        ],
        tasks,
        services=[{"events": []}],
    )
    found = diagnostics.diagnose(
        client, "c", "s", deployment_id="ecs-svc/1", task_definition_arn=TD, limit=2
    )
    assert client.listed == [{"cluster": "c", "desiredStatus": "STOPPED", "startedBy": "ecs-svc/1"}]
    assert [t.task_arn for t in found.stopped_tasks] == ["arn:task/2", "arn:task/5"]
    assert found.stopped_tasks[0].stopped_reason == "no stoppedReason given"
    assert found.stopped_tasks[0].containers == [diagnostics.ContainerStop("?", 1, None, None)]


def test_diagnose_without_a_deployment_lists_by_service_and_keeps_undated_tasks_last():
    tasks = [task(1), task(2, 3), {"taskArn": "arn:task/3"}]
    client = FakeDiagnosisClient([{"taskArns": ["arn:task/1", "arn:task/2", "arn:task/3"]}], tasks)
    found = diagnostics.diagnose(client, "c", "s")
    assert client.listed == [{"cluster": "c", "desiredStatus": "STOPPED", "serviceName": "s"}]
    assert [t.task_arn for t in found.stopped_tasks] == ["arn:task/2", "arn:task/1", "arn:task/3"]
    blank = found.stopped_tasks[-1]
    assert (blank.task_definition_arn, blank.stopped_reason, blank.containers) == (
        "",
        "no stoppedReason given",
        [],
    )
    assert found.events == []


def test_diagnose_describes_in_chunks_of_100_and_never_more_than_100_tasks():
    tasks = [task(n, 1) for n in range(250)]
    client = FakeDiagnosisClient([{"taskArns": [t["taskArn"] for t in tasks]}], tasks)
    found = diagnostics.diagnose(client, "c", "s", described_service={}, limit=500)
    assert client.describe_chunks == [100, 100, 50]
    assert len(found.stopped_tasks) == 100


def test_diagnose_takes_events_since_the_start_oldest_first():
    start = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    service = {
        "events": [
            {"createdAt": start + dt.timedelta(minutes=2), "message": "third"},
            {"createdAt": start, "message": "at the start"},
            {"message": "undated"},
            {"createdAt": start - dt.timedelta(seconds=1), "message": "before"},
        ]
    }
    client = FakeDiagnosisClient([], [])
    found = diagnostics.diagnose(client, "c", "s", since=start, described_service=service)
    assert [e.message for e in found.events] == ["at the start", "third"]
    everything = diagnostics.diagnose(client, "c", "s", described_service=service)
    assert [e.message for e in everything.events] == ["before", "undated", "at the start", "third"]
    assert everything.events[1].created_at is None
    no_message = diagnostics.diagnose(client, "c", "s", described_service={"events": [{}]})
    assert no_message.events == [diagnostics.ServiceEvent(None, "")]


def test_diagnose_reads_the_events_of_the_described_service_when_not_given():
    client = FakeDiagnosisClient([], [], services=[{"events": [{"message": "hello"}]}])
    assert [e.message for e in diagnostics.diagnose(client, "c", "s").events] == ["hello"]
    assert diagnostics.diagnose(FakeDiagnosisClient([], []), "c", "s").events == []


def test_times_are_shown_in_utc_whatever_the_local_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        at = dt.datetime(2026, 5, 1, 12, 3, 9, tzinfo=dt.UTC)
        found = diagnostics.Diagnosis("c", "s", None, None, [], [diagnostics.ServiceEvent(at, "e")])
        assert found.lines()[-1] == "  12:03:09Z e"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_at_most_ten_stopped_tasks_are_shown_by_default_and_the_cluster_is_asked():
    tasks = [task(n, n) for n in range(12)]

    class Client(FakeDiagnosisClient):
        def describe_services(self, cluster, services):
            assert (cluster, services) == ("lms-dev", ["s"])
            return {"services": [{"events": [{"message": "e"}]}]}

    client = Client([{"taskArns": [t["taskArn"] for t in tasks]}], tasks)
    found = diagnostics.diagnose(client, "lms-dev", "s")
    assert len(found.stopped_tasks) == 10
    assert [e.message for e in found.events] == ["e"]


def test_answers_without_tasks_or_task_arns_are_read_as_empty():
    class Client(FakeDiagnosisClient):
        def describe_tasks(self, cluster, tasks):
            return {}

    found = diagnostics.diagnose(Client([{"taskArns": ["x"]}], []), "c", "s", described_service={})
    assert found.stopped_tasks == []
    assert diagnostics._stopped_task({}).task_arn == ""


def test_the_diagnosis_names_the_cluster_service_deployment_and_revision_it_looked_at():
    client = FakeDiagnosisClient([], [], services=[{"events": []}])
    found = diagnostics.diagnose(
        client, "lms-dev", "lms-dev-backend", deployment_id="ecs-svc/1", task_definition_arn=TD
    )
    data = found.as_dict()
    assert (data["cluster"], data["service"]) == ("lms-dev", "lms-dev-backend")
    assert (data["deployment_id"], data["task_definition_arn"]) == ("ecs-svc/1", TD)
