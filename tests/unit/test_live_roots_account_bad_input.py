"""live/<env>/backend and frontend: account guard inputs reject bad values before any call."""

from __future__ import annotations

import pytest

from lmsops.testing import grouped_plan_errors

CASES = [
    pytest.param(
        1,
        {"allowed_account_ids": ["12345"]},
        "allowed_account_ids must hold 12-digit AWS account IDs",
        id="short-account",
    ),
    pytest.param(
        1,
        {"assume_role_arn": "lms-deploy"},
        "assume_role_arn must be null or an IAM role ARN",
        id="role-name-not-arn",
    ),
]


@pytest.fixture(scope="module")
def backend_errors(emulator, repo_copy):
    return grouped_plan_errors(repo_copy / "live/dev/backend", CASES)


@pytest.fixture(scope="module")
def frontend_errors(emulator, repo_copy):
    return grouped_plan_errors(repo_copy / "live/prod/frontend", CASES)


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_backend_rejects_with_the_variable_named(backend_errors, group, bad_vars, message):
    error = backend_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_frontend_rejects_with_the_variable_named(frontend_errors, group, bad_vars, message):
    error = frontend_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"
