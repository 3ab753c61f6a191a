"""CloudWatch in the emulator: DescribeAlarms filters combine, as on AWS."""

from __future__ import annotations

from typing import Any

from moto.cloudwatch.responses import CloudWatchResponse


def combine_cloudwatch_describe_alarms_filters() -> None:
    """Gap: CloudWatch DescribeAlarms applies only one of its filters and ignores AlarmTypes.

    AWS: the filters combine: `AlarmNames` (or `AlarmNamePrefix`, `ActionPrefix`) with
    `StateValue` returns only the named alarms in that state, and `AlarmTypes` limits the
    answer to metric and/or composite alarms (metric alarms only when it is not sent).
    moto picks the first filter present, so `AlarmNames` + `StateValue=ALARM` returns the
    named alarms in every state, and a deploy's bake would see quiet alarms as firing.
    The state and type filters now apply on top of the name filters.
    """
    original = CloudWatchResponse.describe_alarms

    def describe_alarms(self: CloudWatchResponse) -> Any:
        response = original(self)
        state = self._get_param("StateValue")
        types = self._get_param("AlarmTypes") or ["MetricAlarm"]
        result: dict[str, Any] = response.result
        for key in ("MetricAlarms", "CompositeAlarms"):
            kept = result.get(key, []) if key[:-1] in types else []
            result[key] = [a for a in kept if not state or a.state_value == state]
        return response

    CloudWatchResponse.describe_alarms = describe_alarms
