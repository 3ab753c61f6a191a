"""Each rule of modules/remote-state refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

HARNESS = Harness(source="modules/remote-state", base={"name": "acme-test-tfstate"})
NAME = "name must be 3-63 characters"
RESERVED = "name must not begin with the reserved prefixes"
TABLE = "lock_table_name must be 3-255 characters"
NONCURRENT = "noncurrent_version_expiration_days must be a whole number of days from 1 to 36500"
ABORT = "abort_incomplete_multipart_upload_days must be a whole number of days from 1 to 36500"
TAG_PREFIX = "tags keys must not start with aws:"
TAG_SHAPE = "tags keys must be 1-128 and values at most 256 characters"

CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("name-upper-underscore", {"name": "Acme_State"}, NAME),
    BadInput("name-dots", {"name": "acme.lms.state"}, NAME),
    BadInput("name-too-short", {"name": "ab"}, NAME),
    BadInput("name-shortest", {"name": "abc"}, None),
    BadInput("name-too-long", {"name": "a" * 64}, NAME),
    BadInput("name-longest", {"name": "a" * 63}, None),
    *[
        BadInput(f"name-reserved-{name}", {"name": name}, RESERVED)
        for name in (
            "xn--acme-state",
            "sthree-acme-state",
            "amzn-s3-demo-acme-state",
            "acme-state-s3alias",
            "acme-state--ol-s3",
            "acme-state--x-s3",
            "acme-state--table-s3",
        )
    ],
    BadInput("table-too-short", {"lock_table_name": "ab"}, TABLE),
    BadInput("table-too-long", {"lock_table_name": "t" * 256}, TABLE),
    BadInput("table-space", {"lock_table_name": "lock table"}, TABLE),
    BadInput("table-edges", {"lock_table_name": "t" * 255}, None),
    BadInput("locking", {"locking": "consul"}, 'locking must be "dynamodb"'),
    BadInput(
        "kms-alias",
        {"kms_key_arn": "arn:aws:kms:us-east-1:111122223333:alias/state"},
        "kms_key_arn must be a KMS key ARN",
    ),
    BadInput("noncurrent-zero", {"noncurrent_version_expiration_days": 0}, NONCURRENT),
    BadInput("noncurrent-fraction", {"noncurrent_version_expiration_days": 1.5}, NONCURRENT),
    BadInput("noncurrent-too-many", {"noncurrent_version_expiration_days": 36501}, NONCURRENT),
    BadInput("abort-zero", {"abort_incomplete_multipart_upload_days": 0}, ABORT),
    BadInput("abort-too-many", {"abort_incomplete_multipart_upload_days": 36501}, ABORT),
    BadInput(
        "days-lowest",
        {"noncurrent_version_expiration_days": 1, "abort_incomplete_multipart_upload_days": 1},
        None,
    ),
    BadInput(
        "days-highest",
        {
            "noncurrent_version_expiration_days": 36500,
            "abort_incomplete_multipart_upload_days": 36500,
        },
        None,
    ),
    BadInput(
        "table-name-without-table",
        {"locking": "s3", "lock_table_name": "acme-lock"},
        'lock_table_name needs locking = "dynamodb"',
    ),
    BadInput("s3-locking", {"locking": "s3"}, None),
    BadInput("tag-aws-prefix", {"tags": {"aws:cost-center": "lms"}}, TAG_PREFIX),
    BadInput("tag-key-empty", {"tags": {"": "lms"}}, TAG_SHAPE),
    BadInput("tag-character", {"tags": {"Team": "lms!"}}, TAG_SHAPE),
    BadInput("tag-key-too-long", {"tags": {"k" * 129: "lms"}}, TAG_SHAPE),
    BadInput("tag-value-too-long", {"tags": {"Team": "v" * 257}}, TAG_SHAPE),
    BadInput("tag-longest", {"tags": {"k" * 128: "v" * 256}}, None),
]


INVENTORY = [Failures("remote_state", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("remote_state")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
