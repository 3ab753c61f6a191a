"""Each validation rule of modules/s3-website rejects a bad value and names the variable.

Cases share a plan when they set different variables (a group), so the whole
file costs one plan per group, not one per case.
"""

from __future__ import annotations

import pytest

from lmsops.testing import grouped_plan_errors

EXAMPLE = "modules/s3-website/examples/basic"
LONG_DOMAIN = ("a" * 60) + ".com"  # 64 characters, valid DNS labels
ALMOST_LONG = ("b" * 56) + ".com"  # 60 characters: fits, but www. + it does not

CASES = [
    pytest.param(
        1, {"domain_name": "Dev.Acme-LMS.com"}, "domain_name must be lower case", id="upper-case"
    ),
    pytest.param(
        1,
        {"error_document": "/404.html"},
        "error_document must be a non-empty object key without a leading slash",
        id="error-document-leading-slash",
    ),
    pytest.param(
        2,
        {"domain_name": "dev_site.acme-lms.com"},
        "domain_name must not contain underscores",
        id="underscore",
    ),
    pytest.param(
        2,
        {"index_document": "pages/index.html"},
        "index_document must be a non-empty file name without slashes",
        id="index-document-path",
    ),
    pytest.param(
        3, {"domain_name": "192.168.10.20"}, "domain_name must not be an IP address", id="ip"
    ),
    pytest.param(
        3,
        {"cors_rules": [{"allowed_methods": ["PATCH"], "allowed_origins": ["*"]}]},
        "cors_rules allowed_methods may only contain GET, PUT, POST, DELETE and HEAD",
        id="cors-method",
    ),
    pytest.param(
        4, {"domain_name": LONG_DOMAIN}, "domain_name must be 3-63 characters", id="too-long"
    ),
    pytest.param(5, {"domain_name": "ab"}, "domain_name must be 3-63 characters", id="too-short"),
    pytest.param(
        6,
        {"domain_name": "-dev.acme-lms.com"},
        "domain_name must be dot-separated DNS labels",
        id="label-leading-hyphen",
    ),
    pytest.param(
        7,
        {"domain_name": "dev..acme-lms.com"},
        "domain_name must be dot-separated DNS labels",
        id="empty-label",
    ),
    pytest.param(
        8,
        {"domain_name": ALMOST_LONG, "redirect_www": True},
        f"redirect_www needs domain_name of at most 59 characters: www.{ALMOST_LONG}",
        id="www-too-long",
    ),
]


@pytest.fixture(scope="module")
def group_errors(emulator, repo_copy):
    return grouped_plan_errors(repo_copy / EXAMPLE, CASES, {"domain_name": "site.example-lms.com"})


@pytest.mark.parametrize(("group", "bad_vars", "message"), CASES)
def test_bad_input_is_rejected_with_the_variable_named(group_errors, group, bad_vars, message):
    error = group_errors(group)
    assert message in error, f"{bad_vars} was not rejected with {message!r}:\n{error}"


def test_long_domain_is_rejected_only_for_its_length(group_errors):
    """The 64-character case trips the length rule and no other (it is otherwise valid)."""
    error = group_errors(4)
    assert "must be lower case" not in error
    assert "DNS labels" not in error
