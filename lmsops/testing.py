"""Plan-level test helpers in the style of cloud-foundation-fabric, built on tftest.

Plans always run on temporary copies (tftest's finalizer deletes `.terraform`,
the lock file and state inside the directory it ran in). One `terraform init`
per root per test session; each plan call passes its own variables.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import tftest

from lmsops import roots, toolchain

_initialised: dict[Path, tftest.TerraformTest] = {}
_lock = threading.Lock()


class PlanFailed(AssertionError):
    """A plan that was expected to succeed failed; message holds Terraform's output."""


def _runner(root_dir: Path) -> tftest.TerraformTest:
    root_dir = Path(root_dir).resolve()
    with _lock:
        runner = _initialised.get(root_dir)
        if runner is None:
            if (root_dir / "backend.tf").exists():
                roots.Root(root_dir).use_local_backend()
            runner = tftest.TerraformTest(
                str(root_dir), binary=toolchain.terraform_bin(), env=toolchain.terraform_env()
            )
            runner.setup(upgrade=False)
            _initialised[root_dir] = runner
    return runner


def plan(root_dir: Path, tf_vars: dict | None = None) -> tftest.TerraformPlanOutput:
    """Plan ROOT_DIR (a copy) with TF_VARS; return tftest's parsed plan."""
    runner = _runner(root_dir)
    runner.env.update({k: v for k, v in os.environ.items() if k.startswith("AWS_")})
    try:
        return runner.plan(output=True, tf_vars=_encode(tf_vars or {}))
    except tftest.TerraformTestError as exc:
        raise PlanFailed(str(exc)) from exc


def plan_error(root_dir: Path, tf_vars: dict) -> str:
    """Plan with TF_VARS expecting failure; return Terraform's error text."""
    runner = _runner(root_dir)
    runner.env.update({k: v for k, v in os.environ.items() if k.startswith("AWS_")})
    try:
        runner.plan(output=False, tf_vars=_encode(tf_vars))
    except tftest.TerraformTestError as exc:
        return " ".join(str(exc.args[0]).split())
    raise AssertionError(f"plan of {root_dir} with {tf_vars} succeeded; expected a failure")


def grouped_plan_errors(root_dir: Path, cases, base_vars: dict | None = None):
    """Error text per group of bad inputs, each group planned once, on first use.

    Terraform reports every failed validation of one plan at once, so the cases
    (pytest params `(group, bad_vars, message)`) of a group share one plan.
    """
    cache: dict = {}

    def error_of(group) -> str:
        if group not in cache:
            tf_vars = dict(base_vars or {})
            for case in cases:
                if case.values[0] == group:
                    tf_vars.update(case.values[1])
            cache[group] = plan_error(root_dir, tf_vars)
        return cache[group]

    return error_of


def _encode(tf_vars: dict) -> dict:
    """tftest passes -var k=v; complex values must be HCL/JSON encoded strings."""
    import json

    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in tf_vars.items()}


def resources_by_type(plan_output: tftest.TerraformPlanOutput, rtype: str) -> list[dict]:
    """Planned `values` of every resource of RTYPE anywhere in the plan."""
    found = []

    def walk(module: dict) -> None:
        for res in module.get("resources", []):
            if res["type"] == rtype and res.get("mode", "managed") == "managed":
                found.append(res["values"])
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan_output.planned_values["root_module"])
    return found


def one(plan_output: tftest.TerraformPlanOutput, rtype: str) -> dict:
    """The single planned resource of RTYPE; fails if there is not exactly one."""
    found = resources_by_type(plan_output, rtype)
    assert len(found) == 1, f"expected exactly one {rtype}, found {len(found)}"
    return found[0]
