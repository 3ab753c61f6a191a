"""Each validation rule of modules/remote-state rejects a bad value and names the variable."""

from __future__ import annotations

import pytest

from lmsops.testing import grouped_plan_errors

EXAMPLE = "modules/remote-state/examples/basic"

# Terraform reports every failed validation of one run, so the cases are planned in a
# few groups (one bad value per variable per group) instead of one plan per case.
CASES = [
    pytest.param(1, {"name": "Acme_State"}, "name must be 3-63 characters", id="name-charset"),
    pytest.param(2, {"name": "acme.lms.state"}, "name must be 3-63 characters", id="name-dots"),
    pytest.param(3, {"name": "xn--acme-state"}, "name must not begin with", id="name-reserved"),
    pytest.param(
        1, {"lock_table_name": "ab"}, "lock_table_name must be 3-255 characters", id="table-name"
    ),
    pytest.param(1, {"locking": "consul"}, 'locking must be "dynamodb"', id="locking"),
    pytest.param(
        1,
        {"kms_key_arn": "arn:aws:kms:us-east-1:111122223333:alias/state"},
        "kms_key_arn must be a KMS key ARN",
        id="kms-alias",
    ),
    pytest.param(
        1,
        {"noncurrent_version_expiration_days": 0},
        "noncurrent_version_expiration_days must be a whole number of days, at least 1",
        id="noncurrent-days",
    ),
    pytest.param(
        2,
        {"noncurrent_version_expiration_days": 1.5},
        "noncurrent_version_expiration_days must be a whole number of days, at least 1",
        id="noncurrent-days-fraction",
    ),
    pytest.param(
        1,
        {"abort_incomplete_multipart_upload_days": 0},
        "abort_incomplete_multipart_upload_days must be a whole number of days, at least 1",
        id="abort-days",
    ),
]


@pytest.fixture(scope="module")
def group_errors(emulator, repo_copy):
    return grouped_plan_errors(
        repo_copy / EXAMPLE, CASES, {"name": "acme-test-tfstate", "s3_use_path_style": False}
    )


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_bad_input_is_rejected_with_the_variable_named(group_errors, group, bad_vars, message):
    error = group_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"
