"""Rollout time implied by a root's settings, read from its plan JSON.

Worst case from `update_service` until the old tasks have drained: a new task
must pass `healthy_threshold` consecutive health checks `interval` seconds
apart, the service ignores failing checks for its grace period, and the old
target is only removed after the target group's deregistration delay.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

TARGET_GROUP = "aws_lb_target_group"
SERVICE = "aws_ecs_service"
# What a target group and a service get when nothing is set.
AWS_DEFAULT_INTERVAL = 30
AWS_DEFAULT_HEALTHY_THRESHOLD = 5
AWS_DEFAULT_DEREGISTRATION_DELAY = 300
AWS_DEFAULT_GRACE_PERIOD = 0


@dataclass(frozen=True)
class RolloutSettings:
    interval: int
    healthy_threshold: int
    deregistration_delay: int
    grace_period: int

    @property
    def health_checks_seconds(self) -> int:
        return self.interval * self.healthy_threshold

    @property
    def total_seconds(self) -> int:
        return self.health_checks_seconds + self.deregistration_delay + self.grace_period


AWS_DEFAULTS = RolloutSettings(
    AWS_DEFAULT_INTERVAL,
    AWS_DEFAULT_HEALTHY_THRESHOLD,
    AWS_DEFAULT_DEREGISTRATION_DELAY,
    AWS_DEFAULT_GRACE_PERIOD,
)


def planned_resources(plan: dict) -> Iterator[dict]:
    """Every resource in the plan's planned values, in the root and nested modules."""
    pending = [plan.get("planned_values", {}).get("root_module", {})]
    while pending:
        module = pending.pop()
        yield from module.get("resources", [])
        pending += module.get("child_modules", [])


def values_of(plan: dict, resource_type: str) -> list[dict]:
    return [
        r.get("values") or {}
        for r in planned_resources(plan)
        if r.get("type") == resource_type and r.get("mode", "managed") == "managed"
    ]


def as_int(value: str | int | None, default: int) -> int:
    # The provider types deregistration_delay as a string ("300").
    return default if value in (None, "") else int(value)


def target_group_settings(values: dict, grace_period: int) -> RolloutSettings:
    checks = values.get("health_check") or [{}]
    check = checks[0] or {}
    return RolloutSettings(
        interval=as_int(check.get("interval"), AWS_DEFAULT_INTERVAL),
        healthy_threshold=as_int(check.get("healthy_threshold"), AWS_DEFAULT_HEALTHY_THRESHOLD),
        deregistration_delay=as_int(
            values.get("deregistration_delay"), AWS_DEFAULT_DEREGISTRATION_DELAY
        ),
        grace_period=grace_period,
    )


def rollout_settings(plan: dict) -> RolloutSettings:
    """The worst case over the root's target groups and services."""
    groups = values_of(plan, TARGET_GROUP)
    services = values_of(plan, SERVICE)
    if not groups or not services:
        raise ValueError(
            f"the plan has {len(groups)} {TARGET_GROUP} and {len(services)} {SERVICE}; "
            "the rollout time needs at least one of each"
        )
    grace = max(
        as_int(s.get("health_check_grace_period_seconds"), AWS_DEFAULT_GRACE_PERIOD)
        for s in services
    )
    candidates = [target_group_settings(g, grace) for g in groups]
    return max(candidates, key=lambda s: s.total_seconds)


def declared_output(plan: dict, name: str) -> int | None:
    """A planned root output's value, when the root declares it and it is known at plan time."""
    output = plan.get("planned_values", {}).get("outputs", {}).get(name) or {}
    value = output.get("value")
    return int(value) if isinstance(value, int | float) else None
