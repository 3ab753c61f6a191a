"""Plan assertions for modules/acm-certificate (its examples/basic root, on a copy)."""

from __future__ import annotations

import hcl2
import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

from lmsops import toolchain

EXAMPLE = "modules/acm-certificate/examples/basic"
MODULE = toolchain.REPO_ROOT / "modules/acm-certificate"
DOMAIN = "api.example-lms.com"  # the example's default domain_name
NAMES = ["www.example-lms.com", "*.example-lms.com"]


FULL = {
    "subject_alternative_names": NAMES,
    "key_algorithm": "EC_prime256v1",
    "validation_timeout": "45m",
}
INVENTORY = [
    Scenario("acm_certificate_default", EXAMPLE),
    # Alternative names (one a wildcard), an EC key and a validation timeout.
    Scenario("acm_certificate_full", EXAMPLE, FULL),
]


@pytest.fixture(scope="module")
def default_plan(inventory):
    return inventory.plan("acm_certificate_default")


@pytest.fixture(scope="module")
def full_plan(inventory):
    return inventory.plan("acm_certificate_full")


def module_config(plan_output) -> dict:
    return plan_output.configuration["root_module"]["module_calls"]["certificate"]["module"]


def validation_records(plan_output) -> dict[str, dict]:
    prefix = "module.certificate.aws_route53_record.validation["
    return {
        address.removeprefix(prefix).rstrip("]").strip('"'): change["change"]["after"]
        for address, change in plan_output.resource_changes.items()
        if address.startswith(prefix)
    }


def test_certificate_is_dns_validated_rsa_2048_with_transparency_logging(default_plan):
    cert = one(default_plan, "aws_acm_certificate")
    assert cert["domain_name"] == DOMAIN
    assert cert["validation_method"] == "DNS"
    assert cert["key_algorithm"] == "RSA_2048"
    assert cert["options"] == [{"certificate_transparency_logging_preference": "ENABLED"}]
    assert cert["tags"] == {"Component": "example", "Name": DOMAIN}


def test_one_validation_record_per_name_in_the_zone(default_plan, full_plan):
    (record,) = validation_records(default_plan).values()
    assert (record["ttl"], record["allow_overwrite"]) == (60, True)
    assert set(validation_records(full_plan)) == {DOMAIN, *NAMES}
    zone = module_config(full_plan)["resources"]
    (records,) = [r for r in zone if r["address"] == "aws_route53_record.validation"]
    assert records["expressions"]["zone_id"]["references"] == ["var.zone_id"]


def test_validation_waits_for_this_certificate_and_its_records(default_plan):
    one(default_plan, "aws_acm_certificate_validation")
    resources = {r["address"]: r for r in module_config(default_plan)["resources"]}
    expressions = resources["aws_acm_certificate_validation.this"]["expressions"]
    assert "aws_acm_certificate.this.arn" in expressions["certificate_arn"]["references"]
    assert "aws_route53_record.validation" in expressions["validation_record_fqdns"]["references"]
    validated = module_config(default_plan)["outputs"]["validated_arn"]["expression"]
    assert "aws_acm_certificate_validation.this.certificate_arn" in validated["references"]


def test_validation_timeout_only_when_given(default_plan, full_plan):
    assert one(default_plan, "aws_acm_certificate_validation")["timeouts"] is None
    assert one(full_plan, "aws_acm_certificate_validation")["timeouts"] == {"create": "45m"}


def test_names_and_key_algorithm_are_the_inputs(full_plan):
    cert = one(full_plan, "aws_acm_certificate")
    assert sorted(cert["subject_alternative_names"]) == sorted([DOMAIN, *NAMES])
    assert cert["key_algorithm"] == "EC_prime256v1"


def test_everything_uses_the_provider_the_caller_passes(default_plan):
    """The example passes its aws.certificate provider; nothing falls back to the default."""
    resources = module_config(default_plan)["resources"]
    assert len(resources) == 3
    for resource in resources:
        assert resource["provider_config_key"] == "aws.certificate", resource["address"]
    assert len(resources_by_type(default_plan, "aws_route53_record")) == 1


def test_certificate_is_created_before_the_old_one_is_destroyed():
    """create_before_destroy is not in the plan JSON; it is read from the code."""
    with (MODULE / "main.tf").open() as handle:
        resources = hcl2.load(handle)["resource"]
    (cert,) = [r["aws_acm_certificate"]["this"] for r in resources if "aws_acm_certificate" in r]
    (lifecycle,) = cert["lifecycle"]
    assert lifecycle["create_before_destroy"] in (True, [True])
