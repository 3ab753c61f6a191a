"""The plan inventory's harness (tests/inventory.py, inventory_build.py), without Terraform.

Terraform is replaced by canned diagnostics and plans: what is checked is how errors are
filed under instances, when a plan is run again, and how a scenario's slice is cut.
"""

from __future__ import annotations

import json

import inventory_build
import pytest
from inventory import Failures, Inventory, Scenario, declarations, instance_name, scenario_view
from inventory_build import Instance, plan_errors, related_variables, render, variable_blocks
from plan_helpers import BadInput, Harness, PlanFailed


def diagnostic(instance: str, summary: str, in_block: bool = False) -> dict:
    """An error in INSTANCE's copy of the code, or at its module block (a variable)."""
    if in_block:
        where = {"range": {"filename": "main.tf"}, "snippet": {"context": f'module "{instance}"'}}
    else:
        where = {"range": {"filename": f".terraform/modules/{instance}/modules/x/main.tf"}}
    return {"severity": "error", "summary": summary, "detail": f"{summary} detail", **where}


def test_instance_names_are_module_names_and_keep_groups_apart():
    assert instance_name("alb_https_default") == "alb_https_default"
    assert instance_name("remote_state", "name-too-long") == "remote_state__name_too_long"
    assert instance_name("a", "b-c") != instance_name("a_b", "c")


def test_render_gives_each_instance_its_package_providers_values_and_outputs(tmp_path):
    instances = [
        Instance("site", "modules/s3-website", {"domain_name": "${x}"}, {"aws.us_east_1": "aws"}),
        Instance("root", "live/dev/frontend", {}, None, outputs=("site_url",)),
    ]
    text = render(tmp_path, instances)
    assert 'provider "aws" {' in text
    assert f'source = "{tmp_path}/modules//s3-website"' in text
    assert f'source = "{tmp_path}//live/dev/frontend"' in text
    assert "providers = { aws.us_east_1 = aws }" in text
    assert 'domain_name = "$${x}"' in text
    assert 'output "root__site_url" {' in text
    assert "value     = module.root.site_url" in text
    local = render(None, [Instance("v", "./m/v", {"name": "x"}, None)])
    assert 'source = "./m/v"' in local
    assert "provider" not in local


def test_a_scenario_slice_is_rooted_at_its_instance():
    plan = {
        "planned_values": {
            "outputs": {"a__url": {"value": "https://a"}, "b__url": {"value": "https://b"}},
            "root_module": {
                "child_modules": [
                    {
                        "address": "module.a",
                        "resources": [{"address": "module.a.aws_lb.this", "type": "aws_lb"}],
                        "child_modules": [
                            {
                                "address": "module.a.module.site",
                                "resources": [{"address": "module.a.module.site.aws_s3_bucket.x"}],
                            }
                        ],
                    },
                    {"address": "module.b", "resources": [{"address": "module.b.aws_lb.this"}]},
                ]
            },
        },
        "resource_changes": [
            {"address": "module.a.aws_lb.this", "module_address": "module.a"},
            {
                "address": "module.a.module.site.aws_s3_bucket.x",
                "module_address": "module.a.module.site",
            },
            {"address": "module.b.aws_lb.this", "module_address": "module.b"},
        ],
        "configuration": {
            "root_module": {"module_calls": {"a": {"module": {"resources": ["a's"]}}, "b": {}}}
        },
    }
    view = scenario_view(plan, "a", Scenario("a", "modules/x", {"name": "n"}))
    root = view["planned_values"]["root_module"]
    assert [r["address"] for r in root["resources"]] == ["aws_lb.this"]
    assert root["child_modules"][0]["address"] == "module.site"
    assert root["child_modules"][0]["resources"][0]["address"] == "module.site.aws_s3_bucket.x"
    assert view["planned_values"]["outputs"] == {"url": {"value": "https://a"}}
    assert [(c["address"], c.get("module_address")) for c in view["resource_changes"]] == [
        ("aws_lb.this", None),
        ("module.site.aws_s3_bucket.x", "module.site"),
    ]
    assert view["configuration"]["root_module"] == {"resources": ["a's"]}
    assert view["variables"] == {"name": {"value": "n"}}


def test_a_case_is_checked_with_the_variables_its_rules_connect(tmp_path):
    (tmp_path / "variables.tf").write_text(
        'variable "zone_name" {\n  type = string\n}\n\n'
        'variable "domain_name" {\n  type = string\n  validation {\n'
        "    condition     = endswith(var.domain_name, var.zone_name)\n"
        '    error_message = "domain_name must be inside zone_name, e.g. { a }."\n  }\n}\n\n'
        'variable "tags" {\n  type = map(string)\n}\n'
    )
    blocks = variable_blocks(tmp_path)
    assert list(blocks) == ["zone_name", "domain_name", "tags"]
    assert blocks["domain_name"].endswith("  }\n}\n")
    assert related_variables(blocks, {"zone_name"}) == {"zone_name", "domain_name"}
    assert related_variables(blocks, {"domain_name"}) == {"zone_name", "domain_name"}
    assert related_variables(blocks, {"tags", "unknown"}) == {"tags"}


def canned_plans(monkeypatch, *runs):
    """Make plan_errors see RUNS (exit code, diagnostics) one after the other."""
    calls = []

    def run_json(args, root, env):
        main = root / "main.tf"
        calls.append(main.read_text() if main.exists() else "")
        code, diagnostics = runs[len(calls) - 1]
        return code, diagnostics, ""

    monkeypatch.setattr(inventory_build, "run_json", run_json)
    return calls


def test_a_plan_stopped_by_a_validation_is_planned_again_without_that_instance(
    tmp_path, monkeypatch
):
    instances = [Instance(name, "modules/x", {}, None) for name in ("bad", "pre", "good")]
    (tmp_path / "main.tf").write_text(render(tmp_path, instances))
    calls = canned_plans(
        monkeypatch,
        (1, [diagnostic("bad", "Invalid value for variable", in_block=True)]),
        (1, [diagnostic("pre", "Resource precondition failed")]),
    )
    errors = plan_errors(tmp_path, tmp_path, instances, {})
    assert errors == {
        "bad": ["Invalid value for variable detail"],
        "pre": ["Resource precondition failed detail"],
    }
    assert len(calls) == 2
    assert 'module "bad"' not in calls[1]
    assert 'module "good"' in calls[1]


def test_errors_of_a_walked_plan_need_no_second_plan(tmp_path, monkeypatch):
    instances = [Instance(name, "modules/x", {}, None) for name in ("pre", "good")]
    calls = canned_plans(monkeypatch, (1, [diagnostic("pre", "Resource precondition failed")]))
    assert plan_errors(tmp_path, tmp_path, instances, {}) == {
        "pre": ["Resource precondition failed detail"]
    }
    assert len(calls) == 1


def test_an_error_of_no_instance_stops_the_build(tmp_path, monkeypatch):
    instances = [Instance("good", "modules/x", {}, None)]
    canned_plans(monkeypatch, (1, [diagnostic("other", "Unsupported argument")]))
    with pytest.raises(inventory_build.BuildError, match="errors of no instance"):
        plan_errors(tmp_path, tmp_path, instances, {})


def test_a_scenario_that_errors_fails_alone_and_the_others_are_planned_again(tmp_path, monkeypatch):
    instances = [Instance(name, "modules/x", {}, None) for name in ("broken", "fine")]
    calls = canned_plans(
        monkeypatch, (1, [diagnostic("broken", "Resource precondition failed")]), (0, [])
    )
    monkeypatch.setattr(inventory_build, "init", lambda root, env: None)

    class Shown:
        stdout = json.dumps({"planned_values": {}})

    monkeypatch.setattr(inventory_build.toolchain, "run", lambda *args, **kwargs: Shown)
    result = inventory_build.build_scenarios(tmp_path, tmp_path, instances, {})
    assert result["failed"] == {"broken": ["Resource precondition failed detail"]}
    assert 'module "broken"' in calls[0]
    assert 'module "broken"' not in calls[1]
    assert result["plan"] == {"planned_values": {}}


def test_inventory_answers_for_its_scenarios_and_cases(tmp_path):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text("{}")
    plan = {"planned_values": {"root_module": {}}, "configuration": {"root_module": {}}}
    scenarios = {
        "instances": ["ok", "broken"],
        "failed": {"broken": ["Resource precondition failed detail"]},
        "plan": plan,
        "plan_file": str(plan_file),
        "facts": {"zones": {}},
    }
    case = BadInput("too-long", {"name": "x" * 99}, "name must be")
    failures = {"instances": ["g__too_long"], "errors": {"g__too_long": ["name must be short"]}}
    declared = [
        Scenario("ok", "modules/x"),
        Scenario("broken", "modules/x"),
        Scenario("elsewhere", "modules/x"),
        Failures("g", Harness(source="modules/x", base={}), [case]),
    ]
    inventory = Inventory(scenarios, failures, declared)
    assert inventory.plan("ok").resource_changes == {}
    with pytest.raises(PlanFailed, match="broken: Resource precondition failed"):
        inventory.plan("broken")
    assert inventory.built(["ok", "broken", "elsewhere"]) == ["ok", "broken"]
    assert inventory.planned_ok(["ok", "broken", "elsewhere"]) == ["ok"]
    assert inventory.errors("g") == {"too-long": ["name must be short"]}
    assert inventory.error("g", "too-long") == "name must be short"


def test_declarations_refuse_an_id_declared_twice(tmp_path):
    for stem in ("inv_decl_one", "inv_decl_two"):
        (tmp_path / f"{stem}.py").write_text(
            "from inventory import Scenario\nINVENTORY = [Scenario('same', 'modules/x')]\n"
        )
    with pytest.raises(AssertionError, match="declared twice: \\['same'\\]"):
        declarations([tmp_path / "inv_decl_one.py", tmp_path / "inv_decl_two.py"])
