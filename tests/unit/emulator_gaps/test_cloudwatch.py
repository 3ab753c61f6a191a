"""CloudWatch gap fills (lmsops.emulator.gaps.cloudwatch), on the session emulator."""

from __future__ import annotations

import boto3
from emulator_helpers import unique


def test_cloudwatch_describe_alarms_combines_name_state_and_type_filters(emulator):
    cloudwatch = boto3.client("cloudwatch")
    names = [unique("alarm") for _ in range(2)]
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
    cloudwatch.set_alarm_state(AlarmName=names[1], StateValue="ALARM", StateReason="5xx")

    def described(**filters) -> list[str]:
        response = cloudwatch.describe_alarms(AlarmNames=names, **filters)
        return sorted(
            a["AlarmName"] for a in response["MetricAlarms"] + response["CompositeAlarms"]
        )

    assert described(StateValue="ALARM") == [names[1]]
    assert described() == sorted(names)
    assert described(AlarmTypes=["CompositeAlarm"]) == []
    assert described(AlarmTypes=["MetricAlarm", "CompositeAlarm"], StateValue="ALARM") == [names[1]]
