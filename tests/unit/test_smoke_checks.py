"""The smoke report (`render`) and how one check's result or error becomes a Check."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from lmsops.smoke.checks import Check, render, run_check

CHECKS = [
    Check("HTTPS listener forwards to the target group", True, "port 443 -> lms-dev"),
    Check("certificate ISSUED", False, "PENDING_VALIDATION"),
    Check("log group retention", True, "30 days"),
]

TEXT = """\
PASS  HTTPS listener forwards to the target group: port 443 -> lms-dev
FAIL  certificate ISSUED: PENDING_VALIDATION
PASS  log group retention: 30 days
2 passed, 1 failed"""

JSON = """\
[
  {
    "name": "HTTPS listener forwards to the target group",
    "ok": true,
    "detail": "port 443 -> lms-dev"
  },
  {
    "name": "certificate ISSUED",
    "ok": false,
    "detail": "PENDING_VALIDATION"
  },
  {
    "name": "log group retention",
    "ok": true,
    "detail": "30 days"
  }
]"""


def test_the_text_report_has_one_line_per_check_then_the_counts():
    assert render(CHECKS, "text") == TEXT


def test_the_report_is_text_unless_json_is_asked_for():
    assert render(CHECKS) == TEXT


def test_the_json_report_lists_each_check_as_an_indented_object():
    assert render(CHECKS, "json") == JSON
    assert json.loads(render(CHECKS, "json"))[1] == {
        "name": "certificate ISSUED",
        "ok": False,
        "detail": "PENDING_VALIDATION",
    }


def test_a_check_that_holds_keeps_its_name_and_detail():
    assert run_check("log group retention", lambda: (True, "30 days")) == Check(
        "log group retention", True, "30 days"
    )


def test_a_check_that_cannot_read_its_resource_fails_naming_the_error():
    def missing_listener():
        raise LookupError("the load balancer has no listener on port 443")

    result = run_check("HTTPS listener forwards to the target group", missing_listener)
    assert result == Check(
        "HTTPS listener forwards to the target group",
        False,
        "LookupError: the load balancer has no listener on port 443",
    )
    assert result.ok is False


def test_an_aws_error_fails_the_check_with_the_service_message():
    def denied():
        error = {"Error": {"Code": "AccessDenied", "Message": "not allowed"}}
        raise ClientError(error, "DescribeListeners")

    assert run_check("listeners", denied) == Check(
        "listeners",
        False,
        "ClientError: An error occurred (AccessDenied) when calling the DescribeListeners "
        "operation: not allowed",
    )
