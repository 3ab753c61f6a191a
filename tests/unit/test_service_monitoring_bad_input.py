"""Each rule of modules/service-monitoring refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

HARNESS = Harness(
    source="modules/service-monitoring",
    base={
        "name": "lms-test-backend",
        "load_balancer_arn_suffix": "app/lms-test-backend/0123456789abcdef",
        "target_group_arn_suffix": "targetgroup/lmstes20250101/0123456789abcdef",
        "cluster_name": "lms-test-backend",
        "service_name": "lms-test-backend",
    },
)
NAME = "name must be 2-64 lower case letters"
LB = "load_balancer_arn_suffix must be an Application Load Balancer ARN suffix"
TG = "target_group_arn_suffix must be a target group ARN suffix"
PERIOD = "period_seconds must be 10, 30 or a multiple of 60 up to 86400"
EVALUATIONS = "evaluation_periods must be a whole number from 1 to 30"
TASKS = "tasks_below_desired_evaluation_periods must be a whole number from 2 to 60"
ELB_5XX = "elb_5xx_rate_percent must be above 0 and at most 100"
TARGET_5XX = "target_5xx_rate_percent must be above 0 and at most 100"
STATISTIC = "response_time_statistic must be p90, p95 or p99"
LATENCY = "response_time_threshold_seconds must be above 0 and at most 60"
CPU = "cpu_utilization_percent must be above 0 and at most 100"
MEMORY = "memory_utilization_percent must be above 0 and at most 100"
EMAILS = "notification_emails must hold email addresses"
KMS_WINDOW = "kms_deletion_window_days must be a whole number from 7 to 30"

CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("name-underscore", {"name": "lms_backend"}, NAME),
    BadInput("name-upper-case", {"name": "LMS-backend"}, NAME),
    BadInput("name-one-character", {"name": "a"}, NAME),
    BadInput("name-too-long", {"name": "a" * 65}, NAME),
    BadInput("name-trailing-hyphen", {"name": "lms-"}, NAME),
    BadInput("name-shortest", {"name": "ab"}, None),
    BadInput("name-longest", {"name": "a" * 64}, None),
    BadInput("lb-suffix-name-only", {"load_balancer_arn_suffix": "lms-test-backend"}, LB),
    BadInput(
        "lb-suffix-network", {"load_balancer_arn_suffix": "net/lms-test-backend/0123abcd"}, LB
    ),
    BadInput("tg-suffix-lb-suffix", {"target_group_arn_suffix": "app/lms/0123"}, TG),
    BadInput("tg-suffix-id-not-hex", {"target_group_arn_suffix": "targetgroup/lms/XYZ"}, TG),
    BadInput("period-45", {"period_seconds": 45}, PERIOD),
    BadInput("period-too-long", {"period_seconds": 86460}, PERIOD),
    BadInput("period-5", {"period_seconds": 5}, PERIOD),
    BadInput("period-10", {"period_seconds": 10}, None),
    BadInput("period-30", {"period_seconds": 30}, None),
    BadInput("period-longest", {"period_seconds": 86400}, None),
    BadInput("evaluations-zero", {"evaluation_periods": 0}, EVALUATIONS),
    BadInput("evaluations-too-many", {"evaluation_periods": 31}, EVALUATIONS),
    BadInput("evaluations-fraction", {"evaluation_periods": 2.5}, EVALUATIONS),
    BadInput("evaluations-edges", {"evaluation_periods": 1}, None),
    BadInput("evaluations-most", {"evaluation_periods": 30}, None),
    BadInput("tasks-periods-one", {"tasks_below_desired_evaluation_periods": 1}, TASKS),
    BadInput("tasks-periods-too-many", {"tasks_below_desired_evaluation_periods": 61}, TASKS),
    BadInput("tasks-periods-fraction", {"tasks_below_desired_evaluation_periods": 2.5}, TASKS),
    BadInput("tasks-periods-fewest", {"tasks_below_desired_evaluation_periods": 2}, None),
    BadInput("tasks-periods-most", {"tasks_below_desired_evaluation_periods": 60}, None),
    BadInput("elb-5xx-zero", {"elb_5xx_rate_percent": 0}, ELB_5XX),
    BadInput("elb-5xx-over-100", {"elb_5xx_rate_percent": 100.5}, ELB_5XX),
    BadInput("elb-5xx-edges", {"elb_5xx_rate_percent": 100}, None),
    BadInput("elb-5xx-small", {"elb_5xx_rate_percent": 0.1}, None),
    BadInput("target-5xx-zero", {"target_5xx_rate_percent": 0}, TARGET_5XX),
    BadInput("target-5xx-over-100", {"target_5xx_rate_percent": 100.5}, TARGET_5XX),
    BadInput("target-5xx-small", {"target_5xx_rate_percent": 0.1}, None),
    BadInput("target-5xx-edges", {"target_5xx_rate_percent": 100}, None),
    BadInput("statistic-p50", {"response_time_statistic": "p50"}, STATISTIC),
    BadInput("statistic-average", {"response_time_statistic": "Average"}, STATISTIC),
    BadInput("statistic-p90", {"response_time_statistic": "p90"}, None),
    BadInput("latency-zero", {"response_time_threshold_seconds": 0}, LATENCY),
    BadInput("latency-too-long", {"response_time_threshold_seconds": 61}, LATENCY),
    BadInput("latency-edges", {"response_time_threshold_seconds": 60}, None),
    BadInput("latency-small", {"response_time_threshold_seconds": 0.05}, None),
    BadInput("cpu-zero", {"cpu_utilization_percent": 0}, CPU),
    BadInput("cpu-over-100", {"cpu_utilization_percent": 101}, CPU),
    BadInput("cpu-edges", {"cpu_utilization_percent": 100}, None),
    BadInput("memory-negative", {"memory_utilization_percent": -1}, MEMORY),
    BadInput("memory-zero", {"memory_utilization_percent": 0}, MEMORY),
    BadInput("memory-over-100", {"memory_utilization_percent": 101}, MEMORY),
    BadInput("memory-edges", {"memory_utilization_percent": 100}, None),
    BadInput("email-without-at", {"notification_emails": ["oncall at example.com"]}, EMAILS),
    BadInput("email-without-domain", {"notification_emails": ["oncall@example"]}, EMAILS),
    BadInput("email-good", {"notification_emails": ["oncall@example.com"]}, None),
    BadInput("kms-window-short", {"kms_deletion_window_days": 6}, KMS_WINDOW),
    BadInput("kms-window-long", {"kms_deletion_window_days": 31}, KMS_WINDOW),
    BadInput("kms-window-fraction", {"kms_deletion_window_days": 7.5}, KMS_WINDOW),
    BadInput("kms-window-shortest", {"kms_deletion_window_days": 7}, None),
    BadInput("kms-window-longest", {"kms_deletion_window_days": 30}, None),
]


INVENTORY = [Failures("service_monitoring", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("service_monitoring")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
