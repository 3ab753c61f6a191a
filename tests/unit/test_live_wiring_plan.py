"""Wiring of the live roots: the links between modules, checked on their plans.

Values known at plan time (ports, subnets, bucket names) are compared directly. Values
known only after apply (certificate ARN, ARN suffixes) are followed through the plan's
`configuration` (module inputs and outputs) and the modules' locals, down to the
resource attributes they are made of. The state bucket's and lock table's protections
are checked in test_state_protection_static.py (prevent_destroy is not in plans).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import hcl2
import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

ZONE = "live-wiring-plan.example"
ENVS = ("dev", "prod")
REFERENCE = re.compile(r"\b(?:var|local|module|data|aws_[a-z0-9_]+)\.[A-Za-z0-9_.\[\]\"-]+")


def site_domain(env: str) -> str:
    # The root refuses a site domain outside its zone: the site goes inside the test's zone.
    return f"site.{env}.{ZONE}"


INVENTORY = [
    *(
        Scenario(
            f"live_wiring_{env}_backend",
            f"live/{env}/backend",
            {"zone_name": ZONE, "domain_name": f"api.{env}.{ZONE}"},
            zones=(ZONE,),
        )
        for env in ENVS
    ),
    *(
        Scenario(
            f"live_wiring_{env}_frontend",
            f"live/{env}/frontend",
            {"zone_name": ZONE, "domain_name": site_domain(env)},
            zones=(ZONE,),
        )
        for env in ENVS
    ),
]


@pytest.fixture(scope="module", params=ENVS)
def backend(request, inventory, repo_copy):
    env = request.param
    root = repo_copy / f"live/{env}/backend"
    return root, inventory.plan(f"live_wiring_{env}_backend")


@pytest.fixture(scope="module", params=ENVS)
def frontend(request, inventory, repo_copy):
    env = request.param
    root = repo_copy / f"live/{env}/frontend"
    return root, inventory.plan(f"live_wiring_{env}_frontend"), site_domain(env)


# -- following references through the configuration ------------------------------------


def module_config(configuration: dict, path: tuple[str, ...]) -> dict:
    module = configuration["root_module"]
    for name in path:
        module = module["module_calls"][name]["module"]
    return module


def module_dir(root: Path, configuration: dict, path: tuple[str, ...]) -> Path:
    folder, module = root, configuration["root_module"]
    for name in path:
        call = module["module_calls"][name]
        folder, module = (folder / call["source"]).resolve(), call["module"]
    return folder


def local_references(folder: Path, name: str) -> list[str]:
    """References inside `local.NAME`, read from the module's code (plans omit locals)."""
    for tf in sorted(folder.glob("*.tf")):
        with tf.open() as handle:
            for block in hcl2.load(handle).get("locals", []):
                if name in block:
                    return REFERENCE.findall(json.dumps(block[name]))
    raise AssertionError(f"{folder}: no local {name}")


class Wiring:
    """The resource attributes an expression in a planned root is built from."""

    def __init__(self, root: Path, plan_output):
        self.root = root
        self.configuration = plan_output.configuration

    def resource(self, path: tuple[str, ...], address: str) -> dict:
        resources = module_config(self.configuration, path)["resources"]
        return next(r for r in resources if r["address"] == address)

    def sources(self, path: tuple[str, ...], refs: list[str], each: list[str] = ()) -> set[str]:
        found: set[str] = set()
        for ref in refs:
            head, _, rest = ref.partition(".")
            if head == "var":
                name = rest.split(".")[0].split("[")[0]
                if not path:
                    found.add(f"var.{name}")
                    continue
                parent = module_config(self.configuration, path[:-1])
                argument = parent["module_calls"][path[-1]]["expressions"].get(name, {})
                found |= self.sources(path[:-1], argument.get("references", []))
            elif head == "module" and "." in rest:
                child, output = rest.split(".")[:2]
                expression = module_config(self.configuration, (*path, child))["outputs"][output]
                refs_out = expression["expression"].get("references", [])
                found |= self.sources((*path, child), refs_out)
            elif head == "local":
                folder = module_dir(self.root, self.configuration, path)
                found |= self.sources(path, local_references(folder, rest.split(".")[0]), each)
            elif head == "each":
                found |= self.sources(path, list(each))
            elif head.startswith("aws_") and rest.count(".") >= 1:
                found.add(".".join([*(f"module.{p}" for p in path), ref]))
        return found

    def attribute(self, path: tuple[str, ...], address: str, *keys: str | int) -> set[str]:
        """Sources of attribute KEYS (a path through nested blocks) of resource ADDRESS."""
        resource = self.resource(path, address)
        value = resource["expressions"]
        for key in keys:
            value = value[key]
        each = resource.get("for_each_expression", {}).get("references", [])
        return self.sources(path, value.get("references", []), each)


# -- backend -------------------------------------------------------------------------


def test_target_group_port_is_the_container_port_and_the_only_port_tasks_admit(backend):
    _, planned = backend
    port = planned.outputs["container_port"]
    assert one(planned, "aws_lb_target_group")["port"] == port
    [binding] = one(planned, "aws_ecs_service")["load_balancer"]
    assert (binding["container_name"], binding["container_port"]) == ("app", port)
    from_load_balancer = [
        (r["from_port"], r["to_port"])
        for r in resources_by_type(planned, "aws_vpc_security_group_ingress_rule")
        if not (r.get("cidr_ipv4") or r.get("cidr_ipv6"))
    ]
    to_service = [
        (r["from_port"], r["to_port"])
        for r in resources_by_type(planned, "aws_vpc_security_group_egress_rule")
        if not (r.get("cidr_ipv4") or r.get("cidr_ipv6"))
    ]
    assert to_service == [(port, port)]  # the load balancer's rule: to the service's group
    assert from_load_balancer == [(port, port)]  # the service's rule: from the LB's group


def test_load_balancer_reaches_the_service_group_only_on_the_container_port(backend):
    root, planned = backend
    wiring = Wiring(root, planned)
    assert wiring.attribute(
        ("service",),
        "aws_vpc_security_group_ingress_rule.from_load_balancer",
        "referenced_security_group_id",
    ) == {"module.alb.aws_security_group.this.id"}
    assert wiring.attribute(
        ("service",), "aws_vpc_security_group_ingress_rule.from_load_balancer", "from_port"
    ) == {"var.container_port"}
    assert wiring.attribute(("alb",), "aws_lb_target_group.this", "port") == {"var.container_port"}
    # The task definition's JSON (unknown until the repository exists) maps the same port.
    assert "var.container_port" in wiring.attribute(
        ("service",), "aws_ecs_task_definition.this", "container_definitions"
    )


def test_https_listener_serves_the_validated_certificate(backend):
    root, planned = backend
    wiring = Wiring(root, planned)
    certificate = ("alb", "certificate")
    assert wiring.attribute(("alb",), "aws_lb_listener.https", "certificate_arn") == {
        "module.alb.module.certificate.aws_acm_certificate_validation.this.certificate_arn"
    }
    assert wiring.attribute(
        certificate, "aws_acm_certificate_validation.this", "certificate_arn"
    ) == {"module.alb.module.certificate.aws_acm_certificate.this.arn"}
    assert wiring.attribute(certificate, "aws_acm_certificate.this", "domain_name") == {
        "var.domain_name"
    }


def test_request_count_policy_label_is_this_load_balancer_and_target_group(backend):
    root, planned = backend
    wiring = Wiring(root, planned)
    label = wiring.attribute(
        ("autoscaling",),
        "aws_appautoscaling_policy.this",
        "target_tracking_scaling_policy_configuration",
        0,
        "predefined_metric_specification",
        0,
        "resource_label",
    )
    # The label comes from local.policies, read whole: its other entries add only variables.
    resources = {source for source in label if source.startswith("module.")}
    assert resources == {
        "module.alb.aws_lb.this.arn_suffix",
        "module.alb.aws_lb_target_group.this.arn_suffix",
    }
    target = wiring.attribute(("autoscaling",), "aws_appautoscaling_target.this", "resource_id")
    assert target == {
        "module.cluster.aws_ecs_cluster.this.name",
        "module.service.aws_ecs_service.this.name",
    }
    # The service runs in that same cluster.
    assert wiring.attribute(("service",), "aws_ecs_service.this", "cluster") == {
        "module.cluster.aws_ecs_cluster.this.arn"
    }
    assert wiring.attribute(("autoscaling",), "aws_appautoscaling_policy.this", "resource_id") == {
        "module.autoscaling.aws_appautoscaling_target.this.resource_id"
    }


def default_subnet_ids(inventory) -> list[str]:
    """The default subnets of the emulator the inventory planned against."""
    return sorted(s["SubnetId"] for s in inventory.facts["default_subnets"])


def subnet_vpcs(inventory, subnet_ids: list[str]) -> set[str]:
    return {s["VpcId"] for s in inventory.facts["default_subnets"] if s["SubnetId"] in subnet_ids}


def test_service_and_load_balancer_share_the_two_chosen_default_subnets(backend, inventory):
    _, planned = backend
    chosen = default_subnet_ids(inventory)[:2]
    assert len(chosen) == 2
    network = one(planned, "aws_ecs_service")["network_configuration"][0]
    assert sorted(network["subnets"]) == chosen
    assert sorted(one(planned, "aws_lb")["subnets"]) == chosen
    target_group_vpc = one(planned, "aws_lb_target_group")["vpc_id"]
    assert subnet_vpcs(inventory, chosen) == {target_group_vpc}


# -- frontend ------------------------------------------------------------------------


def tfvars(root: Path) -> dict:
    with (root / "terraform.tfvars").open() as handle:
        values = hcl2.load(handle)
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in values.items()}


def test_site_bucket_is_named_after_the_domain(frontend):
    root, planned, domain = frontend
    buckets = {b["bucket"] for b in resources_by_type(planned, "aws_s3_bucket")}
    assert domain in buckets
    wiring = Wiring(root, planned)
    assert wiring.attribute(("site",), "aws_s3_bucket.site", "bucket") == {"var.domain_name"}


# -- every root input reaches the module input of its name ------------------------------

# Module inputs that take a root variable of another name, on purpose.
RENAMED = {
    ("alb", "target_port"): "var.container_port",
    ("alb", "access_logs_force_destroy"): "var.ecr_force_delete",
    ("service", "desired_count"): "var.min_capacity",
    ("waf", "rate_limit"): "var.waf_rate_limit",
    ("monitoring", "notification_emails"): "var.alarm_emails",
}


def root_variables(planned) -> set[str]:
    return set(planned.configuration["root_module"]["variables"])


def passed_variables(planned) -> dict[tuple[str, str], list[str]]:
    """(module, input) -> the root variables its argument references."""
    calls = planned.configuration["root_module"]["module_calls"]
    return {
        (module, name): [r for r in argument.get("references", []) if r.startswith("var.")]
        for module, call in calls.items()
        for name, argument in call["expressions"].items()
    }


def check_inputs_take_their_variables(planned) -> None:
    """An input named like a root variable takes exactly it; the renamed ones theirs."""
    variables = root_variables(planned)
    calls = planned.configuration["root_module"]["module_calls"]
    for (module, name), refs in passed_variables(planned).items():
        if name in variables:
            assert refs == [f"var.{name}"], f"module.{module}.{name} takes {refs}"
        elif (module, name) in RENAMED:
            assert refs == [RENAMED[(module, name)]], f"module.{module}.{name} takes {refs}"
    # And no module input of a root variable's name is left to its default.
    for module, call in calls.items():
        inputs = set(call["module"].get("variables", {}))
        missing = sorted((inputs & variables) - set(call["expressions"]))
        assert missing == [], f"module.{module} is not given {missing}"


# The fields of the backend's `alarms` object: each is the monitoring input of its name.
ALARM_SETTINGS = (
    "period_seconds",
    "evaluation_periods",
    "tasks_below_desired_evaluation_periods",
    "elb_5xx_rate_percent",
    "target_5xx_rate_percent",
    "response_time_statistic",
    "response_time_threshold_seconds",
    "cpu_utilization_percent",
    "memory_utilization_percent",
)


def test_backend_module_inputs_take_the_root_variables_of_their_names(backend):
    root, planned = backend
    check_inputs_take_their_variables(planned)
    # The alarms' dimensions (known after apply) are this load balancer's and target group's.
    wiring = Wiring(root, planned)
    rate_metric = wiring.attribute(
        ("monitoring",),
        "aws_cloudwatch_metric_alarm.rate",
        "metric_query",
        1,
        "metric",
        0,
        "dimensions",
    )
    assert {s for s in rate_metric if s.startswith("module.")} == {
        "module.alb.aws_lb.this.arn_suffix",
        "module.alb.aws_lb_target_group.this.arn_suffix",
    }
    calls = planned.configuration["root_module"]["module_calls"]["monitoring"]["expressions"]
    assert calls["load_balancer_arn_suffix"]["references"][0] == "module.alb.lb_arn_suffix"
    assert calls["target_group_arn_suffix"]["references"][0] == "module.alb.target_group_arn_suffix"
    # The ECS alarms watch the service in its cluster (names known at plan time).
    env = planned.outputs["cluster_name"].split("-")[1]
    cpu = next(
        a
        for a in resources_by_type(planned, "aws_cloudwatch_metric_alarm")
        if a["alarm_name"].endswith("-cpu-high")
    )
    assert cpu["dimensions"] == {
        "ClusterName": f"lms-{env}-backend",
        "ServiceName": f"lms-{env}-backend",
    }
    from_alarms = {
        key: refs
        for key, refs in passed_variables(planned).items()
        if any(ref.startswith("var.alarms") for ref in refs)
    }
    assert from_alarms == {
        ("monitoring", name): [f"var.alarms.{name}", "var.alarms"] for name in ALARM_SETTINGS
    }


def test_frontend_module_inputs_take_the_root_variables_of_their_names(frontend):
    _, planned, _ = frontend
    check_inputs_take_their_variables(planned)
    passed = passed_variables(planned)
    assert passed[("site", "domain_name")] == ["var.domain_name"]
    assert ("site", "versioning_enabled") in passed
