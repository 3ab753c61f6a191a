"""Deployment alarms (issue 14): which CloudWatch alarms guard a service, which fire, bake time.

ECS watches the alarms of a service's `deploymentConfiguration.alarms` during a rollout
and rolls back when one fires. After ECS reports COMPLETED, a deploy can keep watching
the same alarms for a bake period and roll back itself when one goes to ALARM.

Public interface
----------------
`deployment_alarm_names(service: dict) -> list[str]`
    The alarm names of a described ECS service's `deploymentConfiguration.alarms` when
    `enable` is true; [] otherwise (no block, or disabled).

`FiringAlarm(name: str, reason: str, since: datetime | None)`  (frozen dataclass)
    An alarm in state ALARM: its StateReason and StateUpdatedTimestamp.
    `.line() -> str` one sentence to print.

`firing(cloudwatch, names: Sequence[str]) -> list[FiringAlarm]`
    The alarms among NAMES in state ALARM (metric and composite alarms), in NAMES' order.
    One DescribeAlarms call per 100 names (StateValue=ALARM); no call when NAMES is empty.

`unknown(cloudwatch, names: Sequence[str]) -> list[str]`
    The names among NAMES that no alarm has (a typo in the service's alarms block would
    otherwise never fire); for a preflight check.

`bake(cloudwatch, names, seconds: float, poll: float, *, clock=time.monotonic,
      sleep=time.sleep, log=None) -> FiringAlarm | None`
    Watch NAMES for SECONDS: check at once, then every POLL seconds, and a last time when
    the period ends. Returns the first alarm found firing (stops watching at once), or
    None when none fired. CLOCK/SLEEP are injectable so tests take no real time; LOG
    (a callable taking a line) hears one progress line per check.
    With no names it returns None without any call or wait.

ClientErrors propagate (wrap calls in `lmsops.deploy.ecs.aws_errors()`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

DESCRIBE_ALARMS_MAX_NAMES = 100
ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"]


@dataclass(frozen=True)
class FiringAlarm:
    name: str
    reason: str
    since: dt.datetime | None

    def line(self) -> str:
        when = f" since {self.since.isoformat()}" if self.since else ""
        return f"alarm {self.name} is in ALARM{when}: {self.reason}"


def deployment_alarm_names(service: dict) -> list[str]:
    alarms = (service.get("deploymentConfiguration") or {}).get("alarms") or {}
    if not alarms.get("enable"):
        return []
    return list(alarms.get("alarmNames") or [])


def firing(cloudwatch: Any, names: Sequence[str]) -> list[FiringAlarm]:
    found: dict[str, FiringAlarm] = {}
    for alarm in _describe(cloudwatch, names, StateValue="ALARM"):
        found[alarm["AlarmName"]] = FiringAlarm(
            name=alarm["AlarmName"],
            reason=alarm.get("StateReason", ""),
            since=alarm.get("StateUpdatedTimestamp"),
        )
    return [found[name] for name in names if name in found]


def unknown(cloudwatch: Any, names: Sequence[str]) -> list[str]:
    known = {alarm["AlarmName"] for alarm in _describe(cloudwatch, names)}
    return [name for name in names if name not in known]


def bake(
    cloudwatch: Any,
    names: Sequence[str],
    seconds: float,
    poll: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] | None = None,
) -> FiringAlarm | None:
    if not names:
        return None
    started = clock()
    deadline = started + seconds
    while True:
        alarms = firing(cloudwatch, names)
        elapsed = clock() - started
        if alarms:
            if log:
                log(f"[{elapsed:5.0f}s] bake: {alarms[0].line()}")
            return alarms[0]
        remaining = deadline - clock()
        if log:
            log(
                f"[{elapsed:5.0f}s] bake: {len(names)} alarm(s) quiet, "
                f"{max(remaining, 0):.0f} s left"
            )
        if remaining <= 0:
            return None
        sleep(min(poll, remaining))


def _describe(cloudwatch: Any, names: Sequence[str], **filters: str) -> list[dict]:
    alarms: list[dict] = []
    for start in range(0, len(names), DESCRIBE_ALARMS_MAX_NAMES):
        chunk = list(names[start : start + DESCRIBE_ALARMS_MAX_NAMES])
        paginator = cloudwatch.get_paginator("describe_alarms")
        for page in paginator.paginate(AlarmNames=chunk, AlarmTypes=ALARM_TYPES, **filters):
            alarms.extend(page.get("MetricAlarms", []))
            alarms.extend(page.get("CompositeAlarms", []))
    return alarms
