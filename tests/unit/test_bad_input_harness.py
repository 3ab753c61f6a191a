"""The bad-input harness files each Terraform error under the case that caused it."""

from __future__ import annotations

import pytest
from plan_helpers import BadInput, _file_diagnostics, hcl_value, package_source

CASES = {
    "case_name_too_long": BadInput("name-too-long", {"name": "x" * 40}, "name must be"),
    "case_good": BadInput("good", {}, None),
}


def validation_error(context: str) -> dict:
    return {
        "severity": "error",
        "summary": "Invalid value for variable",
        "detail": "name must be\n  short.",
        "range": {"filename": "main.tf"},
        "snippet": {"context": context},
    }


def test_variable_errors_go_to_the_module_block_that_set_the_value():
    errors = {case.id: [] for case in CASES.values()}
    _file_diagnostics([validation_error('module "case_name_too_long"')], CASES, errors)
    assert errors == {"name-too-long": ["name must be short."], "good": []}


def test_errors_inside_an_instance_copy_go_to_that_instance():
    errors = {case.id: [] for case in CASES.values()}
    precondition = {
        "severity": "error",
        "summary": "Resource precondition failed",
        "detail": "zone_id must be set",
        "range": {"filename": ".terraform/modules/case_good/s3-website/dns.tf"},
    }
    warning = {**precondition, "severity": "warning"}
    _file_diagnostics([precondition, warning], CASES, errors)
    assert errors == {"name-too-long": [], "good": ["zone_id must be set"]}


def test_an_error_of_no_case_fails_loudly():
    errors = {case.id: [] for case in CASES.values()}
    with pytest.raises(AssertionError, match="errors of no case"):
        _file_diagnostics([validation_error('module "case_unknown"')], CASES, errors)


def test_values_are_hcl_literals_without_interpolation():
    assert hcl_value({"a": ["${var.x}", None, 1.5]}) == '{"a": ["$${var.x}", null, 1.5]}'


def test_modules_are_copied_alone_and_roots_with_the_modules_they_use(tmp_path):
    assert package_source(tmp_path, "modules/s3-website") == f"{tmp_path}/modules//s3-website"
    assert package_source(tmp_path, "live/_stacks/backend") == f"{tmp_path}//live/_stacks/backend"
