"""Plan assertions for modules/alb-https (its examples/basic root, on a copy)."""

from __future__ import annotations

import pytest
from inventory import Scenario
from plan_helpers import moved_blocks, one, resources_by_type

EXAMPLE = "modules/alb-https/examples/basic"
SERVICE_SG = "sg-0fedcba9876543210"
BASE_VARS = {
    "zone_id": "Z0123456789ABCDEFGHIJ",
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "service_security_group_id": SERVICE_SG,
}
DUALSTACK = {"ip_address_type": "dualstack", "subject_alternative_names": ["www.example.com"]}
# The module alone, given only what it requires: its own defaults (the example sets several).
MODULE_VARS = {**BASE_VARS, "name": "lms-module-api", "domain_name": "api.example.com"}

INVENTORY = [
    Scenario("alb_https_default", EXAMPLE, BASE_VARS),
    Scenario("alb_https_dualstack", EXAMPLE, {**BASE_VARS, **DUALSTACK}),
    Scenario("alb_https_module_defaults", "modules/alb-https", MODULE_VARS),
    Scenario(
        "alb_https_module_no_alias",
        "modules/alb-https",
        {**MODULE_VARS, "create_alias_records": False, "ip_address_type": "dualstack"},
    ),
]


@pytest.fixture(scope="module")
def example(repo_copy):
    return repo_copy / EXAMPLE


@pytest.fixture(scope="module")
def default_plan(inventory):
    return inventory.plan("alb_https_default")


@pytest.fixture(scope="module")
def dualstack_plan(inventory):
    return inventory.plan("alb_https_dualstack")


def module_config(plan_output, *path: str) -> dict:
    module = plan_output.configuration["root_module"]
    for name in path:
        module = module["module_calls"][name]["module"]
    return module


def module_resources(plan_output, *path: str) -> dict[str, dict]:
    config = module_config(plan_output, *(path or ("alb",)))
    return {r["address"]: r for r in config["resources"]}


def listener(plan_output, port: int) -> dict:
    found = [r for r in resources_by_type(plan_output, "aws_lb_listener") if r["port"] == port]
    assert len(found) == 1
    return found[0]


def test_security_group_ingress_443_and_80_from_anywhere_ipv4_and_ipv6(default_plan):
    rules = resources_by_type(default_plan, "aws_vpc_security_group_ingress_rule")
    seen = {
        (r["ip_protocol"], r["from_port"], r["to_port"], r["cidr_ipv4"] or r["cidr_ipv6"])
        for r in rules
    }
    assert len(rules) == 4
    assert seen == {
        ("tcp", port, port, source) for port in (80, 443) for source in ("0.0.0.0/0", "::/0")
    }


def test_security_group_egress_only_to_the_service_on_the_container_port(default_plan):
    (rule,) = resources_by_type(default_plan, "aws_vpc_security_group_egress_rule")
    assert rule["referenced_security_group_id"] == SERVICE_SG
    assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 4000, 4000)
    group = one(default_plan, "aws_security_group")
    assert group["name_prefix"] == "lms-example-api-alb-"


def test_load_balancer_is_public_drops_invalid_headers(default_plan):
    lb = one(default_plan, "aws_lb")
    assert lb["name"] == "lms-example-api"
    assert lb["internal"] is False
    assert lb["load_balancer_type"] == "application"
    assert lb["drop_invalid_header_fields"] is True
    assert lb["enable_deletion_protection"] is False
    assert lb["idle_timeout"] == 60
    assert lb["subnets"] == BASE_VARS["subnet_ids"]
    assert lb["ip_address_type"] == "ipv4"


def test_target_group_is_ip_on_4000_with_health_check_and_short_drain(default_plan):
    tg = one(default_plan, "aws_lb_target_group")
    assert tg["target_type"] == "ip"
    assert (tg["port"], tg["protocol"]) == (4000, "HTTP")
    assert tg["deregistration_delay"] == "30"
    assert tg["name_prefix"] == "lmsexa"
    (check,) = tg["health_check"]
    assert check["enabled"] is True
    # The check reaches the task where traffic does: plain HTTP on the target port.
    assert (check["protocol"], check["port"]) == ("HTTP", "traffic-port")
    assert check["path"] == "/health"
    assert check["matcher"] == "200"
    assert (check["interval"], check["timeout"]) == (10, 5)
    assert (check["healthy_threshold"], check["unhealthy_threshold"]) == (2, 3)


def test_https_listener_uses_tls13_policy_and_the_validated_certificate(default_plan):
    https = listener(default_plan, 443)
    assert https["protocol"] == "HTTPS"
    assert https["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert [a["type"] for a in https["default_action"]] == ["forward"]
    config = module_resources(default_plan)["aws_lb_listener.https"]["expressions"]
    assert "module.certificate.validated_arn" in config["certificate_arn"]["references"]
    outputs = module_config(default_plan, "alb", "certificate")["outputs"]
    validated = outputs["validated_arn"]["expression"]["references"]
    assert "aws_acm_certificate_validation.this.certificate_arn" in validated
    assert (
        "aws_lb_target_group.this.arn"
        in (config["default_action"][0]["target_group_arn"]["references"])
    )


def test_http_listener_redirects_301_to_https(default_plan):
    http = listener(default_plan, 80)
    assert http["protocol"] == "HTTP"
    (action,) = http["default_action"]
    assert action["type"] == "redirect"
    assert action["redirect"][0]["protocol"] == "HTTPS"
    assert action["redirect"][0]["port"] == "443"
    assert action["redirect"][0]["status_code"] == "HTTP_301"


def test_certificate_is_dns_validated_in_the_zone(default_plan):
    cert = one(default_plan, "aws_acm_certificate")
    assert cert["domain_name"] == "api.example.com"
    assert cert["validation_method"] == "DNS"
    assert cert["tags"] == {"Component": "backend", "Name": "api.example.com"}
    record = default_plan.resource_changes[
        'module.alb.module.certificate.aws_route53_record.validation["api.example.com"]'
    ]["change"]["after"]
    assert record["zone_id"] == BASE_VARS["zone_id"]
    assert record["allow_overwrite"] is True
    one(default_plan, "aws_acm_certificate_validation")
    # The certificate module is given this module's domain, names and zone.
    call = module_config(default_plan, "alb")["module_calls"]["certificate"]
    assert call["source"] == "../acm-certificate"
    given = {name: e.get("references", []) for name, e in call["expressions"].items()}
    assert given["domain_name"] == ["var.domain_name"]
    assert given["subject_alternative_names"] == ["var.subject_alternative_names"]
    assert given["zone_id"] == ["var.zone_id"]
    aliases = [r for r in resources_by_type(default_plan, "aws_route53_record") if r["alias"]]
    assert [(r["name"], r["type"], r["zone_id"]) for r in aliases] == [
        ("api.example.com", "A", BASE_VARS["zone_id"])
    ]


def test_alias_records_point_at_this_load_balancer_and_follow_its_health(default_plan):
    (record,) = [r for r in resources_by_type(default_plan, "aws_route53_record") if r["alias"]]
    assert record["alias"][0]["evaluate_target_health"] is True
    # The load balancer's DNS name and zone are known only after apply: where they come from.
    (alias,) = module_resources(default_plan)["aws_route53_record.alias"]["expressions"]["alias"]
    assert "aws_lb.this.dns_name" in alias["name"]["references"]
    assert "aws_lb.this.zone_id" in alias["zone_id"]["references"]


def test_listeners_and_security_group_belong_to_this_load_balancer(default_plan):
    resources = module_resources(default_plan)
    for listener_address in ("aws_lb_listener.https", "aws_lb_listener.http"):
        expressions = resources[listener_address]["expressions"]
        assert "aws_lb.this.arn" in expressions["load_balancer_arn"]["references"]
    groups = resources["aws_lb.this"]["expressions"]["security_groups"]["references"]
    assert "aws_security_group.this.id" in groups
    for rule in (
        "aws_vpc_security_group_ingress_rule.public",
        "aws_vpc_security_group_egress_rule.to_service",
    ):
        group = resources[rule]["expressions"]["security_group_id"]["references"]
        assert "aws_security_group.this.id" in group, rule


def test_module_defaults_protect_the_load_balancer_and_check_health_every_15_seconds(inventory):
    planned = inventory.plan("alb_https_module_defaults")
    lb = one(planned, "aws_lb")
    assert (lb["enable_deletion_protection"], lb["ip_address_type"], lb["idle_timeout"]) == (
        True,
        "ipv4",
        60,
    )
    assert lb["access_logs"] == []
    assert listener(planned, 443)["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    tg = one(planned, "aws_lb_target_group")
    assert (tg["port"], tg["deregistration_delay"]) == (4000, "30")
    (check,) = tg["health_check"]
    assert (check["path"], check["matcher"], check["interval"], check["timeout"]) == (
        "/health",
        "200",
        15,
        5,
    )
    assert (check["healthy_threshold"], check["unhealthy_threshold"]) == (2, 3)
    assert planned.outputs["strict_transport_security"] == "max-age=31536000; includeSubDomains"


def test_alias_records_only_when_asked_for(inventory):
    planned = inventory.plan("alb_https_module_no_alias")
    records = resources_by_type(planned, "aws_route53_record")
    assert records and all(not r["alias"] for r in records)  # the validation records only


def test_dualstack_adds_aaaa_alias_and_alternative_names(dualstack_plan):
    aliases = [r for r in resources_by_type(dualstack_plan, "aws_route53_record") if r["alias"]]
    assert sorted(r["type"] for r in aliases) == ["A", "AAAA"]
    assert one(dualstack_plan, "aws_lb")["ip_address_type"] == "dualstack"
    cert = one(dualstack_plan, "aws_acm_certificate")
    assert sorted(cert["subject_alternative_names"]) == ["api.example.com", "www.example.com"]
    validations = [
        address
        for address in dualstack_plan.resource_changes
        if address.startswith("module.alb.module.certificate.aws_route53_record.validation[")
    ]
    assert sorted(validations) == [
        'module.alb.module.certificate.aws_route53_record.validation["api.example.com"]',
        'module.alb.module.certificate.aws_route53_record.validation["www.example.com"]',
    ]


def test_states_of_the_inline_certificate_move_into_the_module(example):
    """What certificate.tf held before the module keeps its state (applied in integration)."""
    assert moved_blocks(example / "../..") == {
        ("aws_acm_certificate.this", "module.certificate.aws_acm_certificate.this"),
        ("aws_route53_record.validation", "module.certificate.aws_route53_record.validation"),
        (
            "aws_acm_certificate_validation.this",
            "module.certificate.aws_acm_certificate_validation.this",
        ),
    }
