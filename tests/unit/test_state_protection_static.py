"""The state bucket, the lock table and the public zones refuse `terraform destroy`; what
others depend on is replaced by creating the new one first.

`lifecycle` settings are not in the plan JSON, so they are read from the code itself.
"""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

from lmsops import toolchain

REPO = toolchain.REPO_ROOT

PROTECTED = [
    ("modules/remote-state", "aws_s3_bucket", "state"),
    ("modules/remote-state", "aws_dynamodb_table", "lock"),
    ("bootstrap", "aws_route53_zone", "public"),
]


def resource_block(folder: Path, kind: str, name: str) -> dict:
    """The body of `resource "KIND" "NAME"` in FOLDER's .tf files."""
    for tf in sorted(folder.glob("*.tf")):
        with tf.open() as handle:
            for block in hcl2.load(handle).get("resource", []):
                if name in block.get(kind, {}):
                    return block[kind][name]
    raise AssertionError(f'{folder}: no resource "{kind}" "{name}"')


def unwrap(value):
    """python-hcl2 0.4 wraps attribute values in a one-element list."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


@pytest.mark.parametrize(
    ("folder", "kind", "name"), PROTECTED, ids=lambda part: str(part).replace("/", "-")
)
def test_resource_has_prevent_destroy_true(folder, kind, name):
    body = resource_block(REPO / folder, kind, name)
    [lifecycle] = body.get("lifecycle", [{}])
    assert unwrap(lifecycle.get("prevent_destroy")) is True, (
        f"{folder}: {kind}.{name} must set lifecycle {{ prevent_destroy = true }}"
    )


# Replaced while in use: the new security group, target group or certificate must exist
# before the old one goes, or the load balancer and the tasks lose it for the gap.
REPLACED_FIRST = [
    ("modules/alb-https", "aws_security_group", "this"),
    ("modules/alb-https", "aws_lb_target_group", "this"),
    ("modules/ecs-service", "aws_security_group", "service"),
    ("modules/acm-certificate", "aws_acm_certificate", "this"),
]


@pytest.mark.parametrize(
    ("folder", "kind", "name"), REPLACED_FIRST, ids=lambda part: str(part).replace("/", "-")
)
def test_resource_is_created_before_it_is_destroyed(folder, kind, name):
    body = resource_block(REPO / folder, kind, name)
    [lifecycle] = body.get("lifecycle", [{}])
    assert unwrap(lifecycle.get("create_before_destroy")) is True, (
        f"{folder}: {kind}.{name} must set lifecycle {{ create_before_destroy = true }}"
    )
