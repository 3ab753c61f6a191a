"""modules/alb-https rejects bad input with a message naming the variable."""

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


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"domain_name": "api..example.com"}, "domain_name must be a lower-case fully qualified"),
        ({"domain_name": "-api.example.com"}, "domain_name must be a lower-case fully qualified"),
        ({"domain_name": "localhost"}, "domain_name must be a lower-case fully qualified"),
        ({"subject_alternative_names": ["www_example.com"]}, "subject_alternative_names must"),
        ({"target_port": 65536}, "target_port must be a whole number from 1 to 65535"),
        ({"subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa"]}, "subnet_ids must list at least two"),
        ({"zone_id": "not a zone"}, "zone_id must be a Route53 hosted zone ID"),
    ],
    ids=["double-dot", "leading-hyphen", "single-label", "san", "port", "one-subnet", "zone"],
)
def test_bad_input_is_rejected_naming_the_variable(emulator, repo_copy, bad, message):
    error = readable(plan_error(repo_copy / EXAMPLE, {**BASE_VARS, **bad}))
    assert message in error, error


def readable(error: str) -> str:
    """plan_error's text may carry repr escapes (\\n, \\'); undo them before matching."""
    return " ".join(error.replace("\\n", " ").replace("\\'", "'").split())
