"""modules/alb-https rejects bad input with a message naming the variable.

Terraform reports every failed variable validation of a run at once: one plan with
all the bad values checks them all.
"""

from __future__ import annotations

import pytest

from lmsops.testing import plan_error

EXAMPLE = "modules/alb-https/examples/basic"
BASE_VARS = {
    "zone_id": "Z0123456789ABCDEFGHIJ",
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "service_security_group_id": "sg-0fedcba9876543210",
}
BAD_VARIABLES = {
    "domain_name": "api..example.com",
    "subject_alternative_names": ["www_example.com"],
    "target_port": 65536,
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa"],
    "zone_id": "not a zone",
}
MESSAGES = {
    "domain_name": "domain_name must be a lower-case fully qualified domain name",
    "subject_alternative_names": "subject_alternative_names must hold lower-case fully qualified",
    "target_port": "target_port must be a whole number from 1 to 65535",
    "subnet_ids": "subnet_ids must list at least two subnets",
    "zone_id": "zone_id must be a Route53 hosted zone ID",
}


@pytest.fixture(scope="module")
def validation_errors(emulator, repo_copy) -> str:
    return plan_error(repo_copy / EXAMPLE, {**BASE_VARS, **BAD_VARIABLES})


@pytest.mark.parametrize("variable", sorted(MESSAGES))
def test_bad_value_is_rejected_naming_the_variable(validation_errors, variable):
    assert MESSAGES[variable] in validation_errors, validation_errors
