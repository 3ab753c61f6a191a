"""Each rule of modules/autoscaling refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

HARNESS = Harness(
    source="modules/autoscaling",
    base={
        "cluster_name": "lms-dev-backend",
        "service_name": "lms-dev-backend",
        "load_balancer_arn_suffix": "app/lms-dev-backend/0123456789abcdef",
        "target_group_arn_suffix": "targetgroup/lmsdev2026/fedcba9876543210",
    },
)
CLUSTER = "cluster_name must be 1-255 letters"
SERVICE = "service_name must be 1-255 letters"
MIN = "min_capacity must be a whole number of tasks from 1 to 5000"
MAX = "max_capacity must be a whole number of tasks from 1 to 5000"
LB = "load_balancer_arn_suffix must be an application load balancer ARN suffix"
TG = "target_group_arn_suffix must be a target group ARN suffix"
REQUESTS = "request_count_target_value must be from 1 to 1000000"
CPU = "cpu_target_value must be null or a percentage from 1 to 100"
MEMORY = "memory_target_value must be null or a percentage from 1 to 100"
SCALE_IN = "scale_in_cooldown must be a whole number of seconds from 0 to 86400"
SCALE_OUT = "scale_out_cooldown must be a whole number of seconds from 0 to 86400"
TAG_PREFIX = "tags keys must not start with aws:"
TAG_SHAPE = "tags keys must be 1-128 and values at most 256 characters"

CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("cluster-space", {"cluster_name": "lms backend"}, CLUSTER),
    BadInput("cluster-empty", {"cluster_name": ""}, CLUSTER),
    BadInput("cluster-too-long", {"cluster_name": "c" * 256}, CLUSTER),
    BadInput("service-slash", {"service_name": "lms/backend"}, SERVICE),
    BadInput("service-too-long", {"service_name": "s" * 256}, SERVICE),
    BadInput("min-zero", {"min_capacity": 0}, MIN),
    BadInput("min-fraction", {"min_capacity": 1.5}, MIN),
    BadInput("min-too-many", {"min_capacity": 5001, "max_capacity": 5000}, MIN),
    BadInput("max-zero", {"max_capacity": 0}, MAX),
    BadInput("max-too-many", {"max_capacity": 5001}, MAX),
    BadInput("capacity-edges", {"min_capacity": 1, "max_capacity": 5000}, None),
    BadInput("capacity-equal-top", {"min_capacity": 5000, "max_capacity": 5000}, None),
    BadInput("lb-name-only", {"load_balancer_arn_suffix": "lms-dev-backend"}, LB),
    BadInput(
        "lb-full-arn",
        {
            "load_balancer_arn_suffix": "arn:aws:elasticloadbalancing:us-east-1:111122223333:"
            "loadbalancer/app/lms/0123"
        },
        LB,
    ),
    BadInput("lb-name-too-long", {"load_balancer_arn_suffix": "app/" + "n" * 33 + "/0123"}, LB),
    BadInput("tg-name-only", {"target_group_arn_suffix": "lmsdev2026"}, TG),
    BadInput(
        "tg-name-too-long", {"target_group_arn_suffix": "targetgroup/" + "n" * 33 + "/0123"}, TG
    ),
    BadInput(
        "suffix-longest-names",
        {
            "load_balancer_arn_suffix": "app/" + "n" * 32 + "/0123",
            "target_group_arn_suffix": "targetgroup/" + "n" * 32 + "/0123",
        },
        None,
    ),
    BadInput("requests-zero", {"request_count_target_value": 0}, REQUESTS),
    BadInput("requests-fraction-below-one", {"request_count_target_value": 0.5}, REQUESTS),
    BadInput("requests-too-many", {"request_count_target_value": 1000001}, REQUESTS),
    BadInput("requests-lowest", {"request_count_target_value": 1}, None),
    BadInput("requests-highest", {"request_count_target_value": 1000000}, None),
    BadInput("cpu-ratio", {"cpu_target_value": 0.7}, CPU),
    BadInput("cpu-over-100", {"cpu_target_value": 101}, CPU),
    BadInput("memory-ratio", {"memory_target_value": 0.8}, MEMORY),
    BadInput("memory-over-100", {"memory_target_value": 100.5}, MEMORY),
    BadInput("utilisation-lowest", {"cpu_target_value": 1, "memory_target_value": 1}, None),
    BadInput("utilisation-highest", {"cpu_target_value": 100, "memory_target_value": 100}, None),
    BadInput("scale-in-negative", {"scale_in_cooldown": -1}, SCALE_IN),
    BadInput("scale-in-fraction", {"scale_in_cooldown": 0.5}, SCALE_IN),
    BadInput("scale-in-too-long", {"scale_in_cooldown": 86401}, SCALE_IN),
    BadInput("scale-out-negative", {"scale_out_cooldown": -1}, SCALE_OUT),
    BadInput("scale-out-fraction", {"scale_out_cooldown": 60.5}, SCALE_OUT),
    BadInput("scale-out-too-long", {"scale_out_cooldown": 86401}, SCALE_OUT),
    BadInput("cooldown-lowest", {"scale_in_cooldown": 0, "scale_out_cooldown": 0}, None),
    BadInput("cooldown-highest", {"scale_in_cooldown": 86400, "scale_out_cooldown": 86400}, None),
    BadInput("tag-aws-prefix", {"tags": {"aws:team": "lms"}}, TAG_PREFIX),
    BadInput("tag-key-empty", {"tags": {"": "lms"}}, TAG_SHAPE),
    BadInput("tag-key-too-long", {"tags": {"k" * 129: "lms"}}, TAG_SHAPE),
    BadInput("tag-character", {"tags": {"Team": "lms!"}}, TAG_SHAPE),
    BadInput("tag-longest", {"tags": {"k" * 128: "v" * 256}}, None),
    BadInput("tag-value-too-long", {"tags": {"Team": "v" * 257}}, TAG_SHAPE),
    # Preconditions: rules across variables.
    BadInput(
        "min-above-max",
        {"min_capacity": 5, "max_capacity": 2},
        "min_capacity must not be greater than max_capacity",
    ),
    BadInput(
        "policy-name-too-long",
        {"cluster_name": "c" * 200, "service_name": "s" * 46},
        "cluster_name and service_name must together be at most 245 characters",
    ),
    BadInput("policy-name-longest", {"cluster_name": "c" * 200, "service_name": "s" * 45}, None),
]


INVENTORY = [Failures("autoscaling", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("autoscaling")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
