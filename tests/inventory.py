"""Plan inventories: every plan the test suite needs, in two Terraform roots (a pytest plugin).

Why: each Terraform process pays ~3 s of CPU to start the AWS provider and load its
schema, while one plan of a root holding many module instances costs little more than a
plan of one. So test modules do not plan anything themselves. They *declare* what they
need in a module-level `INVENTORY` list:

- `Scenario(id, source, values)`: SOURCE (a module, a module example, bootstrap or a live
  root) planned with VALUES; the test reads its slice with `inventory.plan(id)`, a
  tftest plan addressed as if SOURCE had been planned alone;
- `Failures(group, harness, cases)`: expected-failure cases (plan_helpers.BadInput), each
  refused by a variable validation, a precondition or the provider's configuration; the
  test reads `inventory.errors(group)`, Terraform's messages per case id.

Once per session the plugin gathers every declaration of tests/unit and tests/policy
(whatever was collected, unless LMSOPS_INVENTORY=collected) and builds two roots
concurrently, one instance per scenario or case (inventory_build.py): "scenarios" (init,
plan -out, show -json) and "failures" (variable validations, then init and plan).
Results are cached under `.lmsops/plan-inventory`, keyed by a hash of the Terraform code
and of the generated roots, behind a file lock: the second xdist worker and the later
policy tier reuse them, and a session that changed nothing plans nothing.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tftest
from plan_helpers import BadInput, Harness, PlanFailed

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# Test files that may declare an INVENTORY; only the files that do are imported.
DECLARING_GLOBS = ("unit/test_*.py", "policy/test_*.py")
DECLARES = re.compile(r"^INVENTORY = ", re.MULTILINE)


@dataclass(frozen=True)
class Scenario:
    """SOURCE planned with VALUES, as `module.<id>` of the scenarios root.

    A root (a folder with a terraform.tfvars) starts from its committed values, as a plan
    in that folder would. PROVIDERS maps a module's providers to the inventory's own
    (`aws`, `aws.us_east_1`, `aws.eu_west_1`); roots configure their own. ZONES are public
    hosted zones created in the emulator first (live roots look theirs up by name).
    """

    id: str
    source: str
    values: dict = field(default_factory=dict)
    providers: dict[str, str] | None = None
    zones: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failures:
    """GROUP's expected-failure CASES, each an instance of HARNESS in the failures root."""

    group: str
    harness: Harness
    cases: list[BadInput]
    zones: tuple[str, ...] = ()


def declaring_files() -> list[Path]:
    """The test files that assign a module-level INVENTORY."""
    return sorted(
        path
        for pattern in DECLARING_GLOBS
        for path in TESTS.glob(pattern)
        if DECLARES.search(path.read_text())
    )


def declarations(files: list[Path] | None = None) -> list[Scenario | Failures]:
    """Every INVENTORY entry of FILES (default: every declaring test file).

    The files are imported the way pytest imports them (their folder on sys.path, their
    stem as module name), so a file pytest collects later is the same module object.
    """
    found = []
    for path in declaring_files() if files is None else files:
        if str(path.parent) not in sys.path:
            sys.path.insert(0, str(path.parent))
        found += importlib.import_module(path.stem).INVENTORY
    ids = [d.id if isinstance(d, Scenario) else d.group for d in found]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicated, f"inventory ids declared twice: {duplicated}"
    return found


def planned_folders(found: list[Scenario | Failures]) -> dict[str, list[str]]:
    """Repository folder -> ids of the scenarios whose plan also validates it.

    A scenario validates its source; a module example validates the module it calls.
    """
    folders: dict[str, list[str]] = {}
    for scenario in (d for d in found if isinstance(d, Scenario)):
        folders.setdefault(scenario.source, []).append(scenario.id)
        if "/examples/" in scenario.source:
            module = scenario.source.split("/examples/")[0]
            folders.setdefault(module, []).append(scenario.id)
    return folders


def instance_name(first: str, second: str | None = None) -> str:
    """A scenario id, or a group and case id, as a module name of the generated root."""
    parts = [first] if second is None else [first, second]
    return "__".join(re.sub(r"[^a-z0-9]+", "_", p.lower()).strip("_") for p in parts)


class Inventory:
    """What a session's tests read: plan slices, expected failures, emulator facts."""

    def __init__(self, scenarios: dict, failures: dict, declared: list):
        self._scenarios = scenarios
        self._failures = failures
        self._declared = {d.id: d for d in declared if isinstance(d, Scenario)}
        self._groups = {d.group: d for d in declared if isinstance(d, Failures)}
        self._views: dict[str, tftest.TerraformPlanOutput] = {}
        self.facts: dict = scenarios["facts"]
        self.plan_file = Path(scenarios["plan_file"]) if scenarios["plan_file"] else None

    def plan(self, scenario_id: str) -> tftest.TerraformPlanOutput:
        """SCENARIO_ID's plan as if its source had been planned alone; PlanFailed if it errored."""
        name = instance_name(scenario_id)
        assert name in self._scenarios["instances"], f"{scenario_id!r} is not in this inventory"
        if name in self._scenarios["failed"]:
            raise PlanFailed(f"{scenario_id}: " + "\n".join(self._scenarios["failed"][name]))
        if scenario_id not in self._views:
            raw = scenario_view(self._scenarios["plan"], name, self._declared[scenario_id])
            self._views[scenario_id] = tftest.TerraformPlanOutput(raw)
        return self._views[scenario_id]

    def errors(self, group: str) -> dict[str, list[str]]:
        """Terraform's error messages per case id of GROUP (none for a case that planned)."""
        cases = self._groups[group].cases
        names = {case.id: instance_name(group, case.id) for case in cases}
        missing = [i for i, name in names.items() if name not in self._failures["instances"]]
        assert not missing, f"{group}: {missing} are not in this inventory"
        return {i: self._failures["errors"].get(name, []) for i, name in names.items()}

    def error(self, group: str, case_id: str) -> str:
        """One case's errors as one line, for tests that read the refusal's wording."""
        messages = self.errors(group)[case_id]
        assert messages, f"{group}/{case_id} planned without error; expected a refusal"
        return " ".join(" ".join(messages).split())

    def built(self, scenario_ids: list[str]) -> list[str]:
        """The SCENARIO_IDS this inventory holds (all, unless built for a few files)."""
        return [i for i in scenario_ids if instance_name(i) in self._scenarios["instances"]]

    def planned_ok(self, scenario_ids: list[str]) -> list[str]:
        """The SCENARIO_IDS this inventory holds that planned without error."""
        failed = self._scenarios["failed"]
        return [i for i in self.built(scenario_ids) if instance_name(i) not in failed]


# -- a scenario's slice of the plan ----------------------------------------------------


def scenario_view(plan: dict, name: str, scenario: Scenario) -> dict:
    """The plan JSON of module.NAME, re-rooted: as if its source had been planned alone."""
    prefix = f"module.{name}"
    children = plan.get("planned_values", {}).get("root_module", {}).get("child_modules", [])
    module = next((m for m in children if m["address"] == prefix), {})
    outputs = {
        key.split("__", 1)[1]: value
        for key, value in plan.get("planned_values", {}).get("outputs", {}).items()
        if key.startswith(f"{name}__")
    }
    changes = [
        _rerooted_change(change, prefix)
        for change in plan.get("resource_changes", [])
        if change["address"].startswith(f"{prefix}.")
    ]
    calls = plan["configuration"]["root_module"].get("module_calls", {})
    return {
        "format_version": plan.get("format_version"),
        "terraform_version": plan.get("terraform_version"),
        "variables": {key: {"value": value} for key, value in scenario.values.items()},
        "planned_values": {"outputs": outputs, "root_module": _rerooted_module(module, prefix)},
        "resource_changes": changes,
        "configuration": {
            "root_module": _rerooted_config(calls.get(name, {}).get("module", {}), prefix)
        },
    }


def _rerooted_config(node, prefix: str):
    """Configuration with provider keys as the source alone would name them.

    A provider configured in module.NAME (the scenario's own root) is keyed
    `module.NAME:aws.x` in the inventory and `aws.x` when the source is planned alone.
    """
    if isinstance(node, list):
        return [_rerooted_config(item, prefix) for item in node]
    if not isinstance(node, dict):
        return node
    rerooted = {key: _rerooted_config(value, prefix) for key, value in node.items()}
    key = node.get("provider_config_key")
    if isinstance(key, str) and key.startswith((f"{prefix}:", f"{prefix}.")):
        rerooted["provider_config_key"] = key[len(prefix) + 1 :]
    return rerooted


def _strip(address: str, prefix: str) -> str:
    return address[len(prefix) + 1 :] if address.startswith(f"{prefix}.") else address


def _rerooted_module(module: dict, prefix: str) -> dict:
    resources = module.get("resources", [])
    rerooted = {
        "resources": [{**r, "address": _strip(r["address"], prefix)} for r in resources],
        "child_modules": [_rerooted_module(c, prefix) for c in module.get("child_modules", [])],
    }
    if module.get("address", prefix) != prefix:
        rerooted["address"] = _strip(module["address"], prefix)
    return rerooted


def _rerooted_change(change: dict, prefix: str) -> dict:
    rerooted = {**change, "address": _strip(change["address"], prefix)}
    if change.get("module_address") == prefix:
        del rerooted["module_address"]
    elif "module_address" in change:
        rerooted["module_address"] = _strip(change["module_address"], prefix)
    return rerooted


# -- pytest plugin --------------------------------------------------------------------

# LMSOPS_INVENTORY=collected: only the declarations of the test files this session
# collected (a few plan files while editing a module, the mutation runner); otherwise
# every declaration, the one inventory every xdist worker and the policy tier share.
SCOPE_ENV = "LMSOPS_INVENTORY"


class _Background:
    """The inventory being built (or read from the cache) while other tests run."""

    def __init__(self):
        self.files: list[Path] | None = None
        self.kinds = ("scenarios", "failures")
        self.thread: threading.Thread | None = None
        self.result: Inventory | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        from inventory_build import terraform_base_env  # noqa: PLC0415 - inventory_build imports this module

        if self.thread is not None:
            return
        # The environment is read now, before tests start changing os.environ.
        base_env = terraform_base_env()
        self.thread = threading.Thread(target=self._run, args=(base_env,), daemon=True)
        self.thread.start()

    def _run(self, base_env: dict[str, str]) -> None:
        from inventory_build import ensure_built  # noqa: PLC0415 - inventory_build imports this module

        try:
            found = declarations(self.files)
            scenarios, failures = ensure_built(REPO, found, base_env, self.kinds)
            self.result = Inventory(scenarios, failures, found)
        except BaseException as exc:
            self.error = exc

    def wait(self) -> Inventory:
        self.start()
        self.thread.join()
        if self.error is not None:
            raise RuntimeError(f"the plan inventory could not be built: {self.error}") from (
                self.error
            )
        return self.result


_background = _Background()


def pytest_collection_finish(session):
    """Start building as soon as collection shows a test that needs the inventory.

    Expected failures are built only for a session that collected a file declaring some.
    """
    if os.environ.get(SCOPE_ENV) == "collected":
        collected = {Path(item.path).resolve() for item in session.items}
        _background.files = [path for path in declaring_files() if path in collected]
    modules = {getattr(item, "module", None) for item in session.items}
    declared = [d for module in modules for d in getattr(module, "INVENTORY", [])]
    if not any(isinstance(d, Failures) for d in declared):
        _background.kinds = ("scenarios",)
    if any("inventory" in getattr(item, "fixturenames", ()) for item in session.items):
        _background.start()


def pytest_unconfigure(config):
    """An interrupted session leaves no emulator of a build behind."""
    if _background.thread is not None:
        from inventory_build import stop_emulators  # noqa: PLC0415 - inventory_build imports this module

        stop_emulators()


@pytest.fixture(scope="session")
def inventory() -> Inventory:
    return _background.wait()
