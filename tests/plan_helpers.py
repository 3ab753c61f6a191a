"""Plan-level test helpers in the style of cloud-foundation-fabric, built on tftest.

Plan tests declare their scenarios and bad input in the plan inventory
(tests/inventory.py) and read plans and errors from it; this module holds what they
assert with (`one`, `resources_by_type`, `BadInput`, `assert_case`, ...) and how errors
are filed under the instance that caused them (`file_diagnostics`).

`plan()`, `plan_error()` and `bad_input_errors()` plan one root directly, for a test
file not declared in the inventory yet; each costs Terraform processes of its own.
Plans always run on temporary copies (tftest's finalizer deletes `.terraform`, the
lock file and state inside the directory it ran in).
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import boto3
import hcl2
import pytest
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


def _encode(tf_vars: dict) -> dict:
    """tftest passes -var k=v; complex values must be HCL/JSON encoded strings."""
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


# --- Bad input: one root holding one instance per case -------------------------------
#
# Terraform reports every failed validation of a run, but a run can give a variable
# only one value. So each bad-input case becomes its own instance of the module (or
# root) under test, all in one generated root. `terraform validate` checks every
# instance's variable validations (they see literal values) without touching AWS;
# the instances that pass are then planned together, which reaches their
# preconditions and proves the good values plan cleanly. Errors are attributed to a
# case by where Terraform reports them: the instance's module block (variable
# validations) or the instance's own copy of the code (everything else).

INSTANCE_DIAGNOSTIC = re.compile(r"^\.terraform/modules/(?P<name>[a-z0-9_]+)[/.]")
BLOCK_CONTEXT = re.compile(r'^module "(?P<name>[a-z0-9_]+)"$')


@dataclass(frozen=True)
class BadInput:
    """One case: the instance given VALUES (over the harness's base) fails with MESSAGE.

    MESSAGE is a fragment of exactly one `error_message` of the code under test
    (tests/lint/test_validation_coverage.py checks that); None marks good values at
    rules' edges, whose instance must plan without any error. PROVIDERS overrides the
    instance's provider mapping, e.g. {"aws.us_east_1": "aws.eu_west_1"}.
    """

    id: str
    values: dict
    message: str | None
    providers: dict[str, str] | None = None


@dataclass(frozen=True)
class Harness:
    """How to instantiate SOURCE (a folder of the repository) in a generated root.

    HEADER is HCL placed before the instances (providers); PROVIDERS is the default
    provider mapping of an instance (None for roots, which configure their own).
    """

    source: str
    base: dict
    header: str = 'provider "aws" {\n  region = "us-east-1"\n}\n'
    providers: dict[str, str] | None = None


def case_params(cases: list[BadInput]) -> list:
    """pytest params, one per case, with the case id as the test id."""
    return [pytest.param(case, id=case.id) for case in cases]


def bad_input_errors(repo: Path, harness: Harness, cases: list[BadInput], work: Path):
    """Terraform's error messages per case id: one validate and one plan of one root."""
    names = {_instance_name(case.id): case for case in cases}
    assert len(names) == len(cases), "case ids must be unique"
    errors: dict[str, list[str]] = {case.id: [] for case in cases}
    env = toolchain.terraform_env({k: v for k, v in os.environ.items() if k.startswith("AWS_")})
    _write_harness_root(work, repo, harness, cases)
    toolchain.run(["init", "-input=false", "-no-color", "-backend=false"], work, env)
    validate = toolchain.run(["validate", "-no-color", "-json"], work, env, check=False)

    _file_diagnostics(json.loads(validate.stdout)["diagnostics"], names, errors)
    valid = [case for case in cases if not errors[case.id]]
    if valid:
        # Fewer module calls than were initialised: no new init needed.
        _write_harness_root(work, repo, harness, valid)
        plan = toolchain.run(["plan", "-input=false", "-no-color", "-json"], work, env, check=False)
        events = [json.loads(line) for line in plan.stdout.splitlines() if line.startswith("{")]
        diagnostics = [e["diagnostic"] for e in events if e.get("type") == "diagnostic"]
        _file_diagnostics(diagnostics, names, errors)
        if plan.returncode != 0 and not any(errors[case.id] for case in valid):
            raise AssertionError(f"plan failed without attributable errors:\n{plan.stderr}")
    return errors


def _instance_name(case_id: str) -> str:
    return "case_" + re.sub(r"[^a-z0-9]+", "_", case_id.lower()).strip("_")


def hcl_value(value) -> str:
    """A JSON value as an HCL expression (HCL reads JSON literals; `${` must be escaped)."""
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


def package_source(repo: Path, source: str) -> str:
    """SOURCE as a `PACKAGE//SUBDIR` address that init copies once per instance.

    A module stands alone, so its package is modules/; roots reach modules through
    relative sources (../../modules/...), so theirs is the whole copy.
    """
    top, _, rest = source.partition("/")
    if top == "modules":
        return f"{Path(repo).resolve() / top}//{rest}"
    return f"{Path(repo).resolve()}//{source}"


def _write_harness_root(root: Path, repo: Path, harness: Harness, cases) -> None:
    root.mkdir(parents=True, exist_ok=True)
    blocks = [harness.header]
    for case in cases:
        values = {**harness.base, **case.values}
        lines = [f'module "{_instance_name(case.id)}" {{']
        lines.append(f'  source = "{package_source(repo, harness.source)}"')
        if harness.providers is not None or case.providers:
            mapping = {**(harness.providers or {}), **(case.providers or {})}
            pairs = ", ".join(f"{k} = {v}" for k, v in mapping.items())
            lines.append(f"  providers = {{ {pairs} }}")
        lines += [f"  {key} = {hcl_value(value)}" for key, value in values.items()]
        lines.append("}")
        blocks.append("\n".join(lines))
    (root / "main.tf").write_text("\n\n".join(blocks) + "\n")


def _file_diagnostics(diagnostics: list[dict], names: dict, errors: dict) -> None:
    """File each error diagnostic under its case; fail on errors that belong to none."""
    by_instance, unattributed = file_diagnostics(diagnostics, set(names))
    if unattributed:
        raise AssertionError("errors of no case:\n" + "\n".join(unattributed))
    for name, messages in by_instance.items():
        errors[names[name].id] += messages


def file_diagnostics(diagnostics: list[dict], names: set[str]) -> tuple[dict, list[str]]:
    """Error messages per instance of NAMES, and the errors that belong to no instance.

    An error belongs to the instance Terraform reports it in: the instance's module
    block (variable validations) or the instance's own copy of the code (the rest).
    """
    found: dict[str, list[str]] = {}
    unattributed = []
    for diagnostic in diagnostics:
        if diagnostic.get("severity") != "error":
            continue
        message = " ".join(diagnostic.get("detail", "").split()) or diagnostic["summary"]
        filename = diagnostic.get("range", {}).get("filename", "")
        context = (diagnostic.get("snippet") or {}).get("context") or ""
        match = INSTANCE_DIAGNOSTIC.match(filename) or (
            BLOCK_CONTEXT.match(context) if filename == "main.tf" else None
        )
        if match is None or match["name"] not in names:
            unattributed.append(f"{diagnostic['summary']}: {message}")
            continue
        found.setdefault(match["name"], []).append(message)
    return found, unattributed


def assert_case(errors: dict[str, list[str]], case: BadInput) -> None:
    """CASE's instance failed with its message, or (a good edge value) planned cleanly."""
    found = errors[case.id]
    if case.message is None:
        assert found == [], f"{case.values} should be accepted, got:\n" + "\n".join(found)
    else:
        assert any(case.message in error for error in found), (
            f"{case.values} was not rejected with {case.message!r}; errors:\n" + "\n".join(found)
        )


def committed_tfvars(path: Path) -> dict:
    """The values of a committed terraform.tfvars, as plain Python values."""
    with Path(path).open() as handle:
        values = hcl2.load(handle)
    # python-hcl2 0.4 wraps every attribute value in a one-element list
    return {key: value[0] if isinstance(value, list) else value for key, value in values.items()}


def ensure_public_zone(name: str) -> str:
    """Create the public hosted zone NAME unless it exists (plan tests that look zones up)."""
    route53 = boto3.client("route53")
    listed = route53.list_hosted_zones_by_name(DNSName=f"{name}.", MaxItems="1")["HostedZones"]
    if not any(zone["Name"] == f"{name}." for zone in listed):
        route53.create_hosted_zone(Name=name, CallerReference=f"lmsops-testing-{name}")
    return name


def moved_blocks(folder: Path) -> set[tuple[str, str]]:
    """The (from, to) address pairs of the `moved` blocks in FOLDER's .tf files.

    Plans do not carry `moved` blocks in their configuration; the code does.
    """

    pairs = set()
    for tf in sorted(Path(folder).glob("*.tf")):
        with tf.open() as handle:
            for block in hcl2.load(handle).get("moved", []):
                ends = [
                    block[key][0] if isinstance(block[key], list) else block[key]
                    for key in ("from", "to")
                ]
                pairs.add(tuple(end.removeprefix("${").removesuffix("}") for end in ends))
    return pairs
