"""Good cases sharing one instance of the failures root (tests/inventory_coupling.py).

Which variables a module's conditions tie together is read from HCL written here; the
fallback (a shared instance that errors is planned again case by case) runs on canned
Terraform output, as in test_inventory_harness.py.
"""

from __future__ import annotations

import inventory_build
from inventory_build import Instance, build_failures
from inventory_coupling import merge_good_cases, tied_groups, touched

MODULE = """
variable "cpu" {
  type = number
}

variable "memory" {
  type = number
  validation {
    condition     = var.memory >= var.cpu
    error_message = "memory must be at least cpu."
  }
}

variable "enable_cdn" {
  type = bool
}

variable "zone_id" {
  type = string
}

variable "name" {
  type = string
}

variable "prefix" {
  type = string
}

locals {
  full_name = "${var.prefix}-${var.name}"
}

resource "null_resource" "cdn" {
  count = var.enable_cdn ? 1 : 0
  lifecycle {
    precondition {
      condition     = var.zone_id != null
      error_message = "zone_id must be set."
    }
  }
}

resource "null_resource" "named" {
  lifecycle {
    precondition {
      condition     = length(local.full_name) < 64
      error_message = "too long."
    }
  }
}
"""

CALLER = """
variable "size" {
  type = number
}

variable "ram" {
  type = number
}

variable "label" {
  type = string
}

module "inner" {
  source     = "./inner"
  cpu        = var.size
  memory     = var.ram * 1024
  enable_cdn = false
  zone_id    = null
  name       = var.label
  prefix     = "x"
}
"""


def write_module(folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(MODULE)
    return folder


def test_conditions_tie_variables_directly_through_locals_and_through_toggles(tmp_path):
    groups = set(tied_groups(write_module(tmp_path / "m")))
    assert frozenset({"cpu", "memory"}) in groups
    assert frozenset({"enable_cdn", "zone_id"}) in groups
    assert frozenset({"name", "prefix"}) in groups
    assert touched(groups, {"cpu"}) == {"cpu", "memory"}
    assert touched(groups, {"enable_cdn"}) == {"enable_cdn", "zone_id"}


def test_a_called_modules_ties_are_mapped_back_through_the_call_arguments(tmp_path):
    write_module(tmp_path / "caller" / "inner")
    (tmp_path / "caller" / "main.tf").write_text(CALLER)
    groups = set(tied_groups(tmp_path / "caller"))
    assert frozenset({"size", "ram"}) in groups
    assert touched(groups, {"label"}) == {"label"}


def good(name, values, set_values, providers=None):
    base = {"cpu": 256, "memory": 512, "enable_cdn": False, "zone_id": None}
    base |= {"name": "a", "prefix": "p"}
    return Instance(name, "m", base | values, providers, set_values=set_values, good=True)


def test_untied_good_cases_share_an_instance_and_tied_ones_do_not(tmp_path):
    write_module(tmp_path / "m")
    cases = [
        good("cpu_low", {"cpu": 1}, ("cpu",)),
        good("memory_high", {"memory": 8192}, ("memory",)),
        good("cdn_on", {"enable_cdn": True, "zone_id": "Z1"}, ("enable_cdn", "zone_id")),
        good("name_long", {"name": "n" * 50}, ("name",)),
    ]
    planned, merged = merge_good_cases(tmp_path, cases)
    by_members = {tuple(c.name for c in members): name for name, members in merged.items()}
    assert set(by_members) == {("cpu_low", "cdn_on", "name_long")}
    shared = next(p for p in planned if p.name == by_members[("cpu_low", "cdn_on", "name_long")])
    assert shared.values["cpu"] == 1
    assert shared.values["zone_id"] == "Z1"
    assert shared.values["name"] == "n" * 50
    assert shared.values["memory"] == 512
    assert [p.name for p in planned if p.name not in merged] == ["memory_high"]


def test_cases_on_other_providers_or_other_base_values_stay_apart(tmp_path):
    write_module(tmp_path / "m")
    cases = [
        good("a", {"cpu": 1}, ("cpu",)),
        good("b", {"name": "b"}, ("name",), providers={"aws": "aws.eu_west_1"}),
        good("c", {"enable_cdn": True, "zone_id": "Z1", "prefix": "other"}, ("enable_cdn",)),
    ]
    planned, merged = merge_good_cases(tmp_path, cases)
    assert merged == {}
    assert [p.name for p in planned] == ["a", "b", "c"]


def test_a_shared_instance_that_errors_is_planned_again_case_by_case(tmp_path, monkeypatch):
    write_module(tmp_path / "m")
    cases = [
        good("cpu_low", {"cpu": 1}, ("cpu",)),
        good("name_long", {"name": "n" * 70}, ("name",)),
    ]
    monkeypatch.setattr(inventory_build, "validate_variables", lambda *args: {})
    monkeypatch.setattr(inventory_build, "init", lambda root, env: None)
    planned_roots = []

    def run_json(args, root, env):
        text = (root / "main.tf").read_text()
        planned_roots.append(text)
        if 'module "merged_good_0"' in text:
            where = ".terraform/modules/merged_good_0/m/main.tf"
        elif 'module "name_long"' in text:
            where = ".terraform/modules/name_long/m/main.tf"
        else:
            return 0, [], ""
        failed = {"severity": "error", "summary": "too long", "range": {"filename": where}}
        return 1, [{**failed, "detail": "too long."}], ""

    monkeypatch.setattr(inventory_build, "run_json", run_json)
    root = tmp_path / "failures"
    result = build_failures(tmp_path, root, cases, {})
    assert result == {"errors": {"name_long": ["too long."]}}
    assert len(planned_roots) == 2
    assert 'module "cpu_low"' in planned_roots[1]
    assert 'module "name_long"' in planned_roots[1]
