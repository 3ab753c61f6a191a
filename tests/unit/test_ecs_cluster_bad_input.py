"""Each rule of modules/ecs-cluster refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

HARNESS = Harness(source="modules/ecs-cluster", base={"name": "lms-test-backend"})
NAME = "name must be 1-255 letters, digits, hyphens and underscores"
INSIGHTS = "container_insights must be enabled, enhanced or disabled"
TAG_PREFIX = "tags keys must not start with aws:"
TAG_SHAPE = "tags keys must be 1-128 and values at most 256 characters"

CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("name-empty", {"name": ""}, NAME),
    BadInput("name-space", {"name": "lms backend"}, NAME),
    BadInput("name-slash", {"name": "lms/backend"}, NAME),
    BadInput("name-too-long", {"name": "c" * 256}, NAME),
    BadInput("name-longest", {"name": "c" * 255}, None),
    BadInput("name-shortest", {"name": "c"}, None),
    BadInput("name-underscore-upper-case", {"name": "LMS_backend"}, None),
    BadInput("insights-boolean-word", {"container_insights": "true"}, INSIGHTS),
    BadInput("insights-upper-case", {"container_insights": "ENABLED"}, INSIGHTS),
    BadInput("insights-enhanced", {"container_insights": "enhanced"}, None),
    BadInput("insights-disabled", {"container_insights": "disabled"}, None),
    BadInput("insights-null-is-default", {"container_insights": None}, None),
    BadInput("tag-aws-prefix", {"tags": {"aws:team": "lms"}}, TAG_PREFIX),
    BadInput("tag-key-empty", {"tags": {"": "lms"}}, TAG_SHAPE),
    BadInput("tag-key-too-long", {"tags": {"k" * 129: "lms"}}, TAG_SHAPE),
    BadInput("tag-value-too-long", {"tags": {"Team": "v" * 257}}, TAG_SHAPE),
    BadInput("tag-character", {"tags": {"Team": "lms!"}}, TAG_SHAPE),
    BadInput("tag-longest", {"tags": {"k" * 128: "v" * 256}}, None),
]


INVENTORY = [Failures("ecs_cluster", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("ecs_cluster")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
