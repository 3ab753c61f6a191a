"""Version constraints: modules state minimums (>=), the roots that apply them pin (~>).

A module that pinned (`~> 5.100`) would forbid every root using it from moving to the
next provider line until the module changed too; a minimum says only what the module
needs. A root (live/, bootstrap/) is what applies: it pins Terraform and the provider
with `~>`, so no new major line reaches it unreviewed, and it keeps the minimum its
modules need. Module examples are documentation of modules and follow the modules' rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import hcl2
import pytest

from lmsops import roots, toolchain

REPO = toolchain.REPO_ROOT
MODULE_FOLDERS = [*roots.module_dirs(), *roots.example_roots()]
ROOT_FOLDERS = [REPO / "bootstrap", *roots.live_roots()]
TERM = re.compile(r"^(?P<op>>=|~>|<=|!=|=|>|<)?\s*(?P<version>[0-9]+(\.[0-9]+)*)$")


def constraints(folder: Path) -> dict[str, str]:
    """`terraform` and every required provider of FOLDER's versions.tf -> its constraint."""
    path = folder / "versions.tf"
    assert path.is_file(), f"{folder}: no versions.tf"
    with path.open() as handle:
        (block,) = hcl2.load(handle).get("terraform", [{}])
    found = {"terraform": unwrap(block.get("required_version"))}
    for providers in block.get("required_providers", []):
        for name, spec in providers.items():
            if not name.startswith("__"):
                found[name] = unwrap(unwrap(spec).get("version"))
    return found


def unwrap(value):
    """python-hcl2 0.4 wraps attribute values in a one-element list."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def terms(constraint: str | None) -> list[tuple[str, tuple[int, ...]]]:
    """'~> 1.5, >= 1.5.7' -> [('~>', (1, 5)), ('>=', (1, 5, 7))]; a bare version is '='."""
    parsed = []
    for term in (constraint or "").split(","):
        match = TERM.match(term.strip())
        assert match, f"not a version constraint term: {term!r} in {constraint!r}"
        version = tuple(int(part) for part in match["version"].split("."))
        parsed.append((match["op"] or "=", version))
    return parsed


def minimum_only_violations(folder: Path) -> list[str]:
    """What in FOLDER is not declared, or not declared as minimums only (>=)."""
    found = constraints(folder)
    problems = [f"{name}: no version constraint" for name, c in found.items() if not c]
    if len(found) < 2:
        problems.append("no required provider")
    for name, constraint in found.items():
        if constraint and any(op != ">=" for op, _ in terms(constraint)):
            problems.append(f"{name} = {constraint!r}: a module states minimums only (>=)")
    return problems


def pin_violations(folder: Path) -> list[str]:
    """What in FOLDER is not declared, or not pinned with ~>."""
    found = constraints(folder)
    problems = [f"{name}: no version constraint" for name, c in found.items() if not c]
    if len(found) < 2:
        problems.append("no required provider")
    for name, constraint in found.items():
        if constraint and not any(op == "~>" for op, _ in terms(constraint)):
            problems.append(f"{name} = {constraint!r}: a root pins with ~>")
    return problems


def lower_bound(constraint: str) -> tuple[int, ...]:
    return max(version for op, version in terms(constraint) if op in ("~>", ">=", "="))


@pytest.mark.parametrize("folder", MODULE_FOLDERS, ids=lambda p: str(p.relative_to(REPO)))
def test_modules_and_examples_declare_minimums_only(folder):
    assert minimum_only_violations(folder) == []


@pytest.mark.parametrize("folder", ROOT_FOLDERS, ids=lambda p: str(p.relative_to(REPO)))
def test_live_roots_and_bootstrap_pin(folder):
    assert pin_violations(folder) == []


@pytest.mark.parametrize("folder", ROOT_FOLDERS, ids=lambda p: str(p.relative_to(REPO)))
def test_roots_keep_the_minimums_modules_need(folder):
    pinned = constraints(folder)
    for module in roots.module_dirs():
        for name, constraint in constraints(module).items():
            if name in pinned:
                assert lower_bound(pinned[name]) >= lower_bound(constraint), (
                    f"{folder.name}: {name} {pinned[name]!r} allows less than "
                    f"{module.name} needs ({constraint!r})"
                )


def test_every_module_and_root_was_checked():
    assert len(roots.module_dirs()) >= 9 and len(roots.example_roots()) >= 9
    assert len(roots.live_roots()) >= 4


# -- the checks notice violations (temporary files) -----------------------------------

VERSIONS = """terraform {{
  required_version = "{terraform}"

  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "{aws}"
    }}
  }}
}}
"""


def versions_folder(tmp_path: Path, terraform: str, aws: str) -> Path:
    (tmp_path / "versions.tf").write_text(VERSIONS.format(terraform=terraform, aws=aws))
    return tmp_path


def test_a_module_that_pins_is_a_violation(tmp_path):
    folder = versions_folder(tmp_path, ">= 1.5.7", "~> 5.100")
    assert minimum_only_violations(folder) == [
        "aws = '~> 5.100': a module states minimums only (>=)"
    ]


def test_a_module_with_an_upper_bound_is_a_violation(tmp_path):
    folder = versions_folder(tmp_path, ">= 1.5.7, < 2.0.0", ">= 5.100")
    assert minimum_only_violations(folder) == [
        "terraform = '>= 1.5.7, < 2.0.0': a module states minimums only (>=)"
    ]


def test_a_root_with_only_a_minimum_is_a_violation(tmp_path):
    folder = versions_folder(tmp_path, "~> 1.5, >= 1.5.7", ">= 5.100")
    assert pin_violations(folder) == ["aws = '>= 5.100': a root pins with ~>"]


def test_a_missing_required_version_is_a_violation(tmp_path):
    (tmp_path / "versions.tf").write_text(
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
        '      version = ">= 5.100"\n    }\n  }\n}\n'
    )
    assert minimum_only_violations(tmp_path) == ["terraform: no version constraint"]
    assert "terraform: no version constraint" in pin_violations(tmp_path)


def test_conforming_files_pass(tmp_path):
    module, root = tmp_path / "module", tmp_path / "root"
    module.mkdir()
    root.mkdir()
    assert minimum_only_violations(versions_folder(module, ">= 1.5.7", ">= 5.100")) == []
    assert pin_violations(versions_folder(root, "~> 1.5, >= 1.5.7", "~> 5.100")) == []
    assert lower_bound("~> 1.5, >= 1.5.7") == (1, 5, 7)
