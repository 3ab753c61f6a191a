"""Deployment alarms: Stubber for DescribeAlarms, a fake clock for the bake, the emulator."""

from __future__ import annotations

import datetime as dt
import uuid

import boto3
import pytest
from botocore.stub import Stubber

from lmsops.deploy import alarms

T0 = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
NAMES = ["lms-dev-5xx", "lms-dev-latency"]
QUERY = {"AlarmNames": NAMES, "AlarmTypes": alarms.ALARM_TYPES, "StateValue": "ALARM"}


def metric_alarm(name: str, reason: str = "Threshold Crossed") -> dict:
    return {
        "AlarmName": name,
        "StateValue": "ALARM",
        "StateReason": reason,
        "StateUpdatedTimestamp": T0,
    }


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def cloudwatch():
    return boto3.client(
        "cloudwatch", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


@pytest.fixture
def stub(cloudwatch):
    with Stubber(cloudwatch) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("configuration", "expected"),
    [
        ({"alarms": {"alarmNames": NAMES, "enable": True, "rollback": True}}, NAMES),
        ({"alarms": {"alarmNames": NAMES, "enable": False, "rollback": False}}, []),
        ({"deploymentCircuitBreaker": {"enable": True, "rollback": True}}, []),
        (None, []),
    ],
)
def test_deployment_alarm_names_only_when_enabled(configuration, expected):
    service = {"serviceName": "lms-dev"}
    if configuration is not None:
        service["deploymentConfiguration"] = configuration
    assert alarms.deployment_alarm_names(service) == expected


def test_firing_lists_alarms_in_alarm_in_the_order_asked(cloudwatch, stub):
    stub.add_response(
        "describe_alarms",
        {
            "MetricAlarms": [
                metric_alarm("lms-dev-latency", "p99 above 2 s"),
                metric_alarm("lms-dev-5xx"),
            ]
        },
        QUERY,
    )
    found = alarms.firing(cloudwatch, NAMES)
    assert found == [
        alarms.FiringAlarm("lms-dev-5xx", "Threshold Crossed", T0),
        alarms.FiringAlarm("lms-dev-latency", "p99 above 2 s", T0),
    ]
    assert found[1].line() == (
        "alarm lms-dev-latency is in ALARM since 2026-11-29T12:00:00+00:00: p99 above 2 s"
    )


def test_firing_includes_composite_alarms(cloudwatch, stub):
    stub.add_response(
        "describe_alarms",
        {"CompositeAlarms": [metric_alarm("lms-dev-5xx", "children in ALARM")]},
        QUERY,
    )
    assert [a.name for a in alarms.firing(cloudwatch, NAMES)] == ["lms-dev-5xx"]


def test_firing_with_no_names_makes_no_call(cloudwatch, stub):
    assert alarms.firing(cloudwatch, []) == []


def test_more_than_100_names_are_asked_in_chunks(cloudwatch, stub):
    names = [f"alarm-{i}" for i in range(150)]
    for chunk in (names[:100], names[100:]):
        stub.add_response(
            "describe_alarms",
            {"MetricAlarms": [metric_alarm(chunk[-1])]},
            {"AlarmNames": chunk, "AlarmTypes": alarms.ALARM_TYPES, "StateValue": "ALARM"},
        )
    assert [a.name for a in alarms.firing(cloudwatch, names)] == ["alarm-99", "alarm-149"]


def test_unknown_names_the_alarms_that_do_not_exist(cloudwatch, stub):
    stub.add_response(
        "describe_alarms",
        {"MetricAlarms": [{"AlarmName": "lms-dev-5xx", "StateValue": "OK"}]},
        {"AlarmNames": NAMES, "AlarmTypes": alarms.ALARM_TYPES},
    )
    assert alarms.unknown(cloudwatch, NAMES) == ["lms-dev-latency"]


def test_bake_returns_none_after_the_period_when_all_stay_quiet(cloudwatch, stub):
    fake = FakeTime()
    for _ in range(4):  # at 0, 30, 60 and the last check at 90
        stub.add_response("describe_alarms", {"MetricAlarms": []}, QUERY)
    lines = []
    result = alarms.bake(
        cloudwatch, NAMES, 90, 30, clock=fake.clock, sleep=fake.sleep, log=lines.append
    )
    assert result is None
    assert fake.sleeps == [30, 30, 30]
    assert lines[-1] == "[   90s] bake: 2 alarm(s) quiet, 0 s left"


def test_bake_stops_at_the_first_alarm(cloudwatch, stub):
    fake = FakeTime()
    stub.add_response("describe_alarms", {"MetricAlarms": []}, QUERY)
    stub.add_response("describe_alarms", {"MetricAlarms": [metric_alarm("lms-dev-5xx")]}, QUERY)
    result = alarms.bake(cloudwatch, NAMES, 300, 20, clock=fake.clock, sleep=fake.sleep)
    assert result == alarms.FiringAlarm("lms-dev-5xx", "Threshold Crossed", T0)
    assert fake.sleeps == [20]


def test_bake_last_sleep_is_cut_to_the_end_of_the_period(cloudwatch, stub):
    fake = FakeTime()
    for _ in range(3):
        stub.add_response("describe_alarms", {"MetricAlarms": []}, QUERY)
    assert alarms.bake(cloudwatch, NAMES, 25, 20, clock=fake.clock, sleep=fake.sleep) is None
    assert fake.sleeps == [20, 5]


def test_bake_without_alarms_neither_calls_nor_waits(cloudwatch, stub):
    fake = FakeTime()
    assert alarms.bake(cloudwatch, [], 300, 10, clock=fake.clock, sleep=fake.sleep) is None
    assert fake.sleeps == []


def test_emulated_alarm_set_to_alarm_is_found_firing_during_the_bake(emulator):
    cloudwatch = boto3.session.Session().client("cloudwatch")
    names = [f"deploy-{uuid.uuid4().hex[:8]}-{kind}" for kind in ("5xx", "latency")]
    for name in names:
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/ApplicationELB",
            MetricName="HTTPCode_Target_5XX_Count",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=5,
            ComparisonOperator="GreaterThanThreshold",
        )
    assert alarms.firing(cloudwatch, names) == []
    assert alarms.unknown(cloudwatch, [*names, "no-such-alarm"]) == ["no-such-alarm"]
    fake = FakeTime()

    def sleep(seconds: float) -> None:
        fake.sleep(seconds)
        if fake.now >= 20:  # the new revision starts failing during the bake
            cloudwatch.set_alarm_state(
                AlarmName=names[1], StateValue="ALARM", StateReason="p99 above 2 s"
            )

    found = alarms.bake(cloudwatch, names, 60, 10, clock=fake.clock, sleep=sleep)

    assert (found.name, found.reason) == (names[1], "p99 above 2 s")
    assert found.since is not None
    assert fake.now == 20
