"""Each validation rule of modules/service-monitoring rejects a bad value and names the variable.

Cases share a plan when they set different variables (a group), so the whole file costs
one plan per group, not one per case.
"""

from __future__ import annotations

import pytest

from lmsops.testing import grouped_plan_errors

EXAMPLE = "modules/service-monitoring/examples/basic"

CASES = [
    pytest.param(1, {"name": "LMS_backend"}, "name must be 2-64 lower case letters", id="name"),
    pytest.param(
        1,
        {"load_balancer_arn_suffix": "lms-example-backend"},
        "load_balancer_arn_suffix must be an Application Load Balancer ARN suffix",
        id="lb-suffix",
    ),
    pytest.param(
        1,
        {"target_group_arn_suffix": "app/lms/0123"},
        "target_group_arn_suffix must be a target group ARN suffix",
        id="tg-suffix",
    ),
    pytest.param(
        1,
        {"period_seconds": 45},
        "period_seconds must be 10, 30 or a multiple of 60",
        id="period",
    ),
    pytest.param(
        1, {"evaluation_periods": 0}, "evaluation_periods must be a whole number", id="periods"
    ),
    pytest.param(
        1,
        {"tasks_below_desired_evaluation_periods": 1},
        "tasks_below_desired_evaluation_periods must be a whole number from 2 to 60",
        id="tasks-periods",
    ),
    pytest.param(
        1,
        {"elb_5xx_rate_percent": 0},
        "elb_5xx_rate_percent must be above 0 and at most 100",
        id="elb-5xx",
    ),
    pytest.param(
        1,
        {"target_5xx_rate_percent": 150},
        "target_5xx_rate_percent must be above 0 and at most 100",
        id="target-5xx",
    ),
    pytest.param(
        1,
        {"response_time_statistic": "p50"},
        "response_time_statistic must be p90, p95 or p99",
        id="statistic",
    ),
    pytest.param(
        1,
        {"response_time_threshold_seconds": 0},
        "response_time_threshold_seconds must be above 0 and at most 60",
        id="latency",
    ),
    pytest.param(
        1,
        {"cpu_utilization_percent": 101},
        "cpu_utilization_percent must be above 0 and at most 100",
        id="cpu",
    ),
    pytest.param(
        1,
        {"memory_utilization_percent": -1},
        "memory_utilization_percent must be above 0 and at most 100",
        id="memory",
    ),
    pytest.param(
        1,
        {"notification_emails": ["oncall at example.com"]},
        "notification_emails must hold email addresses",
        id="email",
    ),
    pytest.param(
        1,
        {"kms_deletion_window_days": 3},
        "kms_deletion_window_days must be a whole number from 7 to 30",
        id="kms-window",
    ),
]


@pytest.fixture(scope="module")
def group_errors(emulator, repo_copy):
    return grouped_plan_errors(repo_copy / EXAMPLE, CASES)


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_bad_input_is_rejected_with_the_variable_named(group_errors, group, bad_vars, message):
    error = group_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"
