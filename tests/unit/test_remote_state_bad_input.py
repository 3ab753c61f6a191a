"""Each validation rule of modules/remote-state rejects a bad value and names the variable."""

from __future__ import annotations

import pytest

from lmsops.testing import plan_error

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
    """Error text of each group's plan, planned once on first use."""
    cache: dict[int, str] = {}

    def error_of(group: int) -> str:
        if group not in cache:
            tf_vars = {"name": "acme-test-tfstate", "s3_use_path_style": False}
            for param in CASES:
                if param.values[0] == group:
                    tf_vars.update(param.values[1])
            cache[group] = flat(plan_error(repo_copy / EXAMPLE, tf_vars))
        return cache[group]

    return error_of


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_bad_input_is_rejected_with_the_variable_named(group_errors, group, bad_vars, message):
    error = group_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"


def flat(error: str) -> str:
    """Error text on one line; Terraform wraps long messages (tftest may escape newlines)."""
    return " ".join(error.replace("\\n", " ").split())
