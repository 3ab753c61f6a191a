"""Build the plan inventory (tests/inventory.py): generate the roots, run Terraform, cache.

Two roots are built concurrently, each at most once per cache key:

- scenarios: one instance per Scenario; init, plan -out -json, show -json. A scenario
  whose instance errors is dropped and the rest planned again (no new init: fewer module
  calls than were initialised), so it fails only its own tests.
- failures: one instance per expected-failure case, in two stages. Stage 1 validates
  each case on a module holding only the variables it sets and the ones their rules
  connect (no AWS; a plan would not walk at all if one of its values failed). Stage 2
  plans, whole, the cases stage 1 let through: preconditions, provider configuration,
  good values at rules' edges. Good values that no rule ties together share one
  instance (inventory_coupling.py); a shared instance that errors is planned again
  case by case.

Errors are filed under the instance Terraform reports them in (plan_helpers.
file_diagnostics). Each instance gets its own copy of its package, which is what makes
an error's file name say which instance it belongs to.

Both run against an emulator of their own, so the cached plans never depend on the
session's: the facts tests compare plans with (zone IDs, default subnets) are recorded
with the plan.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import boto3
from inventory import Failures, Scenario, instance_name
from inventory_coupling import merge_good_cases
from plan_helpers import committed_tfvars, file_diagnostics, hcl_value, package_source

from lmsops import roots, toolchain
from lmsops.emulator import Emulator as Server

HEADER = """provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}
"""
OUTPUT = re.compile(r'^output\s+"([A-Za-z0-9_-]+)"', re.MULTILINE)
KEEP_PER_KIND = 4
# What decides a plan besides the generated root: the code, and the tools that plan it.
KEY_FILES = ("*.tf", "*.tfvars")
KEY_TOPS = ("modules", "live", "bootstrap")


class BuildError(RuntimeError):
    """Terraform failed in a way no instance explains (message holds its output)."""


@dataclass(frozen=True)
class Instance:
    """One module block of a generated root."""

    name: str
    source: str
    values: dict
    providers: dict[str, str] | None
    outputs: tuple[str, ...] = ()
    set_values: tuple[str, ...] = ()  # the variables a case sets itself (stage 1)
    good: bool = False  # a case that must plan without error (shares an instance, stage 2)


# -- generating the roots ---------------------------------------------------------------


def root_values(repo: Path, source: str, values: dict) -> dict:
    """A root starts from its committed terraform.tfvars, as a plan in its folder does."""
    tfvars = repo / source / "terraform.tfvars"
    return {**committed_tfvars(tfvars), **values} if tfvars.exists() else dict(values)


def source_outputs(repo: Path, source: str) -> tuple[str, ...]:
    text = "".join(p.read_text() for p in sorted((repo / source).glob("*.tf")))
    return tuple(OUTPUT.findall(text))


def scenario_instances(repo: Path, found: list) -> list[Instance]:
    return [
        Instance(
            instance_name(s.id),
            s.source,
            root_values(repo, s.source, s.values),
            s.providers,
            source_outputs(repo, s.source),
        )
        for s in found
        if isinstance(s, Scenario)
    ]


def failure_instances(repo: Path, found: list) -> list[Instance]:
    return [
        Instance(
            instance_name(f.group, case.id),
            f.harness.source,
            root_values(repo, f.harness.source, {**f.harness.base, **case.values}),
            {**(f.harness.providers or {}), **(case.providers or {})} or None,
            set_values=tuple(case.values),
            good=case.message is None,
        )
        for f in found
        if isinstance(f, Failures)
        for case in f.cases
    ]


def render(repo: Path | None, instances: list[Instance]) -> str:
    """The generated root: the inventory's providers, one module block per instance.

    Sources are packages of REPO (a copy per instance), or local paths when REPO is None.
    Each output of an instance becomes a root output `<instance>__<output>` (plans only
    carry root outputs); all are sensitive so that a sensitive module output is allowed.
    """
    blocks = [HEADER] if repo is not None else []
    for instance in instances:
        source = instance.source if repo is None else package_source(repo, instance.source)
        lines = [f'module "{instance.name}" {{', f'  source = "{source}"']
        if instance.providers:
            pairs = ", ".join(f"{k} = {v}" for k, v in instance.providers.items())
            lines.append(f"  providers = {{ {pairs} }}")
        lines += [f"  {key} = {hcl_value(value)}" for key, value in instance.values.items()]
        lines.append("}")
        blocks.append("\n".join(lines))
        blocks += [
            f'output "{instance.name}__{name}" {{\n'
            f"  value     = module.{instance.name}.{name}\n  sensitive = true\n}}"
            for name in instance.outputs
        ]
    return "\n\n".join(blocks) + "\n"


# -- cache --------------------------------------------------------------------------------


def code_digest(repo: Path) -> str:
    """A digest of every Terraform file and of the tools that plan them."""
    digest = hashlib.sha256()
    for top in KEY_TOPS:
        for pattern in KEY_FILES:
            for path in sorted((repo / top).rglob(pattern)):
                if ".terraform" not in path.parts:
                    digest.update(str(path.relative_to(repo)).encode())
                    digest.update(path.read_bytes())
    helpers = ("plan_helpers.py", "inventory_coupling.py")
    for path in (Path(__file__), *(Path(__file__).with_name(name) for name in helpers)):
        digest.update(path.read_bytes())
    binary = Path(toolchain.terraform_bin()).resolve()
    stat = binary.stat()
    digest.update(f"{binary}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update(metadata.version("moto").encode())
    return digest.hexdigest()


def cache_key(code: str, kind: str, main_tf: str, zones: list[str]) -> str:
    text = json.dumps([code, kind, main_tf, zones])
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:20]}"


def cache_dir() -> Path:
    path = toolchain.cache_dir() / "plan-inventory"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """One builder per key across processes (xdist workers, tiers run side by side)."""
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def store(path: Path, result: dict) -> None:
    """Write RESULT atomically (readers never see half a file); keep a few per kind."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result))
    tmp.replace(path)
    kind = path.name.split("-")[0]
    results = [p for p in path.parent.glob(f"{kind}-*.json") if p.name.count(".") == 1]
    for stale in sorted(results, key=lambda p: p.stat().st_mtime)[:-KEEP_PER_KIND]:
        for suffix in (".json", ".plan.json", ".lock"):
            stale.with_suffix(suffix).unlink(missing_ok=True)


# -- running Terraform --------------------------------------------------------------------


def terraform_base_env() -> dict[str, str]:
    return toolchain.terraform_env()


def run_json(args: list[str], root: Path, env: dict) -> tuple[int, list[dict], str]:
    """Run Terraform with -json; return its exit code, diagnostics and stderr."""
    proc = toolchain.run(args, root, env, check=False)
    if args[0] == "validate":
        return proc.returncode, json.loads(proc.stdout or "{}").get("diagnostics", []), proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    diagnostics = [e["diagnostic"] for e in events if e.get("type") == "diagnostic"]
    return proc.returncode, diagnostics, proc.stderr


def attribute(diagnostics: list[dict], instances: list[Instance], output: str) -> dict:
    """Errors per instance name; BuildError for an error of no instance."""
    errors, unattributed = file_diagnostics(diagnostics, {i.name for i in instances})
    if unattributed:
        raise BuildError("errors of no instance:\n" + "\n".join(unattributed) + output)
    return errors


def init(root: Path, env: dict) -> None:
    proc = toolchain.run(["init", "-input=false", "-no-color", "-backend=false"], root, env, False)
    if proc.returncode != 0:
        raise BuildError(f"terraform init of the inventory failed:\n{proc.stdout}{proc.stderr}")


def build_scenarios(repo: Path, root: Path, instances: list[Instance], env: dict) -> dict:
    """Plan every scenario; instances that error are dropped and the rest planned again."""
    (root / "main.tf").write_text(render(repo, instances))
    init(root, env)
    failed: dict[str, list[str]] = {}
    remaining = list(instances)
    while True:
        args = ["plan", "-input=false", "-no-color", "-json", "-out=inventory.tfplan"]
        code, diagnostics, stderr = run_json(args, root, env)
        if code == 0:
            break
        new = attribute(diagnostics, remaining, stderr)
        if not new:
            raise BuildError(f"plan of the inventory failed without attributable errors:\n{stderr}")
        failed.update(new)
        remaining = [i for i in remaining if i.name not in new]
        (root / "main.tf").write_text(render(repo, remaining))
    show = toolchain.run(["show", "-json", "inventory.tfplan"], root, env)
    return {"plan": json.loads(show.stdout), "failed": failed}


def build_failures(repo: Path, root: Path, instances: list[Instance], env: dict) -> dict:
    """Variable validations first (cheap, no AWS), then plan the cases they let through."""
    errors = validate_variables(repo, root.parent / "validations", instances, env)
    valid = [i for i in instances if i.name not in errors]
    bad = [i for i in valid if not i.good]
    good, merged = merge_good_cases(repo, [i for i in valid if i.good])
    errors.update(plan_in(repo, root, bad + good, env))
    # A merged instance that errors says only that one of its cases does: plan them alone.
    alone = [case for name, cases in merged.items() if errors.pop(name, None) for case in cases]
    errors.update(plan_in(repo, root.parent / "failures-alone", alone, env))
    return {"errors": errors}


def plan_in(repo: Path, root: Path, instances: list[Instance], env: dict) -> dict:
    """Errors per instance of INSTANCES planned in a new root at ROOT."""
    if not instances:
        return {}
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(render(repo, instances))
    init(root, env)
    return plan_errors(repo, root, instances, env)


def plan_errors(repo: Path, root: Path, instances: list[Instance], env: dict) -> dict:
    """Plan INSTANCES; errors per instance (preconditions, provider configuration).

    A plan validates before it walks, and does not walk when a value given in the
    generated root fails a validation (the only values validation knows); then every
    error is of that kind. Those instances (stage 1 missed them) are dropped and the
    others planned again.
    """
    errors: dict[str, list[str]] = {}
    while instances:
        args = ["plan", "-input=false", "-no-color", "-json"]
        code, diagnostics, stderr = run_json(args, root, env)
        found = attribute(diagnostics, instances, stderr)
        errors.update(found)
        if code == 0:
            return errors
        if not found:
            raise BuildError(f"plan of the failures failed, no instance to blame:\n{stderr}")
        failed = [d for d in diagnostics if d.get("severity") == "error"]
        if not all(d.get("range", {}).get("filename") == "main.tf" for d in failed):
            return errors
        instances = [i for i in instances if i.name not in found]
        (root / "main.tf").write_text(render(repo, instances))
    return errors


# -- stage 1 of the failures: variable validations on subset modules ----------------------
#
# Terraform's cost grows with every variable of every instance it evaluates (a case
# instance of a whole module evaluates ~30 variables, resources and all). A variable's
# validation depends only on the values of the variables it names, so each case is
# first checked on a module holding only the variables it sets and the ones their
# rules connect them to. Whatever passes is planned whole in stage 2, which validates
# every variable again.

VARIABLE_BLOCK = re.compile(r'^variable "([a-z0-9_]+)" \{\n.*?^\}\n', re.MULTILINE | re.DOTALL)
VAR_REFERENCE = re.compile(r"\bvar\.([a-z0-9_]+)")


def variable_blocks(folder: Path) -> dict[str, str]:
    """Each top-level variable block of FOLDER (terraform fmt puts its `}` in column 0)."""
    text = "".join(p.read_text() for p in sorted(folder.glob("*.tf")))
    return {match[1]: match[0] for match in VARIABLE_BLOCK.finditer(text)}


def related_variables(blocks: dict[str, str], names: set[str]) -> set[str]:
    """NAMES plus every variable a rule connects them to, in either direction."""
    refs = {name: set(VAR_REFERENCE.findall(block)) - {name} for name, block in blocks.items()}
    related = set(names) & set(blocks)
    while True:
        grown = related | {n for n in blocks if refs[n] & related}
        grown |= {r for n in related for r in refs[n] if r in blocks}
        if grown == related:
            return related
        related = grown


def validate_variables(repo: Path, work: Path, instances: list[Instance], env: dict) -> dict:
    """Errors per instance of the variable validations its set values reach."""
    blocks = {source: variable_blocks(repo / source) for source in {i.source for i in instances}}
    work.mkdir(parents=True, exist_ok=True)
    checked = []
    for instance in instances:
        names = related_variables(blocks[instance.source], set(instance.set_values))
        if not names:
            continue
        folder = work / "m" / instance.name
        folder.mkdir(parents=True)
        text = "\n".join(blocks[instance.source][name] for name in sorted(names))
        (folder / "variables.tf").write_text(text)
        values = {k: v for k, v in instance.values.items() if k in names}
        checked.append(Instance(instance.name, f"./m/{instance.name}", values, None))
    if not checked:
        return {}
    (work / "main.tf").write_text(render(None, checked))
    init(work, env)
    _, diagnostics, stderr = run_json(["validate", "-no-color", "-json"], work, env)
    return attribute(diagnostics, checked, stderr)


# -- the emulator the inventory plans against ------------------------------------------


_RUNNING: set[BuildEmulator] = set()


def stop_emulators() -> None:
    """Stop the emulators of builds still running (the session was interrupted)."""
    for emulator in list(_RUNNING):
        emulator.stop()
        shutil.rmtree(emulator.work, ignore_errors=True)


class BuildEmulator:
    """One emulator for the builds that miss the cache, started on first need."""

    def __init__(self, work: Path, zones: list[str]):
        self.work = work
        self.zones = zones
        self._lock = threading.Lock()
        self._emulator = None
        self.env: dict[str, str] = {}
        self.facts: dict = {}

    def start(self) -> dict[str, str]:
        with self._lock:
            if self._emulator is None:
                self._emulator = Server(self.work / "emulator")
                info = self._emulator.start(port=_free_port())
                _RUNNING.add(self)
                self.env = info.env()
                self.facts = record_facts(self.env, self.zones)
            return self.env

    def stop(self) -> None:
        if self._emulator is not None:
            self._emulator.stop()
        _RUNNING.discard(self)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def record_facts(env: dict[str, str], zones: list[str]) -> dict:
    """Create ZONES; return what tests compare plans with: zone IDs and default subnets."""
    session = boto3.session.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    client = {"endpoint_url": env["AWS_ENDPOINT_URL"], "verify": env["AWS_CA_BUNDLE"]}
    route53 = session.client("route53", **client)
    ids = {}
    for zone in zones:
        created = route53.create_hosted_zone(Name=zone, CallerReference=f"inventory-{zone}")
        ids[zone] = created["HostedZone"]["Id"].rsplit("/", 1)[-1]
    ec2 = session.client("ec2", **client)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    filters = [
        {"Name": "vpc-id", "Values": [vpc["VpcId"]]},
        {"Name": "default-for-az", "Values": ["true"]},
    ]
    subnets = [
        {key: subnet[key] for key in ("SubnetId", "AvailabilityZone", "VpcId")}
        for subnet in ec2.describe_subnets(Filters=filters)["Subnets"]
    ]
    return {"zones": ids, "default_subnets": subnets}


# -- one build per kind, cached ------------------------------------------------------------


BUILDERS = {"scenarios": build_scenarios, "failures": build_failures}
EMPTY = {
    "scenarios": {"instances": [], "failed": {}, "plan": {}, "plan_file": None, "facts": {}},
    "failures": {"instances": [], "errors": {}},
}


def ensure_built(
    repo: Path, found: list, base_env: dict[str, str], kinds=("scenarios", "failures")
) -> tuple[dict, dict]:
    """The scenarios and failures results, from the cache or built now (concurrently).

    A kind not in KINDS is left empty (the policy tier reads no expected failures).
    """
    zones = sorted({z for d in found for z in d.zones})
    instances = {
        "scenarios": scenario_instances(repo, found),
        "failures": failure_instances(repo, found),
    }
    code = code_digest(repo)
    work = Path(tempfile.mkdtemp(prefix="lmsops-inventory-"))
    emulator = BuildEmulator(work, zones)

    def one(kind: str) -> dict:
        if kind not in kinds or not instances[kind]:
            return EMPTY[kind]
        key = cache_key(code, kind, render(Path("/repo"), instances[kind]), zones)
        target = cache_dir() / f"{key}.json"
        with locked(target.with_suffix(".lock")):
            if not target.exists():
                env = {**base_env, **emulator.start()}
                result = build(kind, instances[kind], work, env)
                result["instances"] = [i.name for i in instances[kind]]
                if kind == "scenarios":
                    plan_file = target.with_suffix(".plan.json")
                    plan_file.write_text(json.dumps(result.pop("plan")))
                    result.update(plan_file=str(plan_file), facts=emulator.facts)
                store(target, result)
            return load(target)

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            scenarios, failures = pool.map(one, ("scenarios", "failures"))
    finally:
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)
    return scenarios, failures


def build(kind: str, instances: list[Instance], work: Path, env: dict) -> dict:
    """Build KIND's root in WORK on a copy of the repository (its own package sources)."""
    copy = roots.copy_repo(work / f"{kind}-repo")
    root = work / kind
    root.mkdir()
    return BUILDERS[kind](copy, root, instances, env)


def load(target: Path) -> dict:
    result = json.loads(target.read_text())
    if "plan_file" in result:
        result["plan"] = json.loads(Path(result["plan_file"]).read_text())
    os.utime(target)  # recently used entries survive pruning
    return result
