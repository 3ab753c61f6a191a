"""Each rule of bootstrap/ refuses a value just past it, naming bootstrap's own variable.

bootstrap/ is instantiated once per case in the plan inventory's failures root (it
configures its own provider, so each instance is planned with its own region). How to
add a case: tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

HARNESS = Harness(
    source="bootstrap",
    base={
        "region": "us-east-1",
        "state_bucket_name": "acme-test-tfstate-0001",
        "hosted_zones": ["bootstrap-bad-input.example"],
        "s3_use_path_style": True,
    },
    header="",
)
REGION = "region must be an AWS Region code"
BUCKET = "state_bucket_name must be 3-63 characters"
RESERVED = "state_bucket_name must not begin with xn--"
DAYS = "state_noncurrent_version_expiration_days must be a whole number of days from 1 to 36500"
ZONES = "hosted_zones must list at least one domain name"

CASES = [
    BadInput("good-committed-values", {}, None),
    BadInput("region-words", {"region": "US East"}, REGION),
    BadInput("region-typo", {"region": "us-esat-1"}, REGION),
    BadInput("region-availability-zone", {"region": "us-east-1a"}, REGION),
    BadInput("region-newest", {"region": "mx-central-1"}, None),
    BadInput("bucket-upper-underscore", {"state_bucket_name": "Acme_TFState"}, BUCKET),
    BadInput("bucket-too-short", {"state_bucket_name": "ab"}, BUCKET),
    BadInput("bucket-too-long", {"state_bucket_name": "b" * 64}, BUCKET),
    BadInput("bucket-longest", {"state_bucket_name": "b" * 63}, None),
    BadInput("bucket-reserved-prefix", {"state_bucket_name": "xn--acme-tfstate"}, RESERVED),
    BadInput("bucket-reserved-suffix", {"state_bucket_name": "acme-tfstate--x-s3"}, RESERVED),
    BadInput("locking", {"locking": "postgres"}, 'locking must be "dynamodb"'),
    BadInput(
        "kms-alias",
        {"state_kms_key_arn": "alias/terraform-state"},
        "state_kms_key_arn must be null or a KMS key ARN",
    ),
    BadInput("days-zero", {"state_noncurrent_version_expiration_days": 0}, DAYS),
    BadInput("days-fraction", {"state_noncurrent_version_expiration_days": 1.5}, DAYS),
    BadInput("days-too-many", {"state_noncurrent_version_expiration_days": 36501}, DAYS),
    BadInput("days-edges", {"state_noncurrent_version_expiration_days": 36500}, None),
    BadInput("days-lowest", {"state_noncurrent_version_expiration_days": 1}, None),
    BadInput("zones-trailing-dot", {"hosted_zones": ["acme-lms.com."]}, ZONES),
    BadInput("zones-empty", {"hosted_zones": []}, ZONES),
    BadInput("zones-too-long", {"hosted_zones": [("z" * 62 + ".") * 4 + "com"]}, ZONES),
    BadInput("zones-longest", {"hosted_zones": [("z" * 61 + ".") * 4 + "com"]}, None),
    BadInput(
        "zones-duplicated",
        {"hosted_zones": ["acme-lms.com", "acme-lms.com"]},
        "hosted_zones must not list the same domain twice",
    ),
]


INVENTORY = [Failures("bootstrap", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("bootstrap")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
