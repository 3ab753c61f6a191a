"""Plan assertions for live/dev/frontend and live/prod/frontend (on a copy, local backend).

The roots look their hosted zone up by name. To stay clear of the acme-lms.com
zone that bootstrap/ (or another test) may have created on the same emulator,
the plans use a zone of their own, passed as zone_name with the site's domain
inside it (the roots refuse a domain outside their zone); every other value
comes from the committed terraform.tfvars.
"""

from __future__ import annotations

import json
import re

import hcl2
import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

ZONE = "frontend-root-plan.test"
DEV_SITE = f"dev.{ZONE}"

INVENTORY = [
    Scenario(
        "frontend_root_dev",
        "live/dev/frontend",
        {"zone_name": ZONE, "domain_name": DEV_SITE},
        zones=(ZONE,),
    ),
    Scenario(
        "frontend_root_prod",
        "live/prod/frontend",
        {"zone_name": ZONE, "domain_name": ZONE},
        zones=(ZONE,),
    ),
]


@pytest.fixture(scope="module")
def zone_id(inventory):
    """The zone's ID in the emulator the inventory planned against."""
    return inventory.facts["zones"][ZONE]


@pytest.fixture(scope="module")
def dev_plan(inventory):
    return inventory.plan("frontend_root_dev")


@pytest.fixture(scope="module")
def prod_plan(inventory):
    return inventory.plan("frontend_root_prod")


def tfvars(repo_copy, env: str) -> dict:
    with (repo_copy / f"live/{env}/frontend/terraform.tfvars").open() as handle:
        values = hcl2.load(handle)
    # python-hcl2 0.4 wraps attribute values in a list
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in values.items()}


def planned(plan_output, address: str) -> dict:
    return plan_output.resource_changes[address]["change"]["after"]


def test_committed_values_name_the_sites_in_the_bootstrap_zone(repo_copy):
    dev, prod = tfvars(repo_copy, "dev"), tfvars(repo_copy, "prod")
    assert (dev["zone_name"], dev["domain_name"]) == ("acme-lms.com", "dev.acme-lms.com")
    assert (prod["zone_name"], prod["domain_name"]) == ("acme-lms.com", "acme-lms.com")
    assert (dev["force_destroy"], prod["force_destroy"]) == (True, False)
    assert (dev["redirect_www"], prod["redirect_www"]) == (False, True)


def test_backend_keys_follow_the_env_component_layout(repo_copy):
    for env in ("dev", "prod"):
        text = (repo_copy / f"live/{env}/frontend/backend.tf").read_text()
        assert re.findall(r'key\s*=\s*"([^"]+)"', text) == [f"{env}/frontend/terraform.tfstate"]


def test_dev_site_bucket_is_disposable_and_aliased_in_the_zone(dev_plan, zone_id):
    bucket = one(dev_plan, "aws_s3_bucket")
    assert bucket["bucket"] == DEV_SITE
    assert bucket["force_destroy"] is True
    assert bucket["tags_all"]["Environment"] == "dev"
    record = one(dev_plan, "aws_route53_record")
    assert (record["name"], record["type"], record["zone_id"]) == (DEV_SITE, "A", zone_id)
    policy = json.loads(one(dev_plan, "aws_s3_bucket_policy")["policy"])
    assert policy["Statement"][0]["Resource"] in (
        f"arn:aws:s3:::{DEV_SITE}/*",
        [f"arn:aws:s3:::{DEV_SITE}/*"],
    )
    assert resources_by_type(dev_plan, "aws_cloudfront_distribution") == []


def test_prod_site_is_kept_on_destroy_and_redirects_www(prod_plan, zone_id):
    buckets = {b["bucket"]: b for b in resources_by_type(prod_plan, "aws_s3_bucket")}
    assert set(buckets) == {ZONE, f"www.{ZONE}"}
    assert all(b["force_destroy"] is False for b in buckets.values())
    redirect = planned(prod_plan, "module.site.aws_s3_bucket_website_configuration.www[0]")[
        "redirect_all_requests_to"
    ]
    assert redirect == [{"host_name": ZONE, "protocol": "http"}]
    records = {
        (r["name"], r["zone_id"]) for r in resources_by_type(prod_plan, "aws_route53_record")
    }
    assert records == {(ZONE, zone_id), (f"www.{ZONE}", zone_id)}
    versioning = planned(prod_plan, "module.site.aws_s3_bucket_versioning.site")
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"


def test_roots_output_the_bucket_name_publish_reads(dev_plan, prod_plan):
    for plan_output in (dev_plan, prod_plan):
        assert {"bucket_name", "website_endpoint", "site_url"} <= set(plan_output.outputs)
    assert dev_plan.outputs["site_url"] == f"http://{DEV_SITE}"
    assert prod_plan.outputs["site_url"] == f"http://{ZONE}"
